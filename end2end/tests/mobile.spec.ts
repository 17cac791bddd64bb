import { Browser, expect, Page, test } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEMO_ADMIN_EMAIL, hydrated, logInAsDemo } from './helpers';

// The site on a 375 px phone and a 1280 px screen, in Chinese and English: the header's menu reaches
// every section of the viewer's role, nothing runs past the screen's edge, and no button, badge,
// amount or date breaks inside a word or number. Screenshots of every page looked at go to
// end2end/test-results/screens/ (not committed) for a person to look at too.

const SCREENS = path.join(__dirname, '..', 'test-results', 'screens');
const WIDTHS = [375, 1280] as const;
const LANGS = ['zh', 'en'] as const;
type Lang = (typeof LANGS)[number];

const PUBLIC = [
  ['hall', '/'],
  ['leaderboard', '/leaderboard'],
  ['community', '/community'],
  ['learn', '/learn'],
] as const;
const SIGNED_IN = [
  ['my-tasks', '/me'],
  ['wallet', '/wallet'],
  ['membership', '/membership'],
  ['security', '/security'],
  ['notifications', '/notifications'],
  ['profile', '/profile'],
] as const;
const MENU: Record<'developer' | 'merchant', { email: string; sections: (readonly [string, string])[] }> = {
  developer: {
    email: 'dev01@codelink.dev',
    sections: [...PUBLIC, ['growth', '/growth'], ['invitations', '/invitations'], ...SIGNED_IN],
  },
  merchant: {
    email: 'hr@xingchen.tech',
    sections: [...PUBLIC, ['developers', '/developers'], ['post-task', '/tasks/new'], ...SIGNED_IN],
  },
};

/** A fresh browser at `width`, signed in as `email` (if any), reading `lang`. */
async function openAs(browser: Browser, width: number, lang: Lang, email?: string, javaScriptEnabled = true) {
  const context = await browser.newContext({ locale: 'zh-CN', javaScriptEnabled, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // The demo login helper reads the Chinese form, and finds the header's name at a wide width.
  if (email) await logInAsDemo(page, email);
  if (lang === 'en') await page.goto('/language/en?back=%2F');
  await page.setViewportSize({ width, height: width < 600 ? 812 : 900 });
  return { context, page };
}

/** Loads `url` and waits until its islands are awake (or only until it loaded, without JavaScript). */
async function visit(page: Page, url: string) {
  await page.goto(url);
  await hydrated(page);
}

/** The pieces of text that run over more than one line inside one text node, among the rendered
 * buttons, figures, badges and header links: "婉/拒", "−/¥198.00", "Task/hall". A control made of
 * two blocks on purpose (a label over a price) is two text nodes, each on one line. */
async function brokenUnits(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const units = document.querySelectorAll(
      'button, .tabular-nums, time, .whitespace-nowrap, a.justify-center, header a, header summary, [data-testid="task-reward"]',
    );
    const broken = new Set<string>();
    for (const unit of units) {
      const walker = document.createTreeWalker(unit, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node; node = walker.nextNode()) {
        if (!node.textContent?.trim()) continue;
        const range = document.createRange();
        range.selectNodeContents(node);
        const rects = [...range.getClientRects()].filter((r) => r.width > 0 && r.height > 0);
        const lineHeight = Math.min(...rects.map((r) => r.height));
        const tops = rects.map((r) => r.top).sort((a, b) => a - b);
        let lines = 0;
        let last = -Infinity;
        for (const top of tops) {
          if (top - last > lineHeight / 2) {
            lines += 1;
            last = top;
          }
        }
        if (lines > 1) broken.add(node.textContent.trim().slice(0, 40));
      }
    }
    return [...broken];
  });
}

/** How far the page reaches past the screen's right edge, with the elements that stick out. */
async function overflow(page: Page): Promise<{ by: number; culprits: string[] }> {
  return page.evaluate(() => {
    const by = document.documentElement.scrollWidth - window.innerWidth;
    const culprits: string[] = [];
    if (by > 0) {
      for (const el of document.body.querySelectorAll('*')) {
        const box = el.getBoundingClientRect();
        if (box.right > window.innerWidth + 1 && culprits.length < 8) {
          culprits.push(`${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)} "${(el.textContent ?? '').trim().slice(0, 30)}"`);
        }
      }
    }
    return { by, culprits };
  });
}

async function checkLayout(page: Page, name: string, width: number, lang: Lang) {
  fs.mkdirSync(SCREENS, { recursive: true });
  await page.screenshot({ path: path.join(SCREENS, `${name}-${width}-${lang}.png`), fullPage: true });
  // The header's row holds its links without running over (`brokenUnits` finds a wrapped one).
  const header = await page.locator('header > div').evaluate((row) => row.scrollWidth - row.clientWidth);
  expect.soft(header, `the header of ${name} at ${width} px (${lang}) overflows`).toBeLessThanOrEqual(0);
  const { by, culprits } = await overflow(page);
  expect.soft(by, `${name} at ${width} px (${lang}) runs past the screen: ${culprits.join(' | ')}`).toBeLessThanOrEqual(0);
  expect.soft(await brokenUnits(page), `${name} at ${width} px (${lang}): units broken over two lines`).toEqual([]);
}

for (const role of ['developer', 'merchant'] as const) {
  for (const lang of LANGS) {
    test(`on a phone the ${role}'s menu reaches every section (${lang})`, async ({ browser }) => {
      test.setTimeout(120_000);
      const { context, page } = await openAs(browser, 375, lang, MENU[role].email);
      await visit(page, '/');
      // Below the wide layout the header keeps the bell and the menu; the sections are inside.
      await expect(page.getByTestId('nav-wallet')).toBeHidden();
      const toggle = page.getByTestId('menu-toggle');
      await expect(toggle).toBeVisible();
      await toggle.click();
      const panel = page.getByTestId('menu-panel');
      await expect(panel).toBeVisible();
      const listed = await panel.locator('[data-testid^="menu-"]').evaluateAll((links) =>
        links.map((a) => a.getAttribute('data-testid')),
      );
      const expected = MENU[role].sections.map(([slug]) => `menu-${slug}`);
      expect(listed.filter((id) => id !== 'menu-logout').sort()).toEqual([...expected].sort());
      await checkLayout(page, `menu-${role}`, 375, lang);

      for (const [slug, href] of MENU[role].sections) {
        if (!(await page.getByTestId('menu-panel').isVisible())) await page.getByTestId('menu-toggle').click();
        const link = page.getByTestId(`menu-${slug}`);
        await expect(link).toBeVisible();
        await expect(link).toHaveAttribute('href', href);
        await link.click();
        await expect(page, `menu-${slug} leads to ${href}`).toHaveURL((url) => url.pathname === href);
        // The next page starts with the menu closed.
        await expect(page.getByTestId('menu-panel')).toBeHidden();
      }
      await context.close();
    });
  }
}

test('the menu opens by keyboard, and without JavaScript', async ({ browser }) => {
  const { context, page } = await openAs(browser, 375, 'zh', MENU.developer.email);
  await visit(page, '/wallet');
  await page.getByTestId('menu-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('site-menu')).toHaveAttribute('open', '');
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('menu-hall')).toBeFocused();
  // The page being shown is marked in the menu.
  await expect(page.getByTestId('menu-wallet')).toHaveAttribute('aria-current', 'page');
  await page.getByTestId('menu-toggle').focus();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('menu-panel')).toBeHidden();
  await context.close();

  const visitor = await openAs(browser, 375, 'zh', undefined, false);
  await visitor.page.goto('/');
  await visitor.page.getByTestId('menu-toggle').click();
  await expect(visitor.page.getByTestId('menu-developers')).toBeVisible();
  await visitor.page.getByTestId('menu-leaderboard').click();
  await expect(visitor.page).toHaveURL(/\/leaderboard$/);
  await visitor.context.close();
});

test('on a phone the task comes before the money, for a visitor and for its merchant', async ({ browser }) => {
  for (const email of [undefined, MENU.merchant.email]) {
    const { context, page } = await openAs(browser, 1280, 'zh', email);
    // A merchant's own task (with the paid-promotion offer) from their list; for a visitor, the hall's first.
    await visit(page, email ? '/me' : '/');
    const href = await page.locator('a[href^="/tasks/"]:not([href="/tasks/new"])').first().getAttribute('href');
    await visit(page, href!);
    const title = page.getByTestId('task-title');
    const reward = page.locator('aside').getByTestId('task-reward');
    const wide = { title: (await title.boundingBox())!, reward: (await reward.boundingBox())! };
    // A wide screen keeps the money in the right column, level with the title.
    expect(wide.reward.x).toBeGreaterThan(wide.title.x + wide.title.width);
    await page.setViewportSize({ width: 375, height: 812 });
    const phone = { title: (await title.boundingBox())!, reward: (await reward.boundingBox())! };
    expect(phone.title.y, 'the title above the reward').toBeLessThan(phone.reward.y);
    const promotion = page.getByTestId('promotion');
    if (await promotion.count()) {
      const description = (await page.locator('.prose-task').boundingBox())!;
      expect(description.y + description.height).toBeLessThanOrEqual((await promotion.boundingBox())!.y);
    }
    await checkLayout(page, `task-${email ? 'merchant' : 'visitor'}`, 375, 'zh');
    await context.close();
  }
});

for (const width of WIDTHS) {
  for (const lang of LANGS) {
    test(`nothing runs past a ${width} px screen and no unit breaks (${lang})`, async ({ browser }) => {
      test.setTimeout(120_000);
      const { context, page } = await openAs(browser, width, lang, MENU.developer.email);
      await visit(page, '/');
      const task = await page.getByTestId('task-card').first().locator('h2 a').getAttribute('href');
      const pages: [string, string][] = [
        ['hall', '/'],
        ['task', task!],
        ['resume', '/u/dev01'],
        ['growth', '/growth'],
        ['wallet', '/wallet'],
        ['leaderboard', '/leaderboard'],
        ['developers', '/developers'],
        ['me', '/me'],
        ['terms', '/legal/terms'],
        ['privacy', '/legal/privacy'],
        ['rules', '/legal/rules'],
        ['help', '/help'],
      ];
      for (const [name, url] of pages) {
        await visit(page, url);
        if (width >= 1280) await expect(page.getByTestId('nav-wallet')).toBeVisible();
        await checkLayout(page, name, width, lang);
        if (name === 'growth' && width < 600) {
          // The radar's labels are SVG text, drawn at the chart's scale: at least 11 px on a phone.
          const sizes = await page.getByTestId('skill-radar').evaluate((svg) => {
            const scale = svg.getBoundingClientRect().width / (svg as SVGSVGElement).viewBox.baseVal.width;
            return [...svg.querySelectorAll('text')].map((t) => parseFloat(t.getAttribute('font-size') ?? '0') * scale);
          });
          expect.soft(Math.min(...sizes), 'radar labels at 375 px').toBeGreaterThanOrEqual(11);
        }
      }
      await context.close();
    });
  }
}

test('the merchant header and pages fit at both widths', async ({ browser }) => {
  test.setTimeout(120_000);
  for (const lang of LANGS) {
    for (const width of WIDTHS) {
      const { context, page } = await openAs(browser, width, lang, MENU.merchant.email);
      for (const [name, url] of [
        ['merchant-hall', '/'],
        ['merchant-me', '/me'],
        ['merchant-developers', '/developers'],
      ]) {
        await visit(page, url);
        await checkLayout(page, name, width, lang);
      }
      await context.close();
    }
  }
});

test("the admin's dashboard keeps its figures in their cards and its chart labels readable", async ({ browser }) => {
  test.setTimeout(120_000);
  // One login (its second step may wait for the next authenticator code), then both languages.
  const { context, page } = await openAs(browser, 1280, 'zh', DEMO_ADMIN_EMAIL);
  for (const lang of LANGS) {
    if (lang === 'en') await page.goto('/language/en?back=%2Fadmin');
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: 900 });
      await visit(page, '/admin');
      await checkLayout(page, 'admin', width, lang);
      const gmv = (await page.getByTestId('today-gmv').boundingBox())!;
      const card = (await page.getByTestId('today-gmv').locator('..').boundingBox())!;
      expect(gmv.x + gmv.width, 'the GMV inside its card').toBeLessThanOrEqual(card.x + card.width);
      const sizes = await page
        .getByTestId('day-chart-labels')
        .locator('span')
        .evaluateAll((labels) => labels.map((l) => parseFloat(getComputedStyle(l).fontSize)));
      expect(Math.min(...sizes)).toBeGreaterThanOrEqual(11);
      const chart = (await page.getByTestId('day-chart-labels').boundingBox())!;
      const last = (await page.getByTestId('day-chart-labels').locator('span').last().boundingBox())!;
      expect(last.x + last.width, 'the last day label is not cut').toBeLessThanOrEqual(chart.x + chart.width + 0.5);
      // The help centre's queue, where questions are answered.
      await visit(page, '/admin/support');
      await checkLayout(page, 'admin-support', width, lang);
    }
  }
  await context.close();
});
