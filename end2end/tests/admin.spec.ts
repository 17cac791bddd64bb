import { Browser, expect, Page, test } from '@playwright/test';
import { hydrated, logInAsDemo, registerAs } from './helpers';

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  return context.newPage();
}

async function reloadHydrated(page: Page) {
  await page.reload();
  await hydrated(page);
}

test('an admin creates a weekly challenge with a badge that a developer earns, settles a dispute 70/30, and the audit log lists it all', async ({ browser }, info) => {
  test.setTimeout(150_000);
  const admin = await newPage(browser);
  await logInAsDemo(admin, 'admin@codelink.dev');

  // A weekly challenge with its own badge, worth no points (other tests count points).
  const slug = `e2e-week-${Date.now() % 1_000_000}`;
  await admin.goto('/admin/growth');
  await hydrated(admin);
  const challenges = admin.getByTestId('admin-challenges');
  await challenges.getByLabel('标识（英文小写）').fill('Not A Slug');
  await challenges.getByTestId('create-challenge').click();
  await expect(challenges.getByText('不支持该选项').first()).toBeVisible();
  await hydrated(admin); // the refused form's typed values are put back first
  await challenges.getByLabel('标识（英文小写）').fill(slug);
  await challenges.getByLabel('成长积分').fill('0');
  await challenges.getByLabel('中文名称').fill('周签到达人');
  await challenges.getByLabel('英文名称').fill('Weekly check-in');
  await challenges.getByLabel('中文说明').fill('本周签到一次');
  await challenges.getByLabel('英文说明').fill('Check in once this week');
  await challenges.getByLabel('周期').selectOption('weekly');
  await challenges.getByLabel('要做的事').selectOption('checked_in');
  await challenges.getByLabel('次数').fill('1');
  await challenges.getByLabel('同时颁发同名徽章').check();
  await challenges.getByTestId('create-challenge').click();
  await expect(challenges.getByTestId(`admin-challenge-${slug}`)).toContainText('周签到达人');
  await admin.screenshot({ path: info.outputPath('admin-growth-1280.png'), fullPage: true });

  // A new developer checks in and earns the badge.
  const developer = await newPage(browser);
  await registerAs(developer, '开发者', '签到开发者', 'e2e-admin-dev');
  await developer.goto('/growth');
  await hydrated(developer);
  await expect(developer.getByTestId(`badge-${slug}`)).toHaveAttribute('data-earned', 'false');
  await developer.getByTestId('check-in').click();
  await expect(developer.getByTestId('check-in')).toBeDisabled();
  await reloadHydrated(developer);
  await expect(developer.getByTestId(`badge-${slug}`)).toHaveAttribute('data-earned', 'true');
  await expect(developer.getByTestId(`badge-${slug}`)).toContainText('周签到达人');

  // A new merchant funds a ¥1,000 task; the admin approves it; the developer is chosen, delivers,
  // and the merchant disputes the delivery.
  const merchant = await newPage(browser);
  await registerAs(merchant, '商家', '争议商家', 'e2e-admin-merchant');
  await merchant.goto('/wallet');
  await hydrated(merchant);
  await merchant.getByLabel('充值金额').fill('1000');
  await merchant.getByTestId('top-up').click();
  await expect(merchant).toHaveURL(/\/sandbox\/pay\//);
  await hydrated(merchant);
  await merchant.getByTestId('sandbox-confirm').click();
  await expect(merchant.getByTestId('balance-available')).toHaveText('¥1,000.00');
  await merchant.goto('/tasks/new');
  await hydrated(merchant);
  const title = `争议裁决测试任务 ${slug}`;
  await merchant.getByLabel('任务标题').fill(title);
  await merchant.getByLabel('需求描述（支持 Markdown）').fill('做一个订单数据分析看板，含三个图表和导出功能。');
  await merchant.getByLabel('任务分类').selectOption({ label: '数据与 AI' });
  await merchant.getByTestId('tag-picker').getByText('Python', { exact: true }).click();
  await merchant.getByLabel('截止日期').fill('2099-12-31');
  await merchant.getByLabel('任务报酬').fill('1000');
  await merchant.getByTestId('save-draft').click();
  await expect(merchant).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await hydrated(merchant);
  await merchant.getByTestId('publish').click();
  await expect(merchant.getByTestId('moderation-hint')).toBeVisible();
  const taskUrl = merchant.url();

  await admin.goto('/admin/moderation');
  await hydrated(admin);
  await admin.getByTestId('queued-task').filter({ hasText: title }).getByTestId('approve-task').click();
  await expect(admin.getByTestId('queued-task').filter({ hasText: title })).toHaveCount(0);

  await developer.goto(taskUrl);
  await hydrated(developer);
  await developer.getByTestId('apply').click();
  await expect(developer.getByTestId('my-application')).toBeVisible();
  await reloadHydrated(merchant);
  await merchant.getByTestId('accept-application').click();
  await expect(merchant.getByTestId('milestone-status')).toHaveText('进行中');
  await reloadHydrated(developer);
  await developer.getByLabel('交付说明').fill('看板已完成，导出功能待定');
  await developer.getByTestId('deliver').click();
  await expect(developer.getByTestId('milestone-status')).toHaveText('待验收');
  await reloadHydrated(merchant);
  await merchant.locator('summary', { hasText: '发起争议' }).first().click();
  const disputeForm = merchant.locator('form').filter({ has: merchant.getByPlaceholder('说明争议原因') });
  await disputeForm.getByPlaceholder('说明争议原因').fill('缺少导出功能');
  await disputeForm.getByRole('button', { name: '发起争议' }).click();
  await expect(merchant.getByTestId('milestone-status')).toHaveText('争议中');
  await reloadHydrated(developer);
  await developer.getByText('回应争议').first().click();
  await developer.getByTestId('dispute-response').fill('三个图表都已交付，导出是追加需求');
  await developer.getByTestId('respond-to-dispute').click();
  await expect(developer.getByTestId('timeline')).toContainText('对方回应争议');

  // The admin reads both statements on one page and settles 70/30.
  await admin.goto('/admin/disputes');
  await hydrated(admin);
  await admin.getByTestId('open-dispute').filter({ hasText: title }).click();
  await expect(admin).toHaveURL(/\/admin\/disputes\/[0-9a-f-]{36}$/);
  await hydrated(admin);
  await expect(admin.getByTestId('statement')).toHaveText('缺少导出功能');
  await expect(admin.getByTestId('response')).toHaveText('三个图表都已交付，导出是追加需求');
  await admin.getByTestId('developer-share').fill('70');
  const decision = `核心功能已交付，导出缺失，按七三分配（${slug}）`;
  await admin.getByTestId('decision-text').fill(decision);
  await admin.getByTestId('settle').click();
  await expect(admin.getByTestId('decision')).toHaveText(decision);
  await admin.screenshot({ path: info.outputPath('admin-dispute-1280.png'), fullPage: true });

  // ¥700 less 10% commission for the developer; ¥300 back to the merchant.
  await developer.goto('/wallet');
  await expect(developer.getByTestId('balance-available')).toHaveText('¥630.00');
  await merchant.goto('/wallet');
  await expect(merchant.getByTestId('balance-available')).toHaveText('¥300.00');

  // The audit log lists the three actions, newest first.
  // This run's slug names the challenge and ends the written decision.
  await admin.goto(`/admin/audit?q=${slug}`);
  await hydrated(admin);
  await expect(admin.getByTestId('audit-action')).toHaveText(['dispute.settle', 'challenge.create']);
  const taskId = taskUrl.split('/').pop()!;
  await admin.goto(`/admin/audit?q=${taskId}`);
  await expect(admin.getByTestId('audit-action')).toHaveText(['dispute.settle', 'task.approved']);
  await admin.setViewportSize({ width: 375, height: 812 });
  await admin.screenshot({ path: info.outputPath('admin-audit-375.png'), fullPage: true });
  const overflow = await admin.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
