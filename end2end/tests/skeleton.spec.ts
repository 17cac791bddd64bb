import { expect, test } from '@playwright/test';
import { acceptTerms, answerChallengeIfAsked, hydrated, logInAsDemo, uniqueEmail } from './helpers';

test('a visitor sees the task hall in Chinese with tasks from the database', async ({ page }, info) => {
  await page.goto('/');
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('任务大厅');
  const cards = page.getByTestId('task-list').getByTestId('task-card');
  await expect(cards).toHaveCount(20);
  await expect(cards.first().getByTestId('task-reward')).toHaveText(/^¥[\d,]+\.\d{2}$/);
  await expect(page.getByTestId('pager-status')).toHaveText(/^第 1 \/ \d+ 页$/);

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: info.outputPath('hall-1280.png'), fullPage: false });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: info.outputPath('hall-375.png'), fullPage: false });
  // Nothing may overflow sideways on a phone.
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});

test('paging works after hydration without a full reload', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  const firstTitle = await page.getByTestId('task-list').getByTestId('task-card').first().locator('h2').textContent();
  await page.evaluate(() => ((window as any).__noReload = true));
  await page.getByRole('link', { name: '下一页' }).click();
  await expect(page).toHaveURL(/\?page=2$/);
  await expect(page.getByTestId('pager-status')).toHaveText(/^第 2 \/ \d+ 页$/);
  await expect(page.getByTestId('task-list').getByTestId('task-card').first().locator('h2')).not.toHaveText(firstTitle!);
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

test('the hall is readable and pageable with JavaScript off', async ({ browser }) => {
  const context = await browser.newContext({ javaScriptEnabled: false, locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByTestId('task-list').getByTestId('task-card')).toHaveCount(20);
  await page.getByRole('link', { name: '下一页' }).click();
  await expect(page.getByTestId('pager-status')).toHaveText(/^第 2 \/ \d+ 页$/);
  await context.close();
});

test('switching to English persists across a reload', async ({ page }) => {
  await page.goto('/');
  await hydrated(page);
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Task hall');
  await page.reload();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Task hall');
  await expect(page.getByTestId('pager-status')).toHaveText(/^Page 1 of \d+$/);
});

test('register with field errors first, log out, log in, and a wrong password', async ({ page }) => {
  const email = uniqueEmail('dev');
  await page.goto('/register');
  await hydrated(page);
  await page.getByLabel('昵称').fill('测试开发者');
  await page.getByLabel('邮箱').fill('not-an-email');
  await page.getByLabel('密码').fill('short');
  await page.getByRole('button', { name: '创建账号' }).click();
  await expect(page.locator('#field-email-error')).toHaveText('邮箱格式不正确');
  await expect(page.locator('#field-password-error')).toHaveText('至少需要 8 个字符');
  // The refused form came back as a new page: what was typed is back once its script runs.
  await hydrated(page);
  await expect(page.getByLabel('昵称')).toHaveValue('测试开发者');
  await expect(page.getByLabel('密码')).toHaveValue('');

  // Switching language loads the page again in English, and the form answers in English.
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await hydrated(page);
  await page.getByLabel('Email').fill('not-an-email');
  await page.getByRole('button', { name: 'Create account' }).click();
  await expect(page.locator('#field-email-error')).toHaveText('That is not a valid email address');
  await hydrated(page);
  await page.getByTestId('language-switch').click();
  await expect(page.locator('html')).toHaveAttribute('lang', 'zh-CN');
  await hydrated(page);

  await page.getByLabel('昵称').fill('测试开发者');
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill('a-good-password');
  await acceptTerms(page);
  await answerChallengeIfAsked(page);
  await page.getByRole('button', { name: '创建账号' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('current-user')).toContainText('测试开发者');
  await expect(page.getByTestId('current-user')).toContainText('开发者');

  await page.getByTestId('logout').click();
  await expect(page.getByRole('link', { name: '登录' })).toBeVisible();
  await expect(page.getByTestId('current-user')).toHaveCount(0);

  await page.getByRole('link', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/login$/);
  await page.getByLabel('邮箱').fill(email);
  await page.getByLabel('密码').fill('definitely-wrong');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page.getByRole('alert')).toHaveText('邮箱或密码错误');
  await hydrated(page);
  await expect(page.getByLabel('邮箱')).toHaveValue(email);

  await page.getByLabel('密码').fill('a-good-password');
  await page.getByRole('button', { name: '登录' }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByTestId('current-user')).toContainText('测试开发者');
});

test('a developer from the demo data does not reach the admin page', async ({ page }) => {
  await logInAsDemo(page, 'dev01@codelink.dev');
  await page.goto('/admin');
  await expect(page.getByRole('alert')).toHaveText('当前账号没有权限执行此操作');
});

test('an admin from the demo data sets a commission rate and the growth rules', async ({ page }) => {
  // Three admin screens, each loading its data, after a two-step login: more than the default
  // 30 seconds when the other worker runs a heavy test beside it.
  test.slow();
  await logInAsDemo(page, 'admin@codelink.dev');
  await page.getByRole('link', { name: '管理后台' }).click();
  await expect(page.getByTestId('dashboard-today')).toContainText('今日新用户');
  await page.getByTestId('admin-tab-money').click();
  await expect(page).toHaveURL(/\/admin\/money$/);

  // The admin sets the design category's commission: out of the 5–15% band is a field error,
  // 12% from today shows in the table at once.
  const rates = page.getByTestId('commission-rates');
  await rates.getByLabel('任务分类').selectOption({ label: '设计' });
  await rates.getByLabel('费率 (%)').fill('16');
  await rates.getByTestId('save-rate').click();
  await expect(rates.getByTestId('rate-error')).toHaveText('请输入 5%–15% 之间的费率，最多两位小数');
  await hydrated(page); // the refused form's typed values are put back first
  await rates.getByLabel('费率 (%)').fill('12');
  await rates.getByTestId('save-rate').click();
  await expect(rates.getByTestId('rate-design').getByTestId('rate-now')).toHaveText('12%');
  await expect(rates.getByTestId('rate-error')).toHaveText('');

  // Growth rules: the form starts from the rules in force; a level needing 0 tasks is refused
  // under its row and what was typed stays; saving the same rules again changes no one's level
  // (other tests run against these rules at the same time).
  await page.getByTestId('admin-tab-growth').click();
  await expect(page).toHaveURL(/\/admin\/growth$/);
  const rules = page.getByTestId('admin-growth-rules');
  await expect(rules.locator('#rules-b-tasks')).toHaveValue('3');
  await rules.locator('#rules-b-tasks').fill('0');
  await rules.getByTestId('save-growth-rules').click();
  await expect(rules.getByTestId('rules-b-error')).toHaveText('请输入 1 到 10000 之间的数字');
  await expect(rules.locator('#rules-b-tasks')).toHaveValue('0');
  await rules.locator('#rules-b-tasks').fill('3');
  await rules.getByTestId('save-growth-rules').click();
  await expect(rules.getByTestId('rules-outcome')).toContainText('已保存，0 位开发者的等级发生变化。');
  await expect(rules.getByTestId('rules-shift')).toHaveText('等级上升 0 人，下降 0 人');
  await expect(rules.getByTestId('rules-b-error')).toHaveText('');
  // A preview saves nothing: the form comes back holding the numbers previewed, with who would move.
  await hydrated(page);
  await rules.locator('#rules-b-tasks').fill('2');
  await rules.getByTestId('rules-preview-only').check();
  await rules.getByTestId('save-growth-rules').click();
  await expect(rules.getByTestId('rules-outcome')).toContainText('预览：尚未保存');
  await expect(rules.locator('#rules-b-tasks')).toHaveValue('2');
  await rules.scrollIntoViewIfNeeded();
  await page.screenshot({ path: test.info().outputPath('admin-growth-rules.png'), fullPage: true });
});
