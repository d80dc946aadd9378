import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { FIELD_JS_BUDGET_KB, fieldBundleSize } from '../../bench/bundle-size.ts';
import {
  bearerFor,
  cameraJpeg,
  chiefCast,
  patrollerCast,
  phoneContext,
  until,
  waitOutboxCount,
  waitServiceWorker,
} from './field-support.ts';
import {
  type BrowserStack,
  describeBrowser,
  launchBrowser,
  screenshot,
  signIn,
  startBrowserStack,
} from './support.ts';

describeBrowser('field app on a phone (Chromium)', () => {
  let env: BrowserStack;
  let browser: Browser;
  beforeAll(async () => {
    env = await startBrowserStack();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await env?.stop();
  });

  it('keeps /field light: first-load JavaScript within its gzip budget and free of map and chart code', async () => {
    const r = await fieldBundleSize();
    expect(r.heavy).toEqual([]);
    expect(r.gzipKb).toBeLessThanOrEqual(FIELD_JS_BUDGET_KB);
  });

  const checkinsOf = async (personId: string) =>
    (
      await env.stack.db.query<{ message_id: string; at: string; received_at: string }>(
        `SELECT message_id, at, received_at FROM checkins WHERE person_id = $1 AND message_id LIKE 'ci-%'
          ORDER BY received_at, message_id`,
        [personId],
      )
    ).rows;

  it('a patroller checks in (stored once); offline, three check-ins and a report with a photo survive a reload and upload in order, once each', async () => {
    const cast = await patrollerCast(env.stack.db);
    const context: BrowserContext = await phoneContext(browser, cast.at);
    const page: Page = await context.newPage();
    // The check-ins as the phone sends them (a retry sends an id again).
    const sent: string[] = [];
    page.on('request', (req) => {
      if (req.method() !== 'POST' || new URL(req.url()).pathname !== '/api/checkins') return;
      const id = (req.postDataJSON() as { id?: unknown } | null)?.id;
      if (typeof id === 'string' && !sent.includes(id)) sent.push(id);
    });
    try {
      const jpeg = await cameraJpeg(context, env.baseUrl);
      await signIn(page, env.baseUrl, { id: cast.patroller, path: '/field' });
      await page.getByTestId('checkin-button').waitFor();
      await waitServiceWorker(page);
      await screenshot(page, 'field-patroller-home');

      // Online: one tap, one row.
      await page.getByTestId('checkin-button').click();
      await waitOutboxCount(page, 0);
      const first = await until(async () => {
        const rows = await checkinsOf(cast.patroller);
        return rows.length ? rows : null;
      });
      expect(first).toHaveLength(1);

      // Offline: everything waits in the outbox.
      await context.setOffline(true);
      for (let i = 1; i <= 3; i++) {
        await page.getByTestId('checkin-button').click();
        await waitOutboxCount(page, i);
      }
      await page.getByTestId('report-button').click();
      await page.getByTestId('report-category').selectOption('safety_hazard');
      await page.getByTestId('report-note').fill('3号楼楼道堆放杂物，堵塞消防通道');
      await page
        .getByTestId('photo-input')
        .setInputFiles({ name: 'IMG_0001.jpg', mimeType: 'image/jpeg', buffer: jpeg });
      await page.locator('.fa-thumb img').waitFor();
      await screenshot(page, 'field-report-form');
      await page.getByTestId('report-submit').click();
      await waitOutboxCount(page, 4);
      await screenshot(page, 'field-offline-outbox');

      // Reload while still offline: the app shell comes from the service worker, the actions from IndexedDB.
      await page.reload();
      await page
        .getByTestId('checkin-button')
        .waitFor({ timeout: 30_000 })
        .catch(async (err) => {
          await screenshot(page, 'field-offline-reload-failed');
          throw err;
        });
      await waitOutboxCount(page, 4);
      await page.getByTestId('outbox-count').click();
      expect(await page.getByTestId('outbox-item').count()).toBe(5); // 3 check-ins, the photo, the report
      await screenshot(page, 'field-outbox-list');
      expect((await checkinsOf(cast.patroller)).length).toBe(1);

      // Back online: the outbox drains in order, each stored once.
      await context.setOffline(false);
      await waitOutboxCount(page, 0, 60_000);
      const rows = await until(async () => {
        const r = await checkinsOf(cast.patroller);
        return r.length >= 4 ? r : null;
      });
      expect(rows).toHaveLength(4);
      // Sent in the order they were taken (device time), and stored in that order: on an external
      // broker (which acknowledges before ingest commits) check-ins sent back to back can be
      // received in the same millisecond, so received_at may tie but never goes back.
      const byDeviceTime = [...rows].sort((a, b) => +new Date(a.at) - +new Date(b.at));
      expect(byDeviceTime[0]!.message_id).toBe(first[0]!.message_id);
      expect(sent).toEqual(byDeviceTime.map((r) => r.message_id));
      for (const [i, r] of byDeviceTime.entries())
        if (i > 0)
          expect(+new Date(r.received_at), r.message_id).toBeGreaterThanOrEqual(
            +new Date(byDeviceTime[i - 1]!.received_at),
          );

      const incident = await env.stack.db.query<{ id: string; source_id: string; created_at: string }>(
        `SELECT id, source_id, created_at FROM incidents WHERE source = 'manual' AND reported_by = $1`,
        [cast.patroller],
      );
      expect(incident.rows).toHaveLength(1);
      const photos = await env.stack.db.query<{
        id: string;
        width: number;
        created_at: string;
        report_id: string;
      }>('SELECT id, width, created_at, report_id FROM photos WHERE owner_id = $1', [cast.patroller]);
      expect(photos.rows).toHaveLength(1);
      const photo = photos.rows[0]!;
      // Manual incidents namespace the client's id by the reporter.
      expect(`${cast.patroller}:${photo.report_id}`).toBe(incident.rows[0]!.source_id);
      expect(photo.width).toBe(1600); // downsized on the phone
      // In order: the photo was stored after the last check-in was published and before its report.
      expect(+new Date(photo.created_at)).toBeLessThanOrEqual(+new Date(incident.rows[0]!.created_at));

      // The photo: the reporter and police of the community see it; police elsewhere get 403.
      const url = `${env.directUrl}/api/photos/${photo.id}`;
      const police = await bearerFor(env.directUrl, cast.police);
      const other = await bearerFor(env.directUrl, cast.otherPolice);
      const seen = await fetch(url, { headers: police });
      expect(seen.status).toBe(200);
      expect(seen.headers.get('content-type')).toBe('image/jpeg');
      expect((await fetch(url, { headers: other })).status).toBe(403);
      expect((await fetch(url)).status).toBe(401);

      // The police dispatch that incident back to the patroller, who resolves it with a note and a photo.
      const incidentId = incident.rows[0]!.id;
      const dispatch = await fetch(`${env.directUrl}/api/incidents/${incidentId}/transitions`, {
        method: 'POST',
        headers: { ...police, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'dispatch', assigneeId: cast.patroller, note: '请网格员处理' }),
      });
      expect(dispatch.status).toBe(200);
      await page.reload();
      const order = page.locator(`[data-testid="work-order-row"][data-incident-id="${incidentId}"]`);
      await order.waitFor();
      await order.getByTestId('incident-photo').first().waitFor(); // the report's own photo
      await order.getByTestId('incident-resolve').click();
      await order.getByTestId('resolve-note').fill('杂物已清理，通道畅通');
      await order
        .getByTestId('photo-input')
        .setInputFiles({ name: 'IMG_0004.jpg', mimeType: 'image/jpeg', buffer: jpeg });
      await order.locator('.fa-thumb img').waitFor();
      await screenshot(page, 'field-work-order-resolve');
      await order.getByTestId('resolve-submit').click();
      await waitOutboxCount(page, 0, 60_000);
      const resolved = await until(async () => {
        const r = await env.stack.db.query<{ state: string; n: number }>(
          `SELECT i.state, (SELECT count(*)::int FROM photos p WHERE p.incident_id = i.id AND p.purpose = 'resolve') AS n
             FROM incidents i WHERE i.id = $1`,
          [incidentId],
        );
        return r.rows[0]?.state === 'resolved' ? r.rows[0] : null;
      });
      expect(resolved).toEqual({ state: 'resolved', n: 1 });
    } finally {
      await context.close();
    }
  });

  it('a river chief patrols a segment (its row turns done), reports an issue with a photo and closes it with an after photo', async () => {
    const steps = 34;
    const cast = await chiefCast(env.stack.db, steps);
    const context = await phoneContext(browser, cast.points[0]!);
    const page = await context.newPage();
    try {
      const jpeg = await cameraJpeg(context, env.baseUrl);
      // The phone's clock starts 25 minutes ago so a 17-minute patrol fits before "now".
      await page.clock.install({ time: new Date(Date.now() - 25 * 60_000) });
      await signIn(page, env.baseUrl, { id: cast.chief, path: '/field' });
      const row = page.locator(`[data-testid="segment-row"][data-segment-id="${cast.segmentId}"]`);
      await row.waitFor();
      expect(await row.getAttribute('data-status')).toBe('never');
      await screenshot(page, 'field-chief-segments');

      await row.getByTestId('patrol-start').click();
      await page.getByTestId('river-patrol').waitFor();
      for (let i = 1; i <= steps; i++) {
        await context.setGeolocation({ ...cast.points[i]!, accuracy: 6 });
        await page.clock.fastForward(30_000);
        await until(
          async () => (await page.locator('.fa-patrol .fa-stat').nth(2).textContent()) === String(i + 1),
          10_000,
        );
      }
      await screenshot(page, 'field-river-patrolling');
      await page.getByTestId('patrol-end').click();
      const summary = page.getByTestId('patrol-summary');
      await summary.waitFor();
      await page.waitForFunction(
        () =>
          document.querySelector('[data-testid="patrol-summary"]')?.getAttribute('data-valid') !== 'pending',
        null,
        { timeout: 60_000 },
      );
      await screenshot(page, 'field-river-end');
      expect(await summary.getAttribute('data-valid')).toBe('true');
      await page.waitForFunction(
        (id) =>
          document
            .querySelector(`[data-testid="segment-row"][data-segment-id="${id}"]`)
            ?.getAttribute('data-status') === 'done',
        cast.segmentId,
        { timeout: 60_000 },
      );

      // An issue with a photo, then closed with an after photo.
      await page.getByRole('button', { name: /知道了/ }).click();
      await row.getByTestId('issue-button').click();
      await page.locator('.fa-chips label', { hasText: '网箱' }).click();
      await page.getByTestId('issue-count').fill('2');
      await page.getByTestId('issue-note').fill('桥下发现两处网箱');
      await page
        .getByTestId('photo-input')
        .setInputFiles({ name: 'IMG_0002.jpg', mimeType: 'image/jpeg', buffer: jpeg });
      await page.locator('.fa-thumb img').waitFor();
      await page.getByTestId('issue-submit').click();
      await waitOutboxCount(page, 0, 60_000);
      const incidentId = await until(async () => {
        const r = await env.stack.db.query<{ id: string }>(
          `SELECT id FROM incidents WHERE source = 'river' AND segment_id = $1 AND reported_by = $2`,
          [cast.segmentId, cast.chief],
        );
        return r.rows[0]?.id;
      });
      const issueRow = page.locator(`[data-testid="issue-row"][data-incident-id="${incidentId}"]`);
      await page.clock.fastForward(20_000);
      await issueRow.waitFor({ timeout: 30_000 });
      await issueRow.getByTestId('incident-photo').first().waitFor();
      await issueRow.getByTestId('issue-close').click();
      await issueRow.getByTestId('resolve-note').fill('网箱已拆除');
      await issueRow
        .getByTestId('photo-input')
        .setInputFiles({ name: 'IMG_0003.jpg', mimeType: 'image/jpeg', buffer: jpeg });
      await issueRow.locator('.fa-thumb img').waitFor();
      await screenshot(page, 'field-issue-close');
      await issueRow.getByTestId('resolve-submit').click();
      await waitOutboxCount(page, 0, 60_000);
      const state = await until(async () => {
        const r = await env.stack.db.query<{ state: string }>('SELECT state FROM incidents WHERE id = $1', [
          incidentId,
        ]);
        return r.rows[0]?.state === 'closed' ? r.rows[0].state : null;
      });
      expect(state).toBe('closed');
      const after = await env.stack.db.query<{ n: number }>(
        `SELECT count(*)::int AS n FROM photos WHERE incident_id = $1 AND purpose = 'after'`,
        [incidentId],
      );
      expect(after.rows[0]!.n).toBe(1);
    } finally {
      await context.close();
    }
  });
});
