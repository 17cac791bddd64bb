import { expect, test } from '@playwright/test';
import { hydrated, logInAsDemo, registerAs } from './helpers';

// The demo's second developer has a finished, rated history spread over past months.
const HANDLE = 'dev02';

test('a stranger reads a resume card, follows its verification links, checks a credential and switches language', async ({ browser }, info) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await page.goto(`/u/${HANDLE}`);
  await hydrated(page);
  const tasks = page.getByTestId('resume-tasks').locator(':scope > li');
  expect(await tasks.count()).toBeGreaterThan(0);
  await expect(page.getByTestId('resume-badge-list').locator(':scope > li').first()).toBeVisible();
  const name = await page.getByTestId('resume-name').textContent();
  await page.screenshot({ path: info.outputPath('resume-1280.png'), fullPage: true });

  // A finished task is confirmed by CodeLink's own record, linking back to the card.
  const title = (await tasks.first().locator('a').first().textContent())!.trim();
  await tasks.first().getByTestId('verify-task').click();
  await expect(page).toHaveURL(/\/verify\/task\/[0-9a-f-]{36}$/);
  await expect(page.getByTestId('verified')).toContainText('CodeLink 已核实');
  await expect(page.getByTestId('verified-title')).toHaveText(title);
  await expect(page.getByTestId('verified-developer')).toHaveText(name!);
  await page.screenshot({ path: info.outputPath('verify-task-1280.png'), fullPage: true });

  // So is a badge, with the task that earned it as evidence.
  await page.goBack();
  await page.getByTestId('verify-badge').first().click();
  await expect(page).toHaveURL(new RegExp(`/verify/badge/${HANDLE}/[a-z0-9_-]+$`));
  await expect(page.getByTestId('verified')).toBeVisible();
  await expect(page.getByTestId('badge-evidence')).toBeVisible();

  // Its Open Badges credential checks out as genuine; an edited copy does not.
  const href = await page.getByTestId('download-credential').getAttribute('href');
  const credential = await (await page.request.get(href!)).json();
  expect(credential.type).toContain('OpenBadgeCredential');
  await page.goto('/verify');
  await hydrated(page);
  await page.getByTestId('credential-json').fill(JSON.stringify(credential));
  await page.getByTestId('check-credential').click();
  await expect(page.getByTestId('credential-verdict')).toContainText('真实有效');
  await expect(page.getByTestId('credential-verdict')).toContainText(name!);
  credential.credentialSubject.name = '冒名顶替';
  await page.getByTestId('credential-json').fill(JSON.stringify(credential));
  await page.getByTestId('check-credential').click();
  await expect(page.getByTestId('credential-verdict')).toContainText('签名与内容不符');
  await page.screenshot({ path: info.outputPath('verify-check-1280.png'), fullPage: true });

  // The card follows the visitor's language.
  await page.goto(`/u/${HANDLE}`);
  await hydrated(page);
  await page.getByTestId('language-switch').click();
  await expect(page.getByRole('heading', { name: 'Finished tasks' })).toBeVisible();
  await expect(page.getByTestId('verify-task').first()).toContainText('Verify this record on CodeLink');
  await context.close();

  // Verification pages need no JavaScript.
  const noJs = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
  const plain = await noJs.newPage();
  await plain.goto(`/u/${HANDLE}`);
  await plain.getByTestId('verify-task').first().click();
  await expect(plain.getByTestId('verified')).toContainText('CodeLink 已核实');
  await noJs.close();
});

test('a developer picks a handle, withholds client names, and downloads a monthly report', async ({ browser }) => {
  const context = await browser.newContext({ locale: 'zh-CN' });
  const page = await context.newPage();
  await logInAsDemo(page, 'dev03@codelink.dev');

  await page.goto('/profile');
  await hydrated(page);
  const settings = page.getByTestId('card-settings');
  await settings.getByLabel('个人主页地址').fill('Bad Handle!');
  await page.getByTestId('save-card').click();
  await expect(settings.locator('.field-error')).toContainText('只能用小写字母');
  await hydrated(page);
  const handle = `e2e-${Date.now().toString(36)}`;
  try {
    await settings.getByLabel('个人主页地址').fill(handle);
    await page.getByTestId('card-hide-merchants').check();
    await page.getByTestId('save-card').click();
    await expect(page.getByTestId('card-saved')).toBeVisible();
    await expect(page.getByTestId('public-card-link')).toHaveAttribute('href', `/u/${handle}`);

    const visitor = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled: false });
    const stranger = await visitor.newPage();
    await stranger.goto(`/u/${handle}`);
    await expect(stranger.getByTestId('resume-merchant').first()).toHaveText('委托方：保密（NDA）');
    await visitor.close();
  } finally {
    // Back to the shared demo state, whatever happened above.
    await page.goto('/profile');
    await hydrated(page);
    await page.getByTestId('card-hide-merchants').uncheck();
    await settings.getByLabel('个人主页地址').fill('dev03');
    await page.getByTestId('save-card').click();
    await expect(page.getByTestId('public-card-link')).toHaveAttribute('href', '/u/dev03');
  }

  // The growth panel offers last month's report, a real PDF.
  await page.goto('/growth');
  await hydrated(page);
  const report = page.getByTestId('report-zh').first();
  await expect(report).toBeVisible();
  const pdf = await page.request.get((await report.getAttribute('href'))!);
  expect(pdf.status()).toBe(200);
  expect(pdf.headers()['content-type']).toBe('application/pdf');
  expect((await pdf.body()).subarray(0, 4).toString()).toBe('%PDF');
  await context.close();
});

test('a new developer with no record yet sees no report months', async ({ page }) => {
  await registerAs(page, '开发者', '月报新人', 'report');
  await expect(page.getByTestId('task-list')).toBeVisible();
  await page.goto('/growth');
  await expect(page.getByTestId('monthly-reports')).toContainText('第一份月报');
});
