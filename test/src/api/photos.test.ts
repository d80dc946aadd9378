import { createApp } from '@wardmap/api';
import { manualClock } from '@wardmap/geo';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';
import { ADMIN_TOKEN, type Cast, castOf, get, ingestIncident, loginAs, post } from './workflow-fixtures.ts';

let db: TestDb;
let app: Hono;
let cast: Cast;
const clock = manualClock(new Date('2025-03-01T08:00:00Z'));
const MAX = 64 * 1024;

/** A small JPEG carrying an EXIF block with a GPS marker text (structure only; enough for the checks). */
function jpegWithGps(seed = 0): Uint8Array {
  const be16 = (n: number) => [n >> 8, n & 0xff];
  const text = (s: string) => [...s].map((c) => c.charCodeAt(0));
  const tiff = [...text('MM'), 0, 0x2a, 0, 0, 0, 8, 0, 0, 0, 0, 0, 0, ...text('GPS 29.7712N 121.6401E')];
  const exif = [...text('Exif'), 0, 0, ...tiff];
  const sof = [0xff, 0xc0, ...be16(11), 8, ...be16(120), ...be16(160), 1, 1, 0x11, 0];
  const sos = [0xff, 0xda, ...be16(8), 1, 1, 0, 0, 0x3f, 0];
  return Uint8Array.from([
    0xff,
    0xd8,
    0xff,
    0xe1,
    ...be16(exif.length + 2),
    ...exif,
    ...sof,
    ...sos,
    seed & 0xff,
    0x11,
    0xff,
    0xd9,
  ]);
}

async function upload(query: string, body: Uint8Array, headers: Record<string, string>) {
  const res = await app.request(`/api/photos${query}`, {
    method: 'POST',
    headers: { 'content-type': 'image/jpeg', ...headers },
    body: Buffer.from(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
}

beforeAll(async () => {
  db = await openTestDb();
  app = createApp({
    db,
    mqttMode: 'embedded',
    readiness: { ready: true },
    clock,
    adminToken: ADMIN_TOKEN,
    photos: { maxBytes: MAX },
  });
  cast = await castOf(db);
});
afterAll(() => db?.dispose());

describe('photos', () => {
  it('stores an upload once per client id, without its GPS metadata, and serves it to its owner', async () => {
    const me = await loginAs(app, cast.patroller);
    const first = await upload('?id=photo-owner-0001', jpegWithGps(1), me);
    expect(first.status, JSON.stringify(first.body)).toBe(201);
    expect(first.body).toMatchObject({
      id: 'photo-owner-0001',
      url: '/api/photos/photo-owner-0001',
      contentType: 'image/jpeg',
      ownerId: cast.patroller,
      width: 160,
      height: 120,
      stripped: ['APP1 Exif'],
    });
    const again = await upload('?id=photo-owner-0001', jpegWithGps(1), me);
    expect(again.status).toBe(200);
    const rows = await db.query<{ n: number }>(
      "SELECT count(*)::int AS n FROM photos WHERE id = 'photo-owner-0001'",
    );
    expect(rows.rows[0]!.n).toBe(1);

    const res = await app.request('/api/photos/photo-owner-0001', { headers: me });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('image/jpeg');
    const served = Buffer.from(await res.arrayBuffer());
    expect(served.subarray(0, 3)).toEqual(Buffer.from([0xff, 0xd8, 0xff]));
    expect(served.includes(Buffer.from('GPS'))).toBe(false);
  });

  it('refuses another person reusing a taken photo id (409), a non-image (415), an oversized one (413), and no sign-in (401)', async () => {
    const other = await loginAs(app, cast.liaison);
    expect((await upload('?id=photo-owner-0001', jpegWithGps(1), other)).status).toBe(409);
    const me = await loginAs(app, cast.patroller);
    const gif = Uint8Array.from([...'GIF89a'].map((c) => c.charCodeAt(0)).concat([1, 0, 1, 0, 0, 0]));
    const wrong = await upload('', gif, me);
    expect(wrong).toMatchObject({ status: 415, body: { error: 'unsupported_media_type' } });
    const big = new Uint8Array(MAX + 1);
    big.set(jpegWithGps());
    const tooBig = await upload('', big, me);
    expect(tooBig.status).toBe(413);
    expect((await upload('', jpegWithGps(), {})).status).toBe(401);
    const count = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM photos WHERE owner_id = $1`, [
      cast.patroller,
    ]);
    expect(count.rows[0]!.n).toBe(1);
  });

  it('serves an incident report photo to people who may see the incident and refuses (403) everyone else', async () => {
    const me = await loginAs(app, cast.patroller);
    const grid = await db.query<{ lon: number; lat: number }>(
      'SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat FROM grids WHERE id = $1',
      [cast.patrollerGridId],
    );
    const at = [grid.rows[0]!.lon, grid.rows[0]!.lat];
    const reportId = 'field-report-0001';
    const photo = await upload(
      `?id=photo-report-0001&reportId=${reportId}&takenAt=1740816000000`,
      jpegWithGps(2),
      me,
    );
    expect(photo.status).toBe(201);
    // Before the report arrives only the owner (and admins) may see it.
    const police = await loginAs(app, cast.police);
    expect((await app.request('/api/photos/photo-report-0001', { headers: police })).status).toBe(403);

    const incident = await post(
      app,
      '/api/incidents',
      { id: reportId, category: 'safety_hazard', location: at, note: '楼道堆物', photoUrl: photo.body.url },
      me,
    );
    expect(incident.status, JSON.stringify(incident.body)).toBe(201);
    expect((await app.request('/api/photos/photo-report-0001', { headers: police })).status).toBe(200);
    const otherPolice = await loginAs(app, cast.otherPolice);
    const refused = await app.request('/api/photos/photo-report-0001', { headers: otherPolice });
    expect(refused.status).toBe(403);
    expect(await refused.json()).toMatchObject({ error: 'forbidden' });
    const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
    expect((await app.request('/api/photos/photo-report-0001', { headers: admin })).status).toBe(200);

    const list = await get(app, `/api/photos?incidentId=${incident.body.id}`, police);
    expect(list.status).toBe(200);
    expect(list.body.items.map((p: { id: string }) => p.id)).toEqual(['photo-report-0001']);
    expect((await get(app, `/api/photos?incidentId=${incident.body.id}`, otherPolice)).status).toBe(403);
  });

  it("attaches a river chief's after photo to an issue on their segment, refused to other chiefs", async () => {
    const incidentId = await ingestIncident(db, { now: clock.now(), segmentId: cast.chiefSegmentId });
    const chief = await loginAs(app, cast.chief);
    const other = await loginAs(app, cast.otherChief);
    expect(
      (await upload(`?id=photo-after-other&incidentId=${incidentId}&purpose=after`, jpegWithGps(3), other))
        .status,
    ).toBe(403);
    const after = await upload(
      `?id=photo-after-0001&incidentId=${incidentId}&purpose=after`,
      jpegWithGps(3),
      chief,
    );
    expect(after).toMatchObject({ status: 201, body: { purpose: 'after', incidentId } });
    expect((await app.request('/api/photos/photo-after-0001', { headers: other })).status).toBe(403);
    expect((await app.request('/api/photos/photo-after-0001', { headers: chief })).status).toBe(200);
    expect((await upload('?incidentId=inc-nope', jpegWithGps(), chief)).status).toBe(404);
  });
});
