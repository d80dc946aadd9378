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

// The duty desk as the demo police officer of 隐学山庄 (p-0176 at pp-yinxue): a camera alert
// published over MQTT becomes a queue row with a running countdown, and the officer takes it
// through the whole work order, each step in its history; a refused step shows the API's reason.

const POST = 'pp-yinxue';
const OFFICER = 'p-0176';
const ADMIN_TOKEN = 'browser-test-admin-token';

describeBrowser('duty desk /board (Chromium)', () => {
  let env: BrowserStack;
  let browser: Browser;
  let broker: mqtt.MqttClient;
  let cameraId: string;
  let patrollerId: string;
  let secondOfficer: string;

  beforeAll(async () => {
    env = await startBrowserStack({ WARDMAP_ADMIN_TOKEN: ADMIN_TOKEN });
    browser = await launchBrowser();
    broker = await mqtt.connectAsync(env.stack.mqttUrl, {
      username: 'admin',
      password: ADMIN_TOKEN,
      clientId: `board-test-${process.pid}`,
    });
    const db = env.stack.db;
    // Dispatch goes only to someone covering the incident's grid, and the demo's cameras watch
    // roads between blocks: put one of the post's cameras inside a block that has a patroller.
    const pair = await db.query<{ patroller: string; grid: string; lon: number; lat: number }>(
      `SELECT pe.id AS patroller, g.id AS grid, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat
         FROM people pe JOIN grids g ON g.id = pe.grid_id JOIN police_posts pp ON pp.community_id = g.community_id
        WHERE pp.id = $1 AND 'patroller' = ANY(pe.roles) AND pe.active ORDER BY pe.id LIMIT 1`,
      [POST],
    );
    patrollerId = pair.rows[0]!.patroller;
    cameraId = (
      await db.query<{ id: string }>(
        'SELECT id FROM cameras WHERE police_post_id = $1 AND online ORDER BY id LIMIT 1',
        [POST],
      )
    ).rows[0]!.id;
    await db.query('UPDATE cameras SET geom = ST_SetSRID(ST_MakePoint($2, $3), 4326) WHERE id = $1', [
      cameraId,
      pair.rows[0]!.lon,
      pair.rows[0]!.lat,
    ]);
    const patroller = { rows: [{ lon: pair.rows[0]!.lon, lat: pair.rows[0]!.lat }] };
    secondOfficer = (
      await db.query<{ id: string }>(
        `SELECT id FROM people WHERE police_post_id = $1 AND 'police' = ANY(roles) AND id <> $2 ORDER BY id LIMIT 1`,
        [POST, OFFICER],
      )
    ).rows[0]!.id;
    // A patroller comes on duty in the post's area (a fresh check-in), so there is someone to dispatch.
    const { lon, lat } = patroller.rows[0]!;
    await broker.publishAsync(
      `${env.topicPrefix}wardmap/checkin/${patrollerId}`,
      JSON.stringify({
        id: `board-test-ci-${Date.now()}`,
        location: [lon, lat],
        accuracy: 8,
        battery: 76,
        at: new Date().toISOString(),
      }),
      { qos: 1 },
    );
  });
  afterAll(async () => {
    await broker?.endAsync();
    await browser?.close();
    await env?.stop();
  });

  async function openDesk(id: string): Promise<Page> {
    const page = await browser.newPage({ viewport: { width: 1600, height: 900 } });
    await signIn(page, env.baseUrl, { id, path: '/board' });
    await page.getByTestId('board').waitFor();
    await page.locator('[data-testid="live-status"][data-state="live"]').waitFor({ timeout: 15_000 });
    return page;
  }

  it('shows a published camera alert as an incident-row within 2 s and takes it through the work order', {
    timeout: 180_000,
  }, async () => {
    const page = await openDesk(OFFICER);
    try {
      await page
        .locator(`[data-testid="patroller-row"]`)
        .first()
        .waitFor({ state: 'attached', timeout: 10_000 })
        .catch(() => undefined);
      const alertId = `board-test-alert-${Date.now()}`;
      const published = Date.now();
      await broker.publishAsync(
        `${env.topicPrefix}wardmap/camera/${cameraId}/alert`,
        JSON.stringify({ id: alertId, label: 'person', score: 0.92, at: new Date().toISOString() }),
        { qos: 1 },
      );
      // New arrivals wait behind the pill so the list never jumps; taking them in shows the row.
      const pill = page.getByTestId('queue-new-pill');
      await pill.waitFor({ timeout: 2000 });
      await pill.click();
      const row = page.locator('[data-testid="incident-row"]').first();
      await row.waitFor({ timeout: 2000 });
      const incidentId = await page
        .locator('[data-testid="incident-row"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-incident-id')).find((id) => id !== null));
      expect(incidentId).toBeTruthy();
      // When it first reached the screen (pill count), by the page's own clock: under 2 s after publish.
      const firstSeen = await page.evaluate(
        (id) =>
          (
            window as unknown as { __wardmapBoard: { seenAt: Map<string, number> } }
          ).__wardmapBoard.seenAt.get(id!),
        incidentId,
      );
      expect(firstSeen! - published).toBeLessThan(2000);
      const theRow = page.locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"]`);
      await expect(theRow.getAttribute('data-state')).resolves.toBe('open');
      await expect(theRow.getAttribute('data-level')).resolves.toBe('building');

      // The countdown runs down (its 1 s tick may come late on a loaded machine: poll for the change).
      const cd = theRow.getByTestId('countdown');
      const secondsLeft = async () => {
        const [m, s] = (await cd.textContent())!.split(':').map(Number);
        return m! * 60 + s!;
      };
      const first = await secondsLeft();
      await expect.poll(secondsLeft, { timeout: 5000 }).toBeLessThan(first);
      expect(await cd.getAttribute('data-sla')).toMatch(/within|near/);

      await theRow.click();
      const panel = page.locator(`[data-testid="incident-panel"][data-incident-id="${incidentId}"]`);
      await panel.waitFor();
      const history = panel.getByTestId('incident-history');
      const historyHas = (action: string) =>
        history.locator(`[data-testid="history-row"][data-action="${action}"]`).waitFor({ timeout: 15_000 });
      await historyHas('create');

      // A refused step shows the API's reason (closing an open incident).
      await panel.getByTestId('incident-close').click();
      await expect(panel.getByTestId('incident-error').textContent()).resolves.toMatch(/409.*cannot close/);
      await expect(theRow.getAttribute('data-state')).resolves.toBe('open');

      await panel.getByTestId('incident-ack').click();
      await page
        .locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"][data-state="acknowledged"]`)
        .waitFor();
      await historyHas('acknowledge');

      await panel.getByTestId('incident-dispatch').click();
      const pick = panel.locator(`[data-testid="dispatch-pick"][data-person-id="${patrollerId}"]`);
      await pick.waitFor({ timeout: 10_000 });
      await pick.click();
      await page
        .locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"][data-state="dispatched"]`)
        .waitFor();
      await historyHas('dispatch');

      await panel.getByTestId('incident-escalate').click();
      await panel.getByTestId('escalate-submit').click(); // no reason: refused in the form
      await expect(panel.getByTestId('incident-error').textContent()).resolves.toContain('理由');
      await panel.getByTestId('escalate-note').fill('现场人员聚集，需区块协调');
      await panel.getByTestId('escalate-submit').click();
      await page
        .locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"][data-level="block"]`)
        .waitFor();
      await historyHas('escalate');

      // Escalation hands the matter to the block, which acknowledges anew before resolving.
      await panel.getByTestId('incident-ack').click();
      await page
        .locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"][data-state="acknowledged"]`)
        .waitFor();
      await panel.getByTestId('incident-resolve').click();
      await panel.getByTestId('resolve-note').fill('已劝离，现场恢复正常');
      await panel.getByTestId('resolve-submit').click();
      await page
        .locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"][data-state="resolved"]`)
        .waitFor();
      await historyHas('resolve');

      await panel.getByTestId('incident-verify').click();
      await panel.getByTestId('verify-result').selectOption('satisfied');
      await panel.getByTestId('verify-submit').click();
      await page
        .locator(`[data-testid="incident-row"][data-incident-id="${incidentId}"][data-state="verified"]`)
        .waitFor();
      await historyHas('verify');

      await panel.getByTestId('incident-close').click();
      await page
        .locator(`[data-testid="incident-panel"][data-incident-id="${incidentId}"][data-state="closed"]`)
        .waitFor();
      await historyHas('close');
      const actions = await history
        .locator('[data-testid="history-row"]')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-action')));
      expect(actions).toEqual([
        'create',
        'acknowledge',
        'dispatch',
        'escalate',
        'acknowledge',
        'resolve',
        'verify',
        'close',
      ]);
      await screenshot(page, 'board-history');
      // Closing the panel takes the finished incident off the queue.
      await page.keyboard.press('Escape');
      await theRow.waitFor({ state: 'detached' });
    } finally {
      await page.close();
    }
  });

  it('lists cameras and patrollers, moves by keyboard and shows the shortcut help', {
    timeout: 120_000,
  }, async () => {
    const page = await openDesk(OFFICER);
    try {
      await page.getByTestId('camera-row').first().waitFor();
      const online = await page.getByTestId('camera-row').first().getAttribute('data-online');
      expect(['true', 'false']).toContain(online);
      await page.locator(`[data-testid="camera-row"][data-camera-id="${cameraId}"]`).click();
      await page.getByTestId('camera-fov').waitFor();
      await page.getByTestId('side-tab-patrollers').click();
      const p = page.locator(`[data-testid="patroller-row"][data-person-id="${patrollerId}"]`);
      await p.waitFor();
      expect(await p.getAttribute('data-last-seen')).toMatch(/^\d{4}-\d\d-\d\dT/);
      await page.keyboard.press('?');
      await page.getByTestId('help-overlay').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('help-overlay').waitFor({ state: 'detached' });
    } finally {
      await page.close();
    }
  });

  it('shows a handover note written by one officer to the next one signing in', {
    timeout: 180_000,
  }, async () => {
    const page = await openDesk(OFFICER);
    const note = `交接：东门摄像头画面模糊，请接班同事联系维保 ${Date.now()}`;
    try {
      await page.getByTestId('side-tab-handover').click();
      await page.getByTestId('handover-input').fill(note);
      await page.getByTestId('handover-submit').click();
      await page.getByTestId('handover-note').filter({ hasText: note }).waitFor();
      await screenshot(page, 'board-handover');
    } finally {
      await page.close();
    }
    const context = await browser.newContext({ viewport: { width: 1600, height: 900 } });
    const next = await context.newPage();
    try {
      await signIn(next, env.baseUrl, { id: secondOfficer, path: '/board' });
      await next.getByTestId('handover-banner').filter({ hasText: note }).waitFor({ timeout: 15_000 });
      await next.getByTestId('side-tab-handover').click();
      await next.getByTestId('handover-note').filter({ hasText: note }).waitFor();
      await screenshot(next, 'board');
    } finally {
      await context.close();
    }
  });
});
