import { DEFAULT_DEMO_PASSWORD, verifyMosquittoPassword } from '@wardmap/db';
import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { adminHeaders, loginAs, post } from './workflow-fixtures.ts';

const api = useApi({ clock: manualClock(new Date('2025-08-01T08:00:00Z')) });

const square = (lon: number, lat: number, d = 0.002) => ({
  type: 'Polygon',
  coordinates: [
    [
      [lon, lat],
      [lon + d, lat],
      [lon + d, lat + d],
      [lon, lat + d],
      [lon, lat],
    ],
  ],
});

describe('reference data (admin)', () => {
  it('creates a person whose password works for API login and MQTT, then updates them', async () => {
    const person = {
      id: 'p-new-1',
      name: '新网格员',
      roles: ['patroller'],
      password: 'correct-horse-1',
      gridId: api.cast.patrollerGridId,
    };
    const created = await post(api.app, '/api/people', person, adminHeaders);
    expect(created.status).toBe(201);
    expect(created.body).not.toHaveProperty('password');
    const login = await post(api.app, '/api/auth/login', { id: 'p-new-1', password: 'correct-horse-1' });
    expect(login.status).toBe(200);
    const row = await api.db.query<{ mqtt_password_hash: string }>(
      'SELECT mqtt_password_hash FROM people WHERE id = $1',
      ['p-new-1'],
    );
    expect(await verifyMosquittoPassword('correct-horse-1', row.rows[0]!.mqtt_password_hash)).toBe(true);
    const updated = await post(
      api.app,
      '/api/people',
      { ...person, password: 'another-pass-2' },
      adminHeaders,
    );
    expect(updated.status).toBe(200);
    // A new password ends the sessions of the old one.
    const me = await api.app.request('/api/auth/me', {
      headers: { authorization: `Bearer ${login.body.token}` },
    });
    expect(me.status).toBe(401);
  });

  it('refuses people writes without a token (401) and from non-admins (403)', async () => {
    const person = { id: 'p-new-2', name: 'x', roles: ['admin'], password: 'long-enough-1' };
    expect((await post(api.app, '/api/people', person)).status).toBe(401);
    const res = await post(api.app, '/api/people', person, await loginAs(api.app, api.cast.police));
    expect(res.status).toBe(403);
    expect(res.body.reason).toContain('needs role admin');
  });

  it('answers a bad person with 400 and the reason, never echoing the password', async () => {
    const res = await post(
      api.app,
      '/api/people',
      { id: 'p-x', name: 'x', roles: ['mayor'], password: 'short' },
      adminHeaders,
    );
    expect(res.status).toBe(400);
    expect(res.body.reason).toContain('roles.0');
    expect(res.body.reason).not.toContain('short');
  });

  it('creates cameras, police posts, grids and river segments, and refuses them to a patroller', async () => {
    const patroller = await loginAs(api.app, api.cast.patroller);
    const cam = {
      id: 'cam-new-1',
      name: '新摄像头',
      location: [121.65, 29.78],
      password: 'camera-pass-1',
      policePostId: api.cast.postId,
    };
    expect((await post(api.app, '/api/cameras', cam, patroller)).status).toBe(403);
    expect((await post(api.app, '/api/cameras', cam)).status).toBe(401);
    expect((await post(api.app, '/api/cameras', cam, adminHeaders)).status).toBe(201);
    const camRow = await api.db.query<{ frigate_name: string; p: boolean }>(
      'SELECT frigate_name, password_hash IS NOT NULL AS p FROM cameras WHERE id = $1',
      ['cam-new-1'],
    );
    expect(camRow.rows[0]).toEqual({ frigate_name: 'cam-new-1', p: true });

    const pp = {
      id: 'pp-new-1',
      name: '新警务岗',
      location: [121.66, 29.79],
      communityId: api.cast.communityId,
    };
    expect((await post(api.app, '/api/police-posts', pp, patroller)).status).toBe(403);
    expect((await post(api.app, '/api/police-posts', pp, adminHeaders)).status).toBe(201);

    const grid = {
      id: 'g-new-1',
      name: '新区块',
      communityId: api.cast.communityId,
      households: 300,
      geometry: square(121.7, 29.8),
    };
    expect((await post(api.app, '/api/grids', grid, patroller)).status).toBe(403);
    expect((await post(api.app, '/api/grids', grid, adminHeaders)).status).toBe(201);
    expect((await post(api.app, '/api/grids', grid, adminHeaders)).status).toBe(200);

    const seg = {
      id: 'seg-new-1',
      name: '新河段',
      level: 'village',
      chiefId: api.cast.chief,
      geometry: {
        type: 'LineString',
        coordinates: [
          [121.7, 29.8],
          [121.71, 29.81],
        ],
      },
    };
    expect((await post(api.app, '/api/river-segments', seg, patroller)).status).toBe(403);
    expect((await post(api.app, '/api/river-segments', seg, adminHeaders)).status).toBe(201);
    const len = await api.db.query<{ length_m: number }>(
      'SELECT length_m FROM river_segments WHERE id = $1',
      ['seg-new-1'],
    );
    expect(len.rows[0]!.length_m).toBeGreaterThan(1000);
  });

  it('answers a grid in an unknown community with 409 naming the missing reference', async () => {
    const res = await post(
      api.app,
      '/api/grids',
      { id: 'g-orphan', name: 'x', communityId: 'com-nowhere', households: 1, geometry: square(121.7, 29.8) },
      adminHeaders,
    );
    expect(res.status).toBe(409);
    expect(res.body.reason).toContain('com-nowhere');
  });

  it('deletes a camera, and refuses to delete a police post still in use (409)', async () => {
    const del = await api.app.request('/api/cameras/cam-new-1', { method: 'DELETE', headers: adminHeaders });
    expect(del.status).toBe(204);
    const inUse = await api.app.request(`/api/police-posts/${api.cast.postId}`, {
      method: 'DELETE',
      headers: adminHeaders,
    });
    expect(inUse.status).toBe(409);
    const police = await loginAs(api.app, api.cast.police);
    expect((await api.app.request('/api/cameras/x', { method: 'DELETE', headers: police })).status).toBe(403);
  });

  it('imports GeoJSON all-or-nothing, naming each bad feature', async () => {
    const fc = (features: unknown[]) => ({ type: 'FeatureCollection', features });
    const good = {
      type: 'Feature',
      properties: { layer: 'police-posts', id: 'pp-imp-1', name: '导入岗' },
      geometry: { type: 'Point', coordinates: [121.6, 29.7] },
    };
    const bad = {
      type: 'Feature',
      properties: { layer: 'cameras', id: 'cam-imp-1' },
      geometry: { type: 'Point', coordinates: [121.6, 29.7] },
    };
    const refused = await post(api.app, '/api/import', fc([good, bad]), adminHeaders);
    expect(refused.status).toBe(400);
    expect(refused.body.reason).toContain('features.1 (cameras)');
    expect((await api.db.query('SELECT 1 FROM police_posts WHERE id = $1', ['pp-imp-1'])).rowCount).toBe(0);
    const ok = await post(api.app, '/api/import', fc([good]), adminHeaders);
    expect(ok).toMatchObject({ status: 200, body: { counts: { 'police-posts': 1 } } });
    expect(
      (await post(api.app, '/api/import', fc([good]), await loginAs(api.app, api.cast.liaison))).status,
    ).toBe(403);
  });

  it('deactivates a person, which ends their login', async () => {
    await post(
      api.app,
      '/api/people',
      { id: 'p-leaver', name: '离职', roles: ['liaison'], password: DEFAULT_DEMO_PASSWORD },
      adminHeaders,
    );
    const headers = await loginAs(api.app, 'p-leaver');
    expect(
      (await api.app.request('/api/people/p-leaver', { method: 'DELETE', headers: adminHeaders })).status,
    ).toBe(204);
    expect((await api.app.request('/api/auth/me', { headers })).status).toBe(401);
    expect(
      (await post(api.app, '/api/auth/login', { id: 'p-leaver', password: DEFAULT_DEMO_PASSWORD })).status,
    ).toBe(401);
  });
});
