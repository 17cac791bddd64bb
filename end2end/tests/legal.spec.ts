import { expect, test } from '@playwright/test';
import { acceptTerms, answerChallengeIfAsked, DEMO_ADMIN_EMAIL, hydrated, logInAsDemo, registerAs, uniqueEmail } from './helpers';

// Sign-up asks for consent to the terms and the privacy policy: without the box ticked the form
// comes back with a message under it and no account; ticked, the account is made.
test('sign-up needs the terms accepted', async ({ page }) => {
  await page.goto('/register');
  await hydrated(page);
  await expect(page.getByRole('link', { name: '用户协议' }).first()).toHaveAttribute('href', '/legal/terms');
  await page.getByLabel('昵称').fill('协议测试');
  await page.getByLabel('邮箱').fill(uniqueEmail('consent'));
  await page.getByLabel('密码').fill('a-good-password');
  await answerChallengeIfAsked(page);
  await page.getByRole('button', { name: '创建账号' }).click();
  await expect(page.getByText('请阅读并勾选同意用户协议和隐私政策')).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  await hydrated(page);
  await page.getByLabel('密码').fill('a-good-password');
  await acceptTerms(page);
  await answerChallengeIfAsked(page);
  await page.getByRole('button', { name: '创建账号' }).click();
  await expect(page.getByTestId('current-user')).toContainText('协议测试');

  // The documents are open to read, with their version.
  await page.goto('/legal/rules');
  await expect(page.getByTestId('legal-version')).toContainText('版本');
  await expect(page.getByTestId('site-footer')).toContainText('support@codelink.dev');
});

// The help centre's contact form lands in the admins' queue; the answer reaches the user's bell.
test('a question through the help centre is answered as a notification', async ({ browser }) => {
  test.setTimeout(90_000);
  const userContext = await browser.newContext({ locale: 'zh-CN' });
  const user = await userContext.newPage();
  await registerAs(user, '开发者', '求助用户', 'help');
  const question = `提现多久到账？编号 ${Math.floor(Math.random() * 1e6)}`;
  await user.goto('/help');
  await hydrated(user);
  await user.getByLabel('问题类型').selectOption('withdrawal');
  await user.getByLabel('问题描述').fill(question);
  await user.getByTestId('help-send').click();
  await expect(user.getByTestId('help-sent')).toBeVisible();
  await expect(user.getByTestId('help-mine')).toContainText(question);

  const adminContext = await browser.newContext({ locale: 'zh-CN' });
  const admin = await adminContext.newPage();
  await logInAsDemo(admin, DEMO_ADMIN_EMAIL);
  await admin.goto('/admin/support');
  await hydrated(admin);
  const request = admin.getByTestId('support-request').filter({ hasText: question });
  await request.locator('textarea[name="reply"]').fill('一般一个工作日内到账。');
  await request.getByTestId('support-reply-send').click();
  await expect(admin.getByTestId('support-answered')).toContainText(question);

  await user.goto('/notifications');
  await expect(user.getByText('客服回复了你的留言').first()).toBeVisible();
  await expect(user.getByText('一般一个工作日内到账。').first()).toBeVisible();
  await userContext.close();
  await adminContext.close();
});
