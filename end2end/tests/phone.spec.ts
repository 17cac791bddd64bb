import { expect, Page, test } from '@playwright/test';
import { hydrated, registerAs } from './helpers';

/** A mainland mobile number no other run has used (139 + eight random digits). */
function freshNumber() {
  return '139' + String(Math.floor(Math.random() * 1e8)).padStart(8, '0');
}

/** Reads the newest code the demo's SMS gateway sent to `national`, from the sandbox phone page. */
async function codeOnSandboxPhone(page: Page, national: string, purpose: RegExp) {
  const phone = await page.context().newPage();
  await phone.goto(`/sandbox/sms?phone=${national}`);
  const text = await phone.getByTestId('sandbox-sms').first().innerText();
  expect(text).toMatch(purpose);
  await phone.close();
  return text.match(/验证码 (\d{6})/)![1];
}

test('a developer binds a mobile number, then logs in with an SMS code', async ({ page }, info) => {
  await registerAs(page, '开发者', '短信用户', 'sms');
  const national = freshNumber();
  const masked = `${national.slice(0, 3)}****${national.slice(7)}`;

  await page.goto('/profile');
  const section = page.getByTestId('phone-section');
  await section.getByLabel('手机号').fill('12345');
  await section.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.locator('#field-phone-error')).toHaveText('请输入正确的手机号（11 位，以 1 开头）');
  // The refused form came back as a new page whose script puts back what was typed: wait for it
  // before typing the correction.
  await hydrated(page);

  await page.getByTestId('phone-section').getByLabel('手机号').fill(`+86 ${national}`);
  await page.getByTestId('phone-section').getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByTestId('code-sent')).toContainText(`验证码已发送至 ${masked}`);
  const code = await codeOnSandboxPhone(page, national, /绑定手机号/);

  const wrong = code === '000000' ? '111111' : '000000';
  // Binding asks for the password again (a stolen session alone cannot add a number).
  await page.getByLabel('验证码').fill(wrong);
  await page.getByLabel('当前密码').fill('a-good-password');
  await page.getByRole('button', { name: '绑定手机号' }).click();
  await expect(page.locator('#field-code-error')).toHaveText('验证码错误，还可以再试 4 次');
  await hydrated(page);
  await page.getByLabel('验证码').fill(code);
  await page.getByLabel('当前密码').fill('a-good-password');
  await page.getByRole('button', { name: '绑定手机号' }).click();
  await expect(page.getByTestId('phone-bound')).toContainText(masked);
  await expect(page.getByTestId('phone-bound')).toContainText('绑定成功');

  await page.getByTestId('logout').click();
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  await page.goto('/login');
  await page.getByTestId('login-by-phone').click();
  await page.getByLabel('手机号').fill(national);
  await page.getByRole('button', { name: '获取验证码' }).click();
  await expect(page.getByTestId('code-sent')).toContainText(masked);
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: info.outputPath('sms-login-375.png'), fullPage: true });
  const loginCode = await codeOnSandboxPhone(page, national, /用于登录/);
  await page.getByLabel('验证码').fill(loginCode);
  await page.getByRole('button', { name: '登录', exact: true }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('current-user')).toContainText('短信用户');

  // Unbinding (password again) turns SMS login off.
  await page.goto('/profile');
  await page.locator('summary', { hasText: '解绑手机号' }).click();
  await page.getByTestId('unbind-phone-form').getByLabel('当前密码').fill('a-good-password');
  await page.getByTestId('unbind-phone-form').getByRole('button', { name: '解绑手机号' }).click();
  await expect(page.getByTestId('phone-unbound')).toBeVisible();
  await expect(page.getByTestId('phone-bound')).toHaveCount(0);
});
