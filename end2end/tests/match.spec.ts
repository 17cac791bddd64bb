import { Browser, expect, Page, test } from '@playwright/test';
import { hydrated, logInAsDemo, selectOptionContaining } from './helpers';

// The merchant's side of the match, with demo accounts nobody else's test uses: 面包工作室 finds a
// developer by a Chinese skill word, invites them, compares two applicants and chooses the one who
// quoted their own price; the quoting developer also withdraws an application elsewhere.

async function demoPage(browser: Browser, email: string): Promise<Page> {
  const page = await (await browser.newContext({ locale: 'zh-CN' })).newPage();
  await logInAsDemo(page, email);
  return page;
}

async function reloadHydrated(page: Page) {
  await page.reload();
  await hydrated(page);
}

test('find a developer, invite, receive a quote, compare and choose it; withdraw elsewhere', async ({ browser }) => {
  test.setTimeout(150_000);
  const merchant = await demoPage(browser, 'hello@mianbao.studio');
  const invitee = await demoPage(browser, 'dev07@codelink.dev');
  const other = await demoPage(browser, 'dev08@codelink.dev');

  // A new task of 面包工作室 (an established merchant: it opens without review).
  const title = `容器化部署改造 ${Date.now()}`;
  await merchant.goto('/tasks/new');
  await hydrated(merchant);
  await merchant.getByLabel('任务标题').fill(title);
  await merchant.getByLabel('需求描述（支持 Markdown）').fill('把现有的 Python 服务打包成 Docker 镜像，写好部署脚本。');
  await merchant.getByLabel('任务分类').selectOption({ label: '数据与 AI' });
  await merchant.getByTestId('tag-picker').getByText('Python', { exact: true }).click();
  await merchant.getByLabel('截止日期').fill('2099-12-31');
  await merchant.getByLabel('任务报酬').fill('200');
  await merchant.getByTestId('save-draft').click();
  await expect(merchant).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await hydrated(merchant);
  await merchant.getByTestId('publish').click();
  await expect(merchant.getByText('招募中').first()).toBeVisible();
  const taskUrl = merchant.url();

  // Talent search by a Chinese skill word, without JavaScript's help: a plain GET form.
  await merchant.goto('/developers');
  await hydrated(merchant);
  await merchant.getByTestId('talent-search').fill('运维');
  await merchant.getByTestId('talent-search-submit').click();
  await expect(merchant).toHaveURL(/\/developers\?.*q=%E8%BF%90%E7%BB%B4/);
  const found = merchant.locator('[data-testid="talent-result"][data-handle="dev07"]');
  await expect(found).toBeVisible();
  await expect(found.getByTestId('talent-level')).toBeVisible();
  await found.getByTestId('talent-name').click();
  await expect(merchant).toHaveURL(/\/u\/dev07$/);
  await hydrated(merchant);

  // The invitation, from the developer's card, to the new task.
  await selectOptionContaining(merchant.getByTestId('invite-task'), title);
  await merchant.getByTestId('invite-note').fill('你的部署经验正合适，欢迎投递并报个价。');
  await merchant.getByTestId('send-invitation').click();
  // The form comes back with a line saying it was sent, and the task marked as invited.
  await expect(merchant).toHaveURL(/[?&]invited=/);
  await expect(merchant.getByTestId('invitation-sent')).toBeVisible();
  await expect(merchant.getByTestId('invite-task').locator('option', { hasText: title })).toContainText('已邀请');

  // dev07 first withdraws an application elsewhere (it stops counting against the cap).
  await invitee.goto('/');
  await hydrated(invitee);
  const elsewhere = invitee.getByTestId('task-card').first();
  await elsewhere.getByRole('link').first().click();
  await hydrated(invitee);
  if ((await invitee.getByTestId('apply').count()) > 0) {
    await invitee.getByTestId('apply').click();
    await expect(invitee.getByTestId('my-application')).toContainText('待答复');
  }
  await invitee.getByTestId('withdraw-application').click();
  await expect(invitee.getByTestId('my-application')).toContainText('已撤回');

  // The invitation is listed (投递 there applies at the posted reward in one click); dev07 opens the
  // task from it instead, to quote ¥240 (120 %).
  await invitee.goto('/invitations');
  await hydrated(invitee);
  const invitation = invitee.getByTestId('invitation').filter({ hasText: title });
  await expect(invitation).toContainText('你的部署经验正合适');
  await expect(invitation.getByTestId('invitation-apply')).toBeVisible();
  await invitation.getByRole('link', { name: title }).click();
  await expect(invitee).toHaveURL(taskUrl);
  await hydrated(invitee);
  await expect(invitee.getByTestId('invitation-banner')).toBeVisible();
  await invitee.getByTestId('quote-fields').locator('summary').click();
  await invitee.getByTestId('quote-amount').fill('240');
  await invitee.getByTestId('quote-note').fill('含部署文档和一次线上演练。');
  await invitee.getByTestId('apply').click();
  await expect(invitee.getByTestId('my-application')).toContainText('待答复');
  await expect(invitee.getByTestId('my-application').getByTestId('quote-total')).toContainText('¥240.00');

  // dev08 applies at the posted reward.
  await other.goto(taskUrl);
  await hydrated(other);
  await other.getByTestId('apply').click();
  await expect(other.getByTestId('my-application')).toContainText('待答复');

  // The merchant compares both applicants side by side, with their evidence and dev07's quote.
  await reloadHydrated(merchant);
  await merchant.goto(taskUrl);
  await hydrated(merchant);
  await expect(merchant.getByTestId('application')).toHaveCount(2);
  await expect(merchant.getByTestId('applicant-evidence')).toHaveCount(2);
  for (const add of await merchant.getByTestId('compare-add').all()) {
    await merchant.getByTestId('compare-add').first().click();
    await hydrated(merchant);
    void add;
  }
  await expect(merchant).toHaveURL(/compare=/);
  await expect(merchant.getByTestId('compare-column')).toHaveCount(2);
  const quoted = merchant.getByTestId('application').filter({ has: merchant.getByTestId('quote') });
  await expect(quoted.getByTestId('quote-total')).toContainText('¥240.00');
  await quoted.getByTestId('accept-application').click();
  await expect(merchant.getByTestId('milestone-status')).toHaveText('进行中');

  // Both parties now see the agreed ¥240.00 itemised, and the timeline records the terms.
  await reloadHydrated(merchant);
  await expect(merchant.getByTestId('split-reward')).toHaveText('¥240.00');
  await expect(merchant.getByTestId('timeline')).toContainText('¥240.00');
  await reloadHydrated(invitee);
  await expect(invitee.getByTestId('split-reward')).toHaveText('¥240.00');
  await expect(invitee.getByTestId('milestone-status')).toHaveText('进行中');
  await reloadHydrated(other);
  await expect(other.getByTestId('my-application')).toContainText('未录用');
});
