import { expect, test } from '@playwright/test';
import { logInAsDemo } from './helpers';

test('a developer spends growth points on a card theme and the public card wears it', async ({ page }, info) => {
  // dev06's demo history (badges and challenges, awarded as they happened) leaves well over the
  // theme's price in growth points, and no other browser test signs in as dev06.
  await logInAsDemo(page, 'dev06@codelink.dev');
  await page.goto('/growth');
  await page.getByTestId('mall-link').click();
  await expect(page).toHaveURL(/\/mall$/);
  const balance = Number(await page.getByTestId('mall-balance').innerText());
  expect(balance).toBeGreaterThanOrEqual(120);

  await page.getByTestId('buy-theme-ink').click();
  await expect(page.getByTestId('mall-bought')).toHaveText('兑换成功：墨韵');
  await expect(page.getByTestId('mall-balance')).toHaveText(String(balance - 120));
  // Owned now: a theme is bought once and then worn.
  await expect(page.getByTestId('buy-theme-ink')).toHaveCount(0);
  await page.getByTestId('theme-ink').getByRole('button', { name: '使用此主题' }).click();
  await expect(page.getByTestId('theme-ink')).toContainText('使用中');

  await page.setViewportSize({ width: 1280, height: 900 });
  await page.screenshot({ path: info.outputPath('mall-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: info.outputPath('mall-375.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  await page.getByTestId('mall-card-link').click();
  await expect(page.locator('[data-theme="ink"]')).toHaveCount(1);
  const card = await page.request.get('/u/dev06/card.svg');
  expect(await card.text()).toContain('#1c1917');
});
