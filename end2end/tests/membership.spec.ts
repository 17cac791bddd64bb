import { expect, Page, test } from '@playwright/test';
import { hydrated, logInAsDemo, registerAs, topUp } from './helpers';

async function purchaseLines(page: Page): Promise<number> {
  await page.goto('/wallet');
  await hydrated(page);
  return page.getByTestId('wallet-line').filter({ hasText: '会员或推广' }).count();
}

test('a merchant buys a pin with a double-click: paid once, and the task shows pinned and labelled in the hall', async ({ page }, info) => {
  test.setTimeout(90_000);
  await logInAsDemo(page, 'hr@xingchen.tech');
  const before = await purchaseLines(page);

  await page.goto('/tasks/new');
  await hydrated(page);
  const token = `pin${Date.now() % 1_000_000}`;
  const title = `置顶推广测试任务 ${token}`;
  await page.getByLabel('任务标题').fill(title);
  await page.getByLabel('需求描述（支持 Markdown）').fill('为门店做一个会员积分小程序，含积分查询和兑换。');
  await page.getByLabel('任务分类').selectOption({ label: '移动与小程序' });
  await page.getByTestId('tag-picker').getByText('小程序', { exact: true }).click();
  await page.getByLabel('截止日期').fill('2099-12-31');
  await page.getByLabel('任务报酬').fill('800');
  await page.getByTestId('save-draft').click();
  await expect(page).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await page.getByTestId('publish').click();

  const promotion = page.getByTestId('promotion');
  await expect(promotion).toBeVisible();
  await expect(promotion).toContainText('明确标注为付费推广');
  await promotion.getByTestId('promote').dblclick();
  await expect(promotion.getByTestId('promotion-running')).toHaveCount(1);
  await expect(promotion.getByTestId('promotion-running')).toContainText('置顶');

  // The strip follows the search, like the results (three pins at most, drawn at random).
  await page.goto(`/?q=${token}`);
  await hydrated(page);
  const pinned = page.getByTestId('pinned').getByTestId('task-card').filter({ hasText: title });
  await expect(pinned).toBeVisible();
  await expect(pinned.getByTestId('promoted-label')).toHaveText('推广 · 置顶');
  await page.screenshot({ path: info.outputPath('hall-pinned-1280.png') });

  expect(await purchaseLines(page)).toBe(before + 1);
  await expect(page.getByTestId('wallet-line').filter({ hasText: '会员或推广' }).first()).toContainText('¥30.00');
});

test("a developer's community post completes the weekly growth challenge and is found by search", async ({ page }, info) => {
  test.setTimeout(90_000);
  await registerAs(page, '开发者', '社区新人', 'e2e-community');
  await page.goto('/growth');
  await hydrated(page);
  await expect(page.getByTestId('challenge-weekly-growth')).toHaveAttribute('data-done', 'false');

  await page.goto('/community');
  await hydrated(page);
  const title = `协程调度踩坑记录 ${Date.now() % 1_000_000}`;
  const form = page.getByTestId('new-post');
  await form.getByLabel('标题').fill('短');
  await form.getByTestId('publish-post').click();
  await expect(form.getByText('至少需要 4 个字符')).toBeVisible();
  await hydrated(page); // the refused form's typed values are put back first
  await form.getByLabel('标题').fill(title);
  await form.getByLabel('内容（支持 Markdown）').fill('**结论**：tokio 里不要在异步上下文里 block_on。\n\n- 换成 spawn\n- 或者用 spawn_blocking');
  await form.getByLabel('技能标签（可选，逗号分隔）').fill('Rust');
  await form.getByTestId('publish-post').click();
  await expect(page).toHaveURL(/\/community\/[0-9a-f-]{36}$/);
  await hydrated(page);
  await expect(page.getByTestId('post')).toContainText(title);
  await expect(page.getByTestId('post-body').locator('strong')).toHaveText('结论');
  await page.getByTestId('like').click();
  await expect(page.getByTestId('like')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('like')).toContainText('1');
  await page.getByTestId('reply-body').fill('学到了，谢谢分享');
  await page.getByTestId('send-reply').click();
  await expect(page.getByTestId('reply')).toContainText('学到了，谢谢分享');

  await page.goto('/community?q=协程调度');
  await hydrated(page);
  await expect(page.getByTestId('post-card').filter({ hasText: title })).toBeVisible();
  await page.screenshot({ path: info.outputPath('community-1280.png'), fullPage: true });

  await page.goto('/growth');
  await hydrated(page);
  await expect(page.getByTestId('challenge-weekly-growth')).toHaveAttribute('data-done', 'true');
});

test('a developer buys the growth pass from the wallet and cancels it for the unused days', async ({ page }, info) => {
  test.setTimeout(90_000);
  await registerAs(page, '开发者', '会员开发者', 'e2e-membership');
  await topUp(page, '100');
  await page.goto('/membership');
  await hydrated(page);
  await expect(page.getByTestId('membership-balance')).toHaveText('¥100.00');
  await expect(page.getByTestId('plan-enterprise')).toHaveCount(0);
  const pass = page.getByTestId('plan-growth_pass');
  await pass.getByTestId('plan-buy').click();
  await expect(pass.getByTestId('plan-active')).toBeVisible();
  await expect(page.getByTestId('membership-balance')).toHaveText('¥51.00');
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: info.outputPath('membership-390.png'), fullPage: true });
  await pass.getByTestId('plan-cancel').click();
  await expect(page.getByTestId('membership-refunded')).toBeVisible();
  await expect(pass.getByTestId('plan-active')).toHaveCount(0);
  await expect(page.getByTestId('membership-balance')).not.toHaveText('¥51.00');
});
