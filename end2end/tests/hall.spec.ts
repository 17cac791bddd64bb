import { expect, test } from '@playwright/test';
import { hydrated } from './helpers';

test('filter by two tags and a reward range, search in Chinese, open a task and come back to the same filters', async ({ page }, info) => {
  await page.goto('/');
  await hydrated(page);
  await page.evaluate(() => ((window as any).__noReload = true));
  const filters = page.getByTestId('hall-filters');
  // Tag chips are labels around hidden checkboxes.
  await filters.locator('label', { has: page.getByTestId('filter-tag-python') }).click();
  await filters.locator('label', { has: page.getByTestId('filter-tag-miniprogram') }).click();
  // The rarer filters are folded away until asked for.
  await expect(page.getByTestId('hall-rmin')).toBeHidden();
  await page.getByTestId('hall-more').click();
  await page.getByTestId('hall-rmin').fill('1000');
  await page.getByTestId('hall-rmax').fill('20000');
  await page.getByTestId('hall-apply').click();
  await expect(page).toHaveURL(/tag=python/);
  await expect(page).toHaveURL(/tag=miniprogram/);
  await expect(page).toHaveURL(/rmin=1000/);
  await expect(page.getByTestId('hall-count')).toHaveText(/^找到 \d+ 个匹配的任务$/);
  // Every card carries one of the two skills and pays within the range.
  const cards = page.getByTestId('task-list').getByTestId('task-card');
  await expect(cards.first()).toBeVisible();
  for (const card of await cards.all()) {
    await expect(card).toContainText(/Python|小程序/);
    const reward = Number((await card.getByTestId('task-reward').textContent())!.replace(/[¥,]/g, ''));
    expect(reward).toBeGreaterThanOrEqual(1000);
    expect(reward).toBeLessThanOrEqual(20000);
  }

  // Search in Chinese on top of the filters: the matched words are highlighted.
  await page.getByTestId('hall-search').fill('数据分析');
  await page.getByTestId('hall-search-submit').click();
  await expect(page).toHaveURL(/q=%E6%95%B0%E6%8D%AE%E5%88%86%E6%9E%90/);
  await expect(cards.first()).toBeVisible();
  await expect(page.getByTestId('hit').first()).toHaveText('数据分析');
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
  const url = page.url();
  await page.setViewportSize({ width: 1280, height: 1000 });
  await page.screenshot({ path: info.outputPath('hall-search-1280.png'), fullPage: true });
  await page.setViewportSize({ width: 375, height: 812 });
  await page.screenshot({ path: info.outputPath('hall-search-375.png'), fullPage: true });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  expect(overflow).toBeLessThanOrEqual(0);

  // Open a task, go back: the same search and filters, still applied.
  await cards.first().locator('h2 a').click();
  await expect(page).toHaveURL(/\/tasks\//);
  await page.goBack();
  await expect(page).toHaveURL(url);
  await expect(page.getByTestId('hall-search')).toHaveValue('数据分析');
  await expect(page.getByTestId('filter-tag-python')).toBeChecked();
  await expect(page.getByTestId('filter-tag-miniprogram')).toBeChecked();
  await expect(page.getByTestId('hall-rmin')).toHaveValue('1000');

  // A search that matches nothing says so and offers to clear everything.
  await page.getByTestId('hall-search').fill('量子计算 Haskell');
  await page.getByTestId('hall-search-submit').click();
  await expect(page.getByTestId('hall-empty')).toContainText('没有匹配的任务');
  await page.getByTestId('hall-empty').getByRole('link').click();
  await expect(page.getByTestId('hall-count')).toHaveText(/开放任务/);
});
