import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type BrowserStack,
  describeBrowser,
  launchBrowser,
  screenshot,
  signIn,
  startBrowserStack,
} from './support.ts';

const ADMIN_TOKEN = 'browser-test-admin-token';
// A point in the 隐学山庄 blocks of the demo geography.
const WHERE: [number, number] = [121.6202, 29.7505];

describeBrowser('operations map: an incident’s details (Chromium)', () => {
  let env: BrowserStack;
  let browser: Browser;
  let page: Page;
  let incidentId: string;

  beforeAll(async () => {
    env = await startBrowserStack({ WARDMAP_ADMIN_TOKEN: ADMIN_TOKEN });
    const res = await fetch(`${env.directUrl}/api/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'safety_hazard',
        severity: 'high',
        location: WHERE,
        title: '井盖缺失',
      }),
    });
    expect(res.status).toBe(201);
    incidentId = ((await res.json()) as { id: string }).id;
    const ack = await fetch(`${env.directUrl}/api/incidents/${incidentId}/transitions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'acknowledge' }),
    });
    expect(ack.status).toBe(200);
    browser = await launchBrowser();
    page = await browser.newPage({ viewport: { width: 1400, height: 900 }, locale: 'zh-CN' });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  it('opens an incident from the map and shows its history (created, acknowledged)', async () => {
    await signIn(page, env.baseUrl);
    await page.waitForFunction(() => Boolean((window as { __wardmapMap?: unknown }).__wardmapMap), null, {
      timeout: 60_000,
    });
    // Centre the map on the incident and click where it is drawn.
    await page.evaluate(([lon, lat]) => {
      const map = (window as unknown as { __wardmapMap: { jumpTo(o: object): void } }).__wardmapMap;
      map.jumpTo({ center: [lon, lat], zoom: 17 });
    }, WHERE);
    const box = await page.getByTestId('map').boundingBox();
    expect(box).not.toBeNull();
    const panel = page.locator(
      `[data-testid="details-panel"][data-kind="incident"][data-id="${incidentId}"]`,
    );
    await expect
      .poll(
        async () => {
          await page.mouse.click(box!.x + box!.width / 2, box!.y + box!.height / 2);
          return panel.count();
        },
        { timeout: 30_000, interval: 1000 },
      )
      .toBe(1);
    const history = panel.getByTestId('incident-history').locator('li');
    await expect.poll(() => history.count(), { timeout: 10_000 }).toBeGreaterThanOrEqual(2);
    expect(await history.first().getAttribute('data-action')).toBe('create');
    await screenshot(page, 'operations-map-incident');
  });

  it("recolours the incident's block live: its tile properties change without a reload", async () => {
    // The block under the incident, as the map renders it (its colour and counts come from the tiles).
    const openAt = () =>
      page.evaluate(([lon, lat]) => {
        const map = (
          window as unknown as {
            __wardmapMap: {
              project(p: [number, number]): { x: number; y: number };
              queryRenderedFeatures(
                p: { x: number; y: number },
                o: object,
              ): Array<{ properties: Record<string, number> }>;
            };
          }
        ).__wardmapMap;
        const hit = map.queryRenderedFeatures(map.project([lon, lat]), { layers: ['grids-fill'] })[0];
        if (!hit) return null;
        const p = hit.properties;
        return {
          id: String(p.id),
          open: (p.openBuilding ?? 0) + (p.openBlock ?? 0) + (p.openCommunity ?? 0),
        };
      }, WHERE);
    await expect.poll(openAt, { timeout: 30_000 }).not.toBeNull();
    const before = (await openAt()) as { id: string; open: number };
    const navigations: string[] = [];
    page.on('framenavigated', (f) => navigations.push(f.url()));
    const res = await fetch(`${env.directUrl}/api/incidents`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN_TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        category: 'safety_hazard',
        severity: 'low',
        location: WHERE,
        title: '路灯不亮',
      }),
    });
    expect(res.status).toBe(201);
    // The stream's grid_status makes the map fetch the block tiles again (at most every 2 s).
    await expect
      .poll(openAt, { timeout: 20_000, interval: 500 })
      .toEqual({ id: before.id, open: before.open + 1 });
    expect(navigations).toEqual([]);
  });
});
