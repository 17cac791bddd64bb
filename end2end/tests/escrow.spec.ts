import { Browser, expect, Page, test } from '@playwright/test';
import { hydrated, logInAsDemo, registerAs as signUp } from './helpers';

async function registerAs(browser: Browser, role: '开发者' | '商家', name: string): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await signUp(page, role, name, role === '商家' ? 'merchant' : 'dev');
  return page;
}

async function reloadHydrated(page: Page) {
  await page.reload();
  await hydrated(page);
}

test('a task from top-up to payout, with one round of changes, seen by both sides', async ({ browser }, info) => {
  test.setTimeout(120_000);
  const merchant = await registerAs(browser, '商家', '测试商家');
  const developer = await registerAs(browser, '开发者', '测试开发者');

  // The merchant tops up through the (sandbox) payment provider.
  await merchant.goto('/wallet');
  await hydrated(merchant);
  await expect(merchant.getByTestId('balance-available')).toHaveText('¥0.00');
  await merchant.getByLabel('充值金额').fill('500');
  await merchant.getByTestId('top-up').click();
  await expect(merchant).toHaveURL(/\/sandbox\/pay\//);
  await expect(merchant.getByTestId('sandbox-amount')).toHaveText('¥500.00');
  await hydrated(merchant);
  await merchant.getByTestId('sandbox-confirm').click();
  await expect(merchant).toHaveURL(/\/wallet$/);
  await expect(merchant.getByTestId('balance-available')).toHaveText('¥500.00');

  // Posts a task; the itemised split follows the reward as it is typed.
  await merchant.goto('/tasks/new');
  await hydrated(merchant);
  await merchant.getByLabel('任务标题').fill('把库存表格自动汇总成周报');
  await merchant.getByLabel('需求描述（支持 Markdown）').fill('**需求**：每周一把 Excel 库存表汇总成一份周报，并发邮件给店长。');
  await merchant.getByLabel('任务分类').selectOption({ label: '数据与 AI' });
  await merchant.getByTestId('tag-picker').getByText('Python', { exact: true }).click();
  await merchant.getByLabel('截止日期').fill('2099-12-31');
  await merchant.getByLabel('任务报酬').fill('300');
  await expect(merchant.getByTestId('split-commission')).toHaveText('−¥30.00');
  await expect(merchant.getByTestId('split-developer')).toHaveText('¥270.00');
  await merchant.getByTestId('save-draft').click();
  await expect(merchant).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await hydrated(merchant);
  // A draft can still be edited: the form comes back as saved.
  await merchant.getByTestId('edit-draft').click();
  await expect(merchant).toHaveURL(/\/tasks\/[0-9a-f-]{36}\/edit$/);
  await expect(merchant.getByLabel('任务报酬')).toHaveValue('300.00');
  await merchant.getByLabel('任务标题').fill('把库存表格自动汇总成周报（含图表）');
  await merchant.getByTestId('save-draft').click();
  await expect(merchant.getByTestId('task-title')).toHaveText('把库存表格自动汇总成周报（含图表）');
  await merchant.getByTestId('publish').click();
  // A new merchant's first tasks wait for an admin, with the reward already in escrow.
  await expect(merchant.getByText('待审核')).toBeVisible();
  const taskUrl = merchant.url();

  // An admin approves it from the moderation queue; the merchant then sees it open.
  const admin = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logInAsDemo(admin, 'admin@codelink.dev');
  await admin.goto('/admin/moderation');
  await hydrated(admin);
  const queued = admin.getByTestId('queued-task').filter({ hasText: '把库存表格自动汇总成周报（含图表）' });
  await expect(queued).toContainText('新商家的前几个任务');
  await queued.getByTestId('approve-task').click();
  await expect(queued).toHaveCount(0);
  await admin.goto('/admin/audit?q=task.approved');
  await expect(admin.getByTestId('audit-entry').first()).toContainText('task.approved');
  await reloadHydrated(merchant);
  await expect(merchant.getByText('招募中')).toBeVisible();

  // The developer sees the same itemisation before applying, and applies in one click.
  await developer.goto(taskUrl);
  await hydrated(developer);
  await expect(developer.getByTestId('split-reward')).toHaveText('¥300.00');
  await expect(developer.getByTestId('split-developer')).toHaveText('¥270.00');
  await developer.getByTestId('apply').click();
  await expect(developer.getByTestId('my-application')).toContainText('待答复');

  // Away from the task, the merchant's bell announces the application; the notice leads to the
  // task, and showing the task reads it.
  await merchant.goto('/me');
  await hydrated(merchant);
  await expect(merchant.getByTestId('unread-count')).toHaveText('1');
  await merchant.getByTestId('nav-notifications').click();
  await expect(merchant).toHaveURL(/\/notifications$/);
  const notice = merchant.getByTestId('notifications').getByRole('link').first();
  await expect(notice).toContainText('有开发者申请了你的任务');
  await expect(notice).toContainText('待处理');
  await notice.click();
  await expect(merchant).toHaveURL(taskUrl);
  await expect(merchant.getByTestId('unread-count')).toHaveCount(0);
  await merchant.getByTestId('accept-application').click();
  await expect(merchant.getByTestId('milestone-status')).toHaveText('进行中');

  await reloadHydrated(developer);
  await developer.getByLabel('交付说明').fill('第一版：脚本和使用说明');
  const script = 'print("按门店汇总库存")\n';
  await developer
    .getByTestId('delivery-files')
    .setInputFiles({ name: '周报脚本.py', mimeType: 'text/x-python', buffer: Buffer.from(script) });
  await developer.getByTestId('deliver').click();
  await expect(developer.getByTestId('milestone-status')).toHaveText('待验收');

  // The merchant gets the delivered file, byte for byte, under its Chinese name.
  await reloadHydrated(merchant);
  const file = merchant.getByTestId('delivery-file');
  await expect(file).toContainText('周报脚本.py');
  const download = await merchant.request.get((await file.getAttribute('href'))!);
  expect(download.status()).toBe(200);
  expect(await download.text()).toBe(script);
  await merchant.getByPlaceholder('需要修改什么？').fill('请加上按门店分组');
  await merchant.getByTestId('request-changes').click();
  await expect(merchant.getByTestId('milestone-status')).toHaveText('待修改');

  await reloadHydrated(developer);
  await expect(developer.getByTestId('timeline')).toContainText('请加上按门店分组');
  await developer.getByLabel('交付说明').fill('第二版：已按门店分组');
  await developer.getByTestId('deliver').click();
  await expect(developer.getByTestId('delivery')).toHaveCount(2);

  await reloadHydrated(merchant);
  await merchant.getByTestId('accept-delivery').click();
  await expect(merchant.getByTestId('payout')).toContainText('¥270.00');
  await expect(merchant.getByText('已完成').first()).toBeVisible();

  // Both sides review each other, double-blind: the merchant's review waits, unseen, for the
  // developer's.
  await merchant.getByTestId('quality-5').click();
  await merchant.getByTestId('communication-5').click();
  await merchant.getByTestId('timeliness-5').click();
  await merchant.getByPlaceholder('说说合作体验（可选）').fill('准时交付，代码清晰');
  await merchant.getByTestId('review-submit').click();
  await expect(merchant.getByTestId('review-status')).toContainText('你的评价已提交');
  await expect(merchant.getByTestId('rating')).toHaveCount(0);
  await merchant.setViewportSize({ width: 1280, height: 1000 });
  await merchant.screenshot({ path: info.outputPath('task-1280.png'), fullPage: true });
  await merchant.setViewportSize({ width: 375, height: 812 });
  await merchant.screenshot({ path: info.outputPath('task-375.png'), fullPage: true });
  const overflow = await merchant.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // The developer knows a review waits but cannot read it until they write theirs; then both show.
  await reloadHydrated(developer);
  await expect(developer.getByTestId('review-status')).toContainText('对方已经评价了你');
  await expect(developer.getByTestId('review')).toHaveCount(0);
  await developer.getByTestId('clarity-5').click();
  await developer.getByTestId('responsiveness-5').click();
  await developer.getByTestId('payment_speed-4').click();
  await developer.getByTestId('review-submit').click();
  await expect(developer.getByTestId('review')).toHaveCount(2);
  await expect(developer.getByTestId('reviews')).toContainText('准时交付，代码清晰');
  await expect(developer.getByTestId('rating')).toContainText('★★★★★');

  // The developer was paid at once, with the commission itemised.
  await expect(developer.getByTestId('payout')).toContainText('平台佣金 ¥30.00');
  await developer.goto('/wallet');
  await expect(developer.getByTestId('balance-available')).toHaveText('¥270.00');
  await expect(developer.getByTestId('wallet-line').first()).toContainText('任务结算');
  await expect(developer.getByTestId('wallet-line').first()).toContainText('+¥270.00');
  await developer.setViewportSize({ width: 375, height: 812 });
  await developer.screenshot({ path: info.outputPath('wallet-375.png'), fullPage: true });

  // Difficulty 3 rated 5★: 3×20 XP ×150 % and 3×10 Python points ×150 %.
  // On a phone the sections are in the header's menu.
  await developer.getByTestId('menu-toggle').click();
  await developer.getByTestId('menu-growth').click();
  await expect(developer).toHaveURL(/\/growth$/);
  await expect(developer.getByTestId('xp')).toHaveText('90');
  await expect(developer.getByTestId('level')).toHaveText('C');
  await expect(developer.getByTestId('finished-tasks')).toHaveText('1');
  await expect(developer.getByTestId('skill-list')).toContainText('Python');
  await expect(developer.getByTestId('skill-list')).toContainText('45');
  await expect(developer.getByTestId('skill-radar')).toBeVisible();
  await expect(developer.getByTestId('my-rank')).toContainText('总榜第');
  // Growth points, each from its own event: 首单完成 +20, and the challenges the work completed on
  // the way: 投递挑战 (first application) +20, 每周成长挑战 (a finished task) +30, 履历挑战 (first
  // rated task) +50, which also gives the titles shown by the level.
  await expect(developer.getByTestId('badge-first-task')).toHaveAttribute('data-earned', 'true');
  await expect(developer.getByTestId('badge-challenger')).toHaveAttribute('data-earned', 'false');
  await expect(developer.getByTestId('challenge-first-record')).toHaveAttribute('data-done', 'true');
  await expect(developer.getByTestId('titles')).toContainText('求职者');
  await expect(developer.getByTestId('titles')).toContainText('履历新星');
  await expect(developer.getByTestId('growth-points')).toHaveText('120');
  // Checking in adds 5, once a day, and with today's hall visit (registering lands on the hall)
  // completes 每日逛大厅 for 5 more.
  await developer.getByTestId('check-in').click();
  await expect(developer.getByTestId('check-in')).toHaveText('今日已打卡 · 连续 1 天');
  await expect(developer.getByTestId('check-in')).toBeDisabled();
  await expect(developer.getByTestId('challenge-daily-visit')).toHaveAttribute('data-done', 'true');
  await expect(developer.getByTestId('growth-points')).toHaveText('130');
  await developer.screenshot({ path: info.outputPath('growth-375.png'), fullPage: true });

  await merchant.goto('/wallet');
  await expect(merchant.getByTestId('balance-available')).toHaveText('¥200.00');

  // The developer can look the merchant up: their record, built from the escrow, not self-reported.
  await developer.goto(taskUrl);
  await hydrated(developer);
  await developer.getByTestId('merchant-link').click();
  await expect(developer).toHaveURL(/\/merchants\/[0-9a-f-]{36}$/);
  await expect(developer.getByTestId('merchant-name')).toHaveText('测试商家');
  await expect(developer.getByTestId('merchant-response-rate')).toHaveText('100%');
  await developer.screenshot({ path: info.outputPath('merchant-375.png'), fullPage: true });

  // The developer's public record: linked from the profile, readable by anyone without an account
  // and without JavaScript, with the paid task, the merchant's rating and the embeddable card.
  await developer.goto('/profile');
  const cardPath = await developer.getByTestId('public-card-link').getAttribute('href');
  expect(cardPath).toMatch(/^\/u\/[a-z0-9_-]+$/);
  const visitor = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
  const stranger = await visitor.newPage();
  await stranger.goto(cardPath!);
  await expect(stranger.getByTestId('resume-name')).toHaveText('测试开发者');
  await expect(stranger.getByTestId('resume-finished')).toHaveText('1');
  await expect(stranger.getByTestId('resume-tasks')).toContainText('把库存表格自动汇总成周报（含图表）');
  await expect(stranger.getByTestId('resume-tasks')).toContainText('准时交付，代码清晰');
  await expect(stranger.getByTestId('resume-tasks')).toContainText('委托方：测试商家');
  await expect(stranger.locator('meta[property="og:title"]')).toHaveAttribute('content', /测试开发者/);
  const image = await stranger.request.get(`${cardPath}/card.svg`);
  expect(image.status()).toBe(200);
  expect(image.headers()['content-type']).toContain('image/svg+xml');
  await stranger.setViewportSize({ width: 375, height: 812 });
  await stranger.screenshot({ path: info.outputPath('resume-375.png'), fullPage: true });
  await stranger.setViewportSize({ width: 1280, height: 900 });
  await stranger.screenshot({ path: info.outputPath('resume-1280.png'), fullPage: true });
  await visitor.close();
});
