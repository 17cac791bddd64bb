import { Browser, expect, Page, test } from '@playwright/test';
import { hydrated, logInAsDemo, registerAs } from './helpers';

async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ locale: 'zh-CN' });
  return context.newPage();
}

test('an invited mentor posts a challenge, a verified developer enters, and the award reaches the winner', async ({ browser }, info) => {
  test.setTimeout(150_000);
  const suffix = Date.now() % 1_000_000;
  const mentor = await newPage(browser);
  const mentorName = `导师${suffix}`;
  await registerAs(mentor, '开发者', mentorName, 'e2e-mentor');

  const admin = await newPage(browser);
  await logInAsDemo(admin, 'admin@codelink.dev');
  await admin.goto(`/admin/users?q=${encodeURIComponent(mentorName)}`);
  await hydrated(admin);
  await admin.getByTestId('admin-user').filter({ hasText: mentorName }).getByTestId('invite-mentor').click();
  await expect(admin.getByTestId('admin-user').filter({ hasText: mentorName }).getByTestId('invite-mentor')).toHaveText('取消导师邀请');

  // The mentor funds a ¥500 prize.
  await mentor.goto('/wallet');
  await hydrated(mentor);
  await mentor.getByLabel('充值金额').fill('600');
  await mentor.getByTestId('top-up').click();
  await hydrated(mentor);
  await mentor.getByTestId('sandbox-confirm').click();
  await expect(mentor.getByTestId('balance-available')).toHaveText('¥600.00');
  await mentor.goto('/contests');
  await hydrated(mentor);
  const form = mentor.getByTestId('new-contest');
  const title = `接口限流设计挑战 ${suffix}`;
  await form.getByLabel('挑战标题').fill(title);
  await form.getByLabel('题目说明（支持 Markdown）').fill('为开放 API 设计**限流**方案：按用户、按接口，说明算法选择。');
  await form.getByLabel('奖金（元，从余额托管）').fill('500');
  await form.getByLabel('提交截止日期').fill('2099-12-31');
  await form.getByTestId('create-contest').click();
  await expect(mentor).toHaveURL(/\/contests\/[0-9a-f-]{36}$/);
  await hydrated(mentor);
  await expect(mentor.getByTestId('contest')).toContainText('¥500.00');
  const contestUrl = mentor.url();

  // A developer verifies a real name (a malformed ID number is refused first), enters and submits.
  const developer = await newPage(browser);
  await registerAs(developer, '开发者', `参赛者${suffix}`, 'e2e-entrant');
  await developer.goto('/contests');
  await hydrated(developer);
  const identity = developer.getByTestId('identity-form');
  await identity.getByLabel('真实姓名').fill('王小明');
  await identity.getByLabel('身份证号').fill('110105194912310021');
  await identity.getByTestId('verify-identity').click();
  await expect(identity.getByText('不支持该选项')).toBeVisible();
  // The refused form came back as a new page whose script puts back what was typed: wait for it,
  // or it can overwrite the correction typed next.
  await hydrated(developer);
  await identity.getByLabel('身份证号').fill('11010519491231002X');
  await identity.getByTestId('verify-identity').click();
  await expect(developer.getByTestId('identity-verified')).toContainText('王**');
  await developer.goto(contestUrl);
  await hydrated(developer);
  await developer.getByTestId('join-contest').click();
  const entry = developer.getByTestId('submit-entry');
  await entry.locator('textarea[name="submission"]').fill('令牌桶按用户限流，滑动窗口按接口限流，Redis Lua 原子执行。');
  await entry.getByTestId('send-entry').click();
  await expect(developer.getByTestId('entry-submitted')).toBeVisible();

  // The mentor awards the prize with a review and a recommendation letter.
  await mentor.reload();
  await hydrated(mentor);
  await expect(mentor.getByTestId('contest-entry')).toHaveCount(1);
  await mentor.getByTestId('award-review').fill('算法选择有理有据，考虑了分布式一致性。');
  await mentor.getByTestId('award-recommendation').fill('推荐王小明负责网关与限流相关的后端工作。');
  await mentor.getByTestId('award-contest').click();
  await expect(mentor.getByTestId('contest-winner')).toContainText(`参赛者${suffix}`);
  await expect(mentor.getByTestId('contest-status')).toHaveText('已评出');
  await mentor.screenshot({ path: info.outputPath('contest-awarded-1280.png'), fullPage: true });

  await developer.goto('/wallet');
  await hydrated(developer);
  await expect(developer.getByTestId('balance-available')).toHaveText('¥500.00');
  await expect(developer.getByTestId('wallet-line').first()).toContainText('导师挑战奖金');
});
