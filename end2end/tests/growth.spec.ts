import { expect, test } from '@playwright/test';
import { hydrated, registerAs } from './helpers';

test('a new developer completes the welcome challenge and sees its badge and 100 points', async ({ browser }, info) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await registerAs(page, '开发者', '新人小李', 'welcome');
  // Registering lands on the task hall: that is the first of the two steps.
  await expect(page.getByTestId('task-list')).toBeVisible();

  await page.getByTestId('nav-growth').click();
  await expect(page).toHaveURL(/\/growth$/);
  const welcome = page.getByTestId('challenge-welcome');
  await expect(welcome).toHaveAttribute('data-done', 'false');
  await expect(welcome).toContainText('剩余 7 天');
  await expect(welcome.locator('[data-met="true"]')).toHaveCount(1);
  await expect(page.getByTestId('growth-points')).toHaveText('0');
  await expect(page.getByTestId('badge-welcome')).toHaveAttribute('data-earned', 'false');

  // The unmet step links to where it is done.
  await welcome.getByRole('link', { name: '完善个人资料' }).click();
  await expect(page).toHaveURL(/\/profile$/);
  await hydrated(page);
  await page.getByLabel('一句话介绍').fill('Python 数据分析，擅长自动化报表');
  await page.getByLabel('个人简介').fill('短');
  await page.getByTestId('save-profile').click();
  await expect(page.locator('.field-error')).toHaveCount(2); // the introduction, and no skill chosen
  await hydrated(page);
  await expect(page.getByLabel('一句话介绍')).toHaveValue('Python 数据分析，擅长自动化报表');
  await page.getByLabel('个人简介').fill('三年数据分析经验，做过零售门店的周报自动化和看板。');
  await page.getByTestId('skill-picker').getByText('Python', { exact: true }).click();
  await page.getByTestId('skill-picker').getByText('数据分析', { exact: true }).click();
  await page.getByTestId('save-profile').click();
  await expect(page.getByTestId('profile-saved')).toBeVisible();

  await page.goto('/growth');
  await hydrated(page);
  await expect(page.getByTestId('challenge-welcome')).toHaveAttribute('data-done', 'true');
  await expect(page.getByTestId('badge-welcome')).toHaveAttribute('data-earned', 'true');
  await expect(page.getByTestId('growth-points')).toHaveText('100');
  await expect(page.getByTestId('invite-link')).toContainText('/register?invite=');
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: info.outputPath('growth-welcome-375.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);
});
