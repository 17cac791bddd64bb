import { expect, Page, test } from '@playwright/test';
import { createHmac } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

/** Waits until the WASM has hydrated the server-rendered page. */
export async function hydrated(page: Page) {
  await expect(page.locator('body[data-hydrated="true"]')).toHaveCount(1);
}

export function uniqueEmail(prefix: string) {
  return `${prefix}-${Date.now()}-${Math.floor(Math.random() * 1e6)}@e2e.codelink.dev`;
}

/**
 * Answers the sign-up challenge when the form asks one (after a few sign-ups from one address
 * within the hour, as these tests do), the way a person reads "a + b = ?".
 */
export async function answerChallengeIfAsked(page: Page) {
  await page.waitForLoadState('networkidle');
  const challenge = page.getByTestId('challenge');
  if ((await challenge.count()) === 0) return;
  const question = await challenge.locator('label').innerText();
  const [a, b] = (question.match(/\d+/g) ?? []).map(Number);
  await page.locator('#field-challenge').fill(String(a + b));
}

/** Ticks sign-up's box "我已阅读并同意用户协议和隐私政策" (required: no account without it). */
export async function acceptTerms(page: Page) {
  await page.locator('input[name="consent"]').check();
}

/** Signs up through the register page as a developer or merchant (Chinese UI) and waits for the hall. */
export async function registerAs(page: Page, role: '开发者' | '商家', name: string, emailPrefix: string) {
  await page.goto('/register');
  await hydrated(page);
  const email = uniqueEmail(emailPrefix);
  const fill = async () => {
    await page.getByRole('radio', { name: role, exact: true }).check();
    await page.getByLabel('昵称').fill(name);
    await page.getByLabel('邮箱').fill(email);
    await page.getByLabel('密码').fill('a-good-password');
    await acceptTerms(page);
    await answerChallengeIfAsked(page);
  };
  await fill();
  await page.getByRole('button', { name: '创建账号' }).click();
  // The challenge can also arrive with the answer to this very sign-up (another test registered
  // from this address meanwhile): the form comes back asking it, and is sent again (a password is
  // never typed back in for the user).
  const signedIn = page.getByTestId('current-user');
  try {
    await expect(signedIn).toBeVisible({ timeout: 5_000 });
  } catch {
    if ((await page.locator('#field-challenge').count()) > 0) {
      await hydrated(page);
      await fill();
      await page.getByRole('button', { name: '创建账号' }).click();
    }
  }
  await expect(signedIn).toContainText(name);
}

/** Logs in as one of the demo accounts (password codelink-demo) and waits until the header says so. */
export async function logInAsDemo(page: Page, email: string) {
  await page.goto('/login');
  await hydrated(page);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill('codelink-demo');
  await page.getByRole('button', { name: '登录', exact: true }).click();
  if (email === DEMO_ADMIN_EMAIL) await passSecondStep(page, DEMO_ADMIN_TOTP_SECRET);
  await expect(page.getByTestId('current-user')).toBeVisible();
}

export const DEMO_ADMIN_EMAIL = 'admin@codelink.dev';
/** The demo admin's published authenticator key (README; server/src/demo.rs). Demo data only. */
export const DEMO_ADMIN_TOTP_SECRET = 'CODELINK2FADEMOADMINSECRETKEY234';
const TOTP_STEP_MS = 30_000;

/** The code an authenticator app holding the base32 `secret` shows `steps` steps from now (RFC 6238:
 * HMAC-SHA1 over the 30-second counter, dynamic truncation, 6 digits). */
export function totpCode(secret: string, steps = 0): string {
  return totpCodeAt(secret, Math.floor(Date.now() / TOTP_STEP_MS) + steps);
}

function totpCodeAt(secret: string, step: number): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  const bits = [...secret.toUpperCase().replace(/[\s=]/g, '')]
    .map((c) => alphabet.indexOf(c).toString(2).padStart(5, '0'))
    .join('');
  const key = Buffer.from((bits.match(/.{8}/g) ?? []).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', key).update(counter).digest();
  const offset = mac[mac.length - 1] & 0x0f;
  return ((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).toString().padStart(6, '0');
}

/**
 * Answers the second step of logging in (`/login/2fa`) as an authenticator app would. A step's code
 * is good once, never after a newer one, and the server takes one step either side; a wrong code
 * also spends the account's login attempts. So the browser workers share the last step they used
 * (a file under a lock) and each login takes the next unused one and waits for it to be the current
 * step: logins send their codes in the order of their steps, and none is refused.
 */
export async function passSecondStep(page: Page, secret: string) {
  await page.waitForURL('**/login/2fa*');
  const step = claimTotpStep(secret);
  const acceptedFrom = step * TOTP_STEP_MS + 500;
  if (Date.now() < acceptedFrom) {
    test.info().setTimeout(test.info().timeout + (acceptedFrom - Date.now()) + 5_000);
    await page.waitForTimeout(acceptedFrom - Date.now());
  }
  // A refused form comes back with what was typed put back once the page wakes: wait for that first.
  await hydrated(page);
  await page.getByLabel('验证码或恢复码').fill(totpCodeAt(secret, step));
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: '验证并登录' }).click()]);
  if (new URL(page.url()).pathname === '/login/2fa') throw new Error(`the second step refused the code of step ${step}`);
}

/** The next TOTP step no browser worker has used for `secret`, recorded before it is returned. */
function claimTotpStep(secret: string): number {
  const dir = path.join(os.tmpdir(), `codelink-e2e-totp-${secret}`);
  const lock = `${dir}.lock`;
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      fs.mkdirSync(lock);
      break;
    } catch {
      if (Date.now() > deadline) throw new Error(`TOTP step lock ${lock} held for 10 s`);
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 20);
    }
  }
  try {
    const file = `${dir}.last`;
    const last = fs.existsSync(file) ? Number(fs.readFileSync(file, 'utf8')) : 0;
    // Within a step's last 3 seconds, take the next one: a worker waiting for that next step must
    // not send its code before this one is sent.
    const now = Math.floor((Date.now() + 3_000) / TOTP_STEP_MS);
    const step = Math.max(now, last + 1);
    fs.writeFileSync(file, String(step));
    return step;
  } finally {
    fs.rmdirSync(lock);
  }
}

/** Tops up the balance through the sandbox checkout; with `balance`, waits for the page to show it. */
export async function topUp(page: Page, yuan: string, balance?: string) {
  await page.goto('/wallet');
  await hydrated(page);
  // Still signed in, on the wallet itself (not sent to log in or to consent), with its forms.
  await expect(page, 'the wallet, not another page').toHaveURL(/\/wallet$/);
  await expect(page.getByTestId('balance-available'), 'the wallet shows its balance').toBeVisible();
  await page.getByLabel('充值金额').fill(yuan);
  await page.getByTestId('top-up').click();
  await expect(page).toHaveURL(/\/sandbox\/pay\//);
  await hydrated(page);
  await page.getByTestId('sandbox-confirm').click();
  await expect(page).toHaveURL(/\/wallet$/);
  if (balance) await expect(page.getByTestId('balance-available')).toHaveText(balance);
  else await expect(page.getByTestId('balance-available')).toBeVisible();
}

/** Picks the option of `select` whose text contains `text` (an option's label may add more, such as
 * the task's reward). */
export async function selectOptionContaining(select: ReturnType<Page['locator']>, text: string) {
  const value = await select.locator('option', { hasText: text }).first().getAttribute('value');
  if (value === null) throw new Error(`no option contains "${text}"`);
  await select.selectOption(value);
}
