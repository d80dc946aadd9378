import type { Db } from '@wardmap/db';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { DEMO_PASSWORD } from './support.ts';

/** A mid-range phone: 390×844 CSS px, touch, mobile layout. */
export async function phoneContext(browser: Browser, at: { longitude: number; latitude: number }) {
  return browser.newContext({
    viewport: { width: 390, height: 844 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: 'zh-CN',
    timezoneId: 'Asia/Shanghai',
    geolocation: { ...at, accuracy: 8 },
    permissions: ['geolocation'],
  });
}

/** The text of `outbox-count` once it equals `n` (fails after the timeout with what it showed). */
export async function waitOutboxCount(page: Page, n: number, timeout = 30_000): Promise<void> {
  await page.waitForFunction(
    (want) => document.querySelector('[data-testid="outbox-count"]')?.textContent === String(want),
    n,
    { timeout },
  );
}

/** Waits until the field app's service worker controls the page. */
export async function waitServiceWorker(page: Page): Promise<void> {
  await page.waitForFunction(() => !!navigator.serviceWorker?.controller, null, { timeout: 30_000 });
}

/** A real 2000×1500 JPEG drawn by the browser (a photo larger than the 1600 px the app sends). */
export async function cameraJpeg(context: BrowserContext, baseUrl: string): Promise<Buffer> {
  const page = await context.newPage();
  try {
    await page.goto(`${baseUrl}/api/health`);
    const dataUrl = await page.evaluate(() => {
      const c = document.createElement('canvas');
      c.width = 2000;
      c.height = 1500;
      const g = c.getContext('2d')!;
      const grad = g.createLinearGradient(0, 0, 2000, 1500);
      grad.addColorStop(0, '#3a7bd5');
      grad.addColorStop(1, '#3fa36b');
      g.fillStyle = grad;
      g.fillRect(0, 0, 2000, 1500);
      g.fillStyle = '#fff';
      g.font = '160px sans-serif';
      g.fillText('WARDMAP', 300, 800);
      return c.toDataURL('image/jpeg', 0.9);
    });
    return Buffer.from(dataUrl.split(',')[1]!, 'base64');
  } finally {
    await page.close();
  }
}

/** Bearer headers for a demo person, straight from the API. */
export async function bearerFor(baseUrl: string, id: string): Promise<Record<string, string>> {
  const res = await fetch(`${baseUrl}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ id, password: DEMO_PASSWORD }),
  });
  if (!res.ok) throw new Error(`login ${id}: ${res.status}`);
  const { token } = (await res.json()) as { token: string };
  return { authorization: `Bearer ${token}` };
}

/** Polls `probe` until truthy. */
export async function until<T>(
  probe: () => Promise<T | null | undefined | false>,
  timeoutMs = 30_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > end) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** A demo patroller, a point inside their grid, and police inside and outside their community. */
export async function patrollerCast(db: Db) {
  const res = await db.query<{
    id: string;
    lon: number;
    lat: number;
    community_id: string;
  }>(
    `SELECT p.id, ST_X(ST_PointOnSurface(g.geom)) AS lon, ST_Y(ST_PointOnSurface(g.geom)) AS lat, g.community_id
       FROM people p JOIN grids g ON g.id = p.grid_id
      WHERE 'patroller' = ANY(p.roles) AND p.active
        AND EXISTS (SELECT 1 FROM people q JOIN police_posts pp ON pp.id = q.police_post_id
                     WHERE 'police' = ANY(q.roles) AND pp.community_id = g.community_id)
      ORDER BY p.id LIMIT 1`,
  );
  const p = res.rows[0]!;
  const police = await db.query<{ id: string; inside: boolean }>(
    `SELECT DISTINCT ON (pp.community_id = $1) q.id, pp.community_id = $1 AS inside
       FROM people q JOIN police_posts pp ON pp.id = q.police_post_id
      WHERE 'police' = ANY(q.roles) ORDER BY pp.community_id = $1, q.id`,
    [p.community_id],
  );
  return {
    patroller: p.id,
    at: { longitude: p.lon, latitude: p.lat },
    police: police.rows.find((r) => r.inside)!.id,
    otherPolice: police.rows.find((r) => !r.inside)!.id,
  };
}

/** An enterprise river chief's (rule: 15 min, 1 km) segment long enough for a valid patrol, with points along it. */
export async function chiefCast(db: Db, steps: number) {
  const seg = await db.query<{ id: string; chief_id: string; length_m: number }>(
    `SELECT s.id, s.chief_id, s.length_m FROM river_segments s JOIN people p ON p.id = s.chief_id
      WHERE s.level = 'enterprise' AND s.length_m BETWEEN 1000 AND 4000 AND p.active
        AND NOT EXISTS (SELECT 1 FROM patrols pa WHERE pa.segment_id = s.id)
      ORDER BY s.id LIMIT 1`,
  );
  const s = seg.rows[0]!;
  const pts = await db.query<{ lon: number; lat: number }>(
    `SELECT ST_X(pt) AS lon, ST_Y(pt) AS lat FROM (
       SELECT ST_LineInterpolatePoint(ST_LineMerge(geom), f / $2::float8) AS pt, f
         FROM river_segments, generate_series(0, $2::int) AS f WHERE id = $1) q ORDER BY f`,
    [s.id, steps],
  );
  return {
    segmentId: s.id,
    chief: s.chief_id,
    lengthM: s.length_m,
    points: pts.rows.map((r) => ({ longitude: r.lon, latitude: r.lat })),
  };
}
