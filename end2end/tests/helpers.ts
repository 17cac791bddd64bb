import { expect, Page } from '@playwright/test';

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
  await expect(page.getByTestId('current-user')).toBeVisible();
}
