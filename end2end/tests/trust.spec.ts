import { expect, test } from '@playwright/test';
import { hydrated, logInAsDemo, registerAs } from './helpers';

// Two people in two browsers: a new developer applies to a demo merchant's open task, they talk on
// the task page without reloading, contact details are masked before the developer is chosen, and
// the developer's bell rises, live, when the merchant accepts.
test('merchant and applicant talk live; the bell rises when the merchant accepts', async ({ browser }, info) => {
  test.setTimeout(90_000);
  const developerContext = await browser.newContext({ locale: 'zh-CN' });
  const developer = await developerContext.newPage();
  // A name of its own, so reruns against the same demo data find this run's applicant.
  const name = `沟通测试${Math.floor(Math.random() * 1e6)}`;
  await registerAs(developer, '开发者', name, 'chat');

  // An open task of the demo's individual merchant, 王磊, open to every level.
  await developer.goto('/?kind=individual');
  await hydrated(developer);
  const card = developer.getByTestId('task-list').getByTestId('task-card').filter({ hasNot: developer.getByTestId('min-level') }).first();
  await card.getByRole('link').first().click();
  await expect(developer).toHaveURL(/\/tasks\/[0-9a-f-]{36}$/);
  await hydrated(developer);
  const taskUrl = developer.url();
  await developer.getByTestId('apply').click();
  await expect(developer.getByTestId('my-application')).toContainText('待答复');
  await expect(developer.getByTestId('conversation')).toContainText('还没有消息');

  const merchantContext = await browser.newContext({ locale: 'zh-CN' });
  const merchant = await merchantContext.newPage();
  await logInAsDemo(merchant, 'wang.lei@example.cn');
  await merchant.goto(taskUrl);
  await hydrated(merchant);
  const conversation = merchant.getByTestId('conversation');
  const tab = conversation.getByRole('tab', { name });
  if ((await tab.count()) > 0) await tab.click();

  // The merchant writes; the developer's page shows it without a reload, the phone number masked.
  await merchant.getByTestId('message-body').fill('你好，三天内能完成吗？电话 13812345678');
  await merchant.getByTestId('message-send').click();
  await expect(developer.getByTestId('message').last()).toContainText('三天内能完成吗');
  await expect(developer.getByTestId('message').last()).toContainText('电话 ***');
  await expect(developer.getByTestId('masking-note')).toBeVisible();

  // And back.
  await developer.getByTestId('message-body').fill('可以，今晚开始');
  await developer.getByTestId('message-send').click();
  await expect(merchant.getByTestId('message').last()).toContainText('可以，今晚开始');

  // The developer waits elsewhere, everything read; the merchant accepts; the bell rises there, live.
  await developer.goto('/notifications');
  await hydrated(developer);
  await developer.getByTestId('read-all').click();
  await expect(developer.getByTestId('unread-count')).toHaveCount(0);
  await merchant
    .getByTestId('application')
    .filter({ hasText: name })
    .getByTestId('accept-application')
    .click();
  await expect(merchant.getByTestId('milestone-status')).toHaveText('进行中');
  await expect(developer.getByTestId('unread-count')).toHaveText('1');

  // The conversation survives a reload and is no longer masked for the chosen developer.
  await developer.goto(taskUrl);
  await hydrated(developer);
  await expect(developer.getByTestId('message')).toHaveCount(2);
  await expect(developer.getByTestId('masking-note')).toHaveCount(0);
  await developer.setViewportSize({ width: 375, height: 812 });
  await developer.screenshot({ path: info.outputPath('conversation-375.png'), fullPage: true });
  const overflow = await developer.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
  await developerContext.close();
  await merchantContext.close();
});
