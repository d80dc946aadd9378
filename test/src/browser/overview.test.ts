import { readFile } from 'node:fs/promises';
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { lastDays, periodBounds } from '../../../dashboard/src/overview/period.ts';
import {
  type BrowserStack,
  describeBrowser,
  launchBrowser,
  screenshot,
  signIn,
  startBrowserStack,
} from './support.ts';

// The four-in-one overview on the live demo: charts render (with the CJK font), and every CSV a
// table offers adds up to the same totals as /api/stats for the same period.

const ADMIN_TOKEN = 'browser-test-admin-token';
const auth = { authorization: `Bearer ${ADMIN_TOKEN}` };

describeBrowser('four-in-one overview /overview (Chromium)', () => {
  let env: BrowserStack;
  let browser: Browser;

  beforeAll(async () => {
    env = await startBrowserStack({ WARDMAP_ADMIN_TOKEN: ADMIN_TOKEN, WARDMAP_SIMULATE: '1' });
    browser = await launchBrowser();
    const broker = await mqtt.connectAsync(env.stack.mqttUrl, {
      username: 'admin',
      password: ADMIN_TOKEN,
      clientId: `overview-test-${process.pid}`,
    });
    const db = env.stack.db;
    // River chiefs report cleanup; cameras raise alerts that officers work through.
    const seg = (
      await db.query<{ id: string; chief_id: string }>(
        'SELECT id, chief_id FROM river_segments WHERE chief_id IS NOT NULL ORDER BY id LIMIT 1',
      )
    ).rows[0]!;
    const at = new Date().toISOString();
    const issues = [
      { issue: 'garbage', tons: 1.25 },
      { issue: 'net_cage', count: 4 },
      { issue: 'stake', count: 12 },
    ];
    for (const [i, x] of issues.entries()) {
      await broker.publishAsync(
        `${env.topicPrefix}wardmap/river/${seg.id}/report`,
        JSON.stringify({
          id: `ov-issue-${Date.now()}-${i}`,
          type: 'issue',
          personId: seg.chief_id,
          at,
          ...x,
        }),
        { qos: 1 },
      );
    }
    const cams = (
      await db.query<{ id: string }>(
        "SELECT id FROM cameras WHERE police_post_id = 'pp-yinxue' ORDER BY id LIMIT 4",
      )
    ).rows;
    for (const [i, c] of cams.entries()) {
      await broker.publishAsync(
        `${env.topicPrefix}wardmap/camera/${c.id}/alert`,
        JSON.stringify({
          id: `ov-alert-${Date.now()}-${i}`,
          label: i === 0 ? 'smoke' : 'person',
          score: 0.9,
          at,
        }),
        { qos: 1 },
      );
    }
    await broker.endAsync();
    const login = await fetch(`${env.directUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'p-0176', password: 'wardmap-demo' }),
    });
    const officer = { authorization: `Bearer ${((await login.json()) as { token: string }).token}` };
    const act = (id: string, body: unknown) =>
      fetch(`${env.directUrl}/api/incidents/${id}/transitions`, {
        method: 'POST',
        headers: { ...officer, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
    let incidents: string[] = [];
    for (let i = 0; i < 50 && incidents.length < cams.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      incidents = (
        await db.query<{ id: string }>(
          "SELECT id FROM incidents WHERE source_id LIKE '%ov-alert-%' ORDER BY id",
        )
      ).rows.map((r) => r.id);
    }
    console.log(`[overview test] ${incidents.length} camera incidents to work on`);
    const [a, b, c] = incidents;
    if (a) {
      await act(a, { action: 'acknowledge' });
      await act(a, { action: 'escalate', note: '涉及多个楼幢' });
      await act(a, { action: 'escalate', note: '需社区党工委协调' });
    }
    if (b) {
      await act(b, { action: 'acknowledge' });
      await act(b, { action: 'resolve', note: '已处理' });
    }
    if (c) await act(c, { action: 'acknowledge' });
    // Let the simulator produce some check-ins, then stop it so the numbers hold still.
    await new Promise((r) => setTimeout(r, 15_000));
    await Promise.race([env.stack.simulator?.stop(), new Promise((r) => setTimeout(r, 10_000))]);
    await new Promise((r) => setTimeout(r, 3000));
  }, 400_000);
  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  async function csvOf(page: Page, name: string): Promise<string[][]> {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByTestId(`csv-${name}`).click(),
    ]);
    const text = await readFile((await download.path())!, 'utf8');
    expect(text.startsWith('\ufeff')).toBe(true);
    return text
      .slice(1)
      .trim()
      .split('\r\n')
      .map((l) => l.split(','));
  }
  const sumCol = (rows: string[][], col: number) =>
    Math.round(rows.slice(1).reduce((s, r) => s + Number(r[col] || 0), 0) * 1000) / 1000;

  it('renders its charts and each CSV adds up to /api/stats for the period', async () => {
    const context = await browser.newContext({
      viewport: { width: 1600, height: 1000 },
      acceptDownloads: true,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    const page = await context.newPage();
    try {
      await signIn(page, env.baseUrl, { path: '/overview' });
      for (const c of ['levels', 'partners', 'timings', 'checkins'])
        await page.locator(`[data-testid="chart-${c}"][data-rendered="true"]`).waitFor({ timeout: 20_000 });
      // Canvas text is drawn only once the Noto Sans SC glyphs it needs have loaded.
      const fontsReady = await page.evaluate(() =>
        document.fonts.check('12px "Noto Sans SC"', '楼幢区块社区公安物业'),
      );
      expect(fontsReady).toBe(true);
      await page.waitForTimeout(500);
      await screenshot(page, 'overview');
      await page.getByTestId('panel-grids').evaluate((el) => el.scrollIntoView());
      await screenshot(page, 'overview-compliance');

      const { fromDay, toDay } = lastDays(7, Date.now());
      const { from, to } = periodBounds(fromDay, toDay);
      const stats = (await (
        await fetch(`${env.directUrl}/api/stats?from=${from}&to=${to}&bucket=day&tz=Asia/Shanghai`, {
          headers: auth,
        })
      ).json()) as { totals: Record<string, number> };
      const totals = stats.totals;
      expect(totals.checkins).toBeGreaterThan(0);

      const levels = await csvOf(page, 'levels');
      expect(levels.slice(1).map((r) => Number(r[1]))).toEqual([
        totals.incidentsBuilding,
        totals.incidentsBlock,
        totals.incidentsCommunity,
      ]);
      expect(totals.incidentsCommunity).toBeGreaterThanOrEqual(1);
      const checkins = await csvOf(page, 'checkins');
      expect(checkins.length - 1).toBe(7);
      expect(sumCol(checkins, 1)).toBe(totals.checkins);
      expect(sumCol(checkins, 2)).toBe(totals.patrols);
      expect(sumCol(checkins, 3)).toBe(totals.validPatrols);
      const cleanup = await csvOf(page, 'cleanup');
      expect(sumCol(cleanup, 1)).toBe(totals.riverIssues);
      expect(sumCol(cleanup, 2)).toBe(totals.garbageTons);
      expect(sumCol(cleanup, 3)).toBe(totals.netCages);
      expect(sumCol(cleanup, 4)).toBe(totals.stakes);
      expect(totals.garbageTons).toBeGreaterThanOrEqual(1.25);
      // Tables without a /api/stats twin: their CSV carries the same rows as the page's table.
      for (const name of ['partners', 'timings', 'escalations', 'grids', 'segments', 'organisations']) {
        const rows = await csvOf(page, name);
        const shown = await page.locator(`[data-testid="table-${name}"] tbody tr`).count();
        expect(rows.length - 1, name).toBe(shown);
      }
      const escalations = await csvOf(page, 'escalations');
      expect(escalations.length - 1).toBeGreaterThanOrEqual(1);

      // A partner's own view: the community's party branch sees only its community.
      await page.getByTestId('partner-view').selectOption({ label: '隐学山庄党支部' });
      await page.locator('h1', { hasText: '隐学山庄党支部' }).waitFor();
      await page.locator('[data-testid="chart-levels"][data-rendered="true"]').waitFor();
    } finally {
      await context.close();
    }
  });
});
