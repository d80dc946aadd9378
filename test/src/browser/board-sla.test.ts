import mqtt from 'mqtt';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import {
  type BrowserStack,
  describeBrowser,
  launchBrowser,
  screenshot,
  signIn,
  startBrowserStack,
} from './support.ts';

// With the demo clock at 300x, a 30-minute acknowledge SLA runs out in 6 s: the desk's countdown
// turns overdue and the server's escalation shows up on the same row (data-level climbs).

const ADMIN_TOKEN = 'browser-test-admin-token';

describeBrowser('duty desk SLA at a fast clock (Chromium)', () => {
  let env: BrowserStack;
  let browser: Browser;

  beforeAll(async () => {
    env = await startBrowserStack({ WARDMAP_ADMIN_TOKEN: ADMIN_TOKEN, WARDMAP_CLOCK_SPEED: '300' });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  it('turns a row overdue when its SLA runs out and shows the escalation', { timeout: 240_000 }, async () => {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    const broker = await mqtt.connectAsync(env.stack.mqttUrl, {
      username: 'admin',
      password: ADMIN_TOKEN,
      clientId: `board-sla-${process.pid}`,
    });
    try {
      await signIn(page, env.baseUrl, { id: 'p-0176', path: '/board' });
      await page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: 15_000 });
      const cam = (
        await env.stack.db.query<{ id: string }>(
          "SELECT id FROM cameras WHERE police_post_id = 'pp-yinxue' ORDER BY id LIMIT 1",
        )
      ).rows[0]!.id;
      await broker.publishAsync(
        `${env.topicPrefix}wardmap/camera/${cam}/alert`,
        JSON.stringify({
          id: `sla-alert-${Date.now()}`,
          label: 'loitering',
          score: 0.88,
          at: env.stack.clock.now().toISOString(),
        }),
        { qos: 1 },
      );
      await page.getByTestId('queue-new-pill').click({ timeout: 20_000 });
      const row = page.getByTestId('incident-row').first();
      await row.waitFor();
      const id = await row.getAttribute('data-incident-id');
      const mine = page.locator(`[data-testid="incident-row"][data-incident-id="${id}"]`);
      // The countdown follows the server's fast clock; when it runs out the escalation timer moves
      // the incident up the ladder on the same row, without a reload: building -> block -> community
      // (on a loaded machine the first steps may be over before the row is taken in).
      await page
        .locator(`[data-testid="incident-row"][data-incident-id="${id}"][data-level="community"]`)
        .waitFor({ timeout: 60_000 });
      await mine.getByTestId('row-escalated').waitFor();
      // At the top of the ladder nothing is left to escalate to: the row stays overdue (red).
      await mine.locator('[data-testid="countdown"][data-sla="overdue"]').waitFor({ timeout: 60_000 });
      await mine.click();
      await page.locator('[data-testid="history-row"][data-action="escalate"]').nth(1).waitFor();
      await screenshot(page, 'board-overdue');
    } finally {
      await broker.endAsync();
      await page.close();
    }
  });
});
