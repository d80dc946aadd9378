import mqtt from 'mqtt';
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

// The operations map in a real browser against the real stack: map renders with legible Chinese
// labels, a check-in published over MQTT reaches the people list within 2 s, the live indicator
// follows the API going away and coming back without losing events, the language toggle, replay.

const ADMIN_TOKEN = 'browser-test-admin-token';

describeBrowser('operations map (Chromium)', () => {
  let env: BrowserStack;
  let browser: Browser;
  let page: Page;
  let client: mqtt.MqttClient;
  let patrollers: string[];

  beforeAll(async () => {
    env = await startBrowserStack({ WARDMAP_ADMIN_TOKEN: ADMIN_TOKEN });
    browser = await launchBrowser();
    client = await mqtt.connectAsync(env.stack.mqttUrl, {
      username: 'admin',
      password: ADMIN_TOKEN,
      clientId: `browser-test-${process.pid}`,
      protocolVersion: 4,
    });
    const res = await env.stack.db.query<{ id: string }>(
      `SELECT id FROM people WHERE 'patroller' = ANY(roles) ORDER BY id LIMIT 6`,
    );
    patrollers = res.rows.map((r) => r.id);
    page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await signIn(page, env.baseUrl);
  });
  afterAll(async () => {
    await client?.endAsync();
    await browser?.close();
    await env?.stop();
  });

  /** The page is live (generous: a loaded CI machine may take long to load the map code). */
  const waitLive = () =>
    page.waitForFunction(
      () => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'live',
      null,
      { timeout: 60_000 },
    );

  let n = 0;
  const checkin = async (personId: string, lonLat: [number, number], at = new Date()) => {
    n++;
    const payload = {
      id: `browser-${process.pid}-${n}`,
      location: lonLat,
      at: at.toISOString(),
      battery: 77,
    };
    await client.publishAsync(`${env.topicPrefix}wardmap/checkin/${personId}`, JSON.stringify(payload), {
      qos: 1,
    });
    return payload.at;
  };
  const lastSeen = (personId: string) =>
    page
      .getByTestId('patroller-row')
      .and(page.locator(`[data-person-id="${personId}"]`))
      .getAttribute('data-last-seen');

  it('renders the offline map: non-blank canvas and legible Chinese community names', async () => {
    await page.getByTestId('map').waitFor();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'live',
      null,
      {
        timeout: 20_000,
      },
    );
    // Let tiles and the bundled font load.
    await page.waitForFunction(
      () => window.__wardmapMap?.loaded() && window.__wardmapMap.areTilesLoaded(),
      null,
      {
        timeout: 20_000,
      },
    );
    await page.waitForTimeout(2000);
    // Read the WebGL canvas right after a frame is drawn (its buffer is not preserved after that).
    const colours = await page.evaluate(
      () =>
        new Promise<number>((resolve) => {
          const map = window.__wardmapMap!;
          map.once('render', () => {
            const canvas = map.getCanvas();
            const c = document.createElement('canvas');
            c.width = 64;
            c.height = 64;
            const g = c.getContext('2d')!;
            g.drawImage(canvas, 0, 0, 64, 64);
            const px = g.getImageData(0, 0, 64, 64).data;
            const seen = new Set<string>();
            for (let i = 0; i < px.length; i += 4)
              seen.add(`${px[i]! >> 4},${px[i + 1]! >> 4},${px[i + 2]! >> 4}`);
            resolve(seen.size);
          });
          map.triggerRepaint();
        }),
    );
    expect(colours).toBeGreaterThan(5);
    const path = await screenshot(page, 'operations-map');
    console.log(`[browser] screenshot: ${path}`);
  });

  it('shows an MQTT check-in of a demo patroller in its patroller-row within 2 s', async () => {
    const id = patrollers[0]!;
    await waitLive();
    await page.getByTestId('patroller-row').first().waitFor();
    const at = await checkin(id, [121.6405, 29.7705]);
    const started = Date.now();
    await expect.poll(() => lastSeen(id), { timeout: 2000, interval: 50 }).toBe(at);
    console.log(`[browser] check-in -> patroller-row in ${Date.now() - started} ms`);
  });

  it('goes offline when the API goes away and back to live after, without losing events', async () => {
    const [a, b] = [patrollers[1]!, patrollers[2]!];
    await env.proxy.cut();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'offline',
      null,
      {
        timeout: 15_000,
      },
    );
    // Committed while the browser cannot reach the API.
    const atA = await checkin(a, [121.642, 29.772]);
    const atB = await checkin(b, [121.643, 29.773]);
    await new Promise((r) => setTimeout(r, 1500));
    expect(await page.getByTestId('live-status').getAttribute('data-state')).toBe('offline');
    env.proxy.restore();
    await page.waitForFunction(
      () => document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'live',
      null,
      {
        timeout: 15_000,
      },
    );
    await expect.poll(() => lastSeen(a), { timeout: 5000 }).toBe(atA);
    await expect.poll(() => lastSeen(b), { timeout: 5000 }).toBe(atB);
    // And it carries on live.
    const atLive = await checkin(a, [121.644, 29.774]);
    await expect.poll(() => lastSeen(a), { timeout: 2000 }).toBe(atLive);
  });

  it('switches every visible label with lang-toggle', async () => {
    const zh = await page.locator('body').innerText();
    expect(zh).toContain('实时');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('live-status').innerText()).toContain('Live');
    const en = await page.locator('body').innerText();
    // UI chrome is English now; the only Chinese left is data (people's names).
    for (const label of ['指挥图', '实时', '巡查人员', '社区', '回放', '退出'])
      expect(en).not.toContain(label);
    expect(en).toContain('Replay');
    await screenshot(page, 'operations-map-en');
    await page.getByTestId('lang-toggle').click();
    await expect.poll(() => page.getByTestId('live-status').innerText()).toContain('实时');
  });

  it('replays the tracks of a past window', async () => {
    const id = patrollers[3]!;
    const base = Date.now() - 30 * 60_000;
    for (let k = 0; k < 6; k++)
      await checkin(id, [121.63 + k * 0.002, 29.765 + k * 0.001], new Date(base + k * 60_000));
    await page.getByTestId('replay-toggle').click();
    await page.getByTestId('replay-load').click();
    await expect.poll(() => page.getByTestId('replay').getAttribute('data-track-count')).not.toBe('0');
    await page.getByTestId('replay-speed').selectOption('600');
    const t0 = await page.getByTestId('replay-time').getAttribute('data-time');
    const started = Date.now();
    await page.getByTestId('replay-play').click();
    // At 600x, several minutes of the window go by in a second or two of real time.
    await expect
      .poll(
        async () =>
          Date.parse((await page.getByTestId('replay-time').getAttribute('data-time'))!) - Date.parse(t0!),
        {
          timeout: 20_000,
        },
      )
      .toBeGreaterThan(5 * 60_000);
    const t1 = await page.getByTestId('replay-time').getAttribute('data-time');
    // Time-true: never faster than 600x real time.
    expect(Date.parse(t1!) - Date.parse(t0!)).toBeLessThanOrEqual((Date.now() - started) * 600 + 1000);
    expect(await page.getByTestId('replay').getAttribute('data-playing')).toBe('true');
    await screenshot(page, 'operations-map-replay');
    await page.getByTestId('replay-play').click();
  });
});
