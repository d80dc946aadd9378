import { createHash } from 'node:crypto';
import { DEFAULT_DEMO_PASSWORD } from '@wardmap/db';
import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { ADMIN_TOKEN, adminHeaders, get, post } from './workflow-fixtures.ts';

const api = useApi({ clock: manualClock(new Date('2025-07-01T08:00:00Z')) });

describe('login and tokens', () => {
  it('logs in with id and password and stores only a hash of the token', async () => {
    const res = await post(api.app, '/api/auth/login', {
      id: api.cast.police,
      password: DEFAULT_DEMO_PASSWORD,
    });
    expect(res.status).toBe(200);
    expect(res.body.person).toMatchObject({ id: api.cast.police, roles: ['police'] });
    const token: string = res.body.token;
    const stored = await api.db.query<{ token_hash: string }>(
      'SELECT token_hash FROM api_tokens WHERE person_id = $1',
      [api.cast.police],
    );
    expect(stored.rows.map((r) => r.token_hash)).toContain(
      createHash('sha256').update(token).digest('base64url'),
    );
    expect(stored.rows.some((r) => r.token_hash.includes(token))).toBe(false);
    const me = await get(api.app, '/api/auth/me', { authorization: `Bearer ${token}` });
    expect(me.body).toMatchObject({
      id: api.cast.police,
      policePostId: api.cast.postId,
      communityIds: [api.cast.communityId],
    });
  });

  it('gives one 401 reason for a wrong password and an unknown person', async () => {
    const wrong = await post(api.app, '/api/auth/login', {
      id: api.cast.police,
      password: 'not-the-password',
    });
    const unknown = await post(api.app, '/api/auth/login', { id: 'p-nobody', password: 'whatever1' });
    expect(wrong.status).toBe(401);
    expect(unknown.body).toEqual(wrong.body);
    expect(wrong.body.reason).toBe('wrong person id or password');
  });

  it('refuses unknown and revoked tokens with 401', async () => {
    expect((await get(api.app, '/api/auth/me', { authorization: 'Bearer wm_nope' })).status).toBe(401);
    const login = await post(api.app, '/api/auth/login', {
      id: api.cast.patroller,
      password: DEFAULT_DEMO_PASSWORD,
    });
    const headers = { authorization: `Bearer ${login.body.token}` };
    expect((await get(api.app, '/api/auth/me', headers)).status).toBe(200);
    expect((await api.app.request('/api/auth/logout', { method: 'POST', headers })).status).toBe(204);
    expect((await get(api.app, '/api/auth/me', headers)).status).toBe(401);
  });

  it('accepts WARDMAP_ADMIN_TOKEN as an admin bearer token and as Basic admin credentials', async () => {
    expect((await get(api.app, '/api/auth/me', adminHeaders)).body).toMatchObject({
      id: 'admin',
      roles: ['admin'],
    });
    const basic = `Basic ${Buffer.from(`admin:${ADMIN_TOKEN}`).toString('base64')}`;
    expect((await get(api.app, '/api/auth/me', { authorization: basic })).body.id).toBe('admin');
  });

  it('accepts Basic person credentials (OwnTracks HTTP mode) and refuses a wrong password', async () => {
    const good = `Basic ${Buffer.from(`${api.cast.patroller}:${DEFAULT_DEMO_PASSWORD}`).toString('base64')}`;
    expect((await get(api.app, '/api/auth/me', { authorization: good })).body.id).toBe(api.cast.patroller);
    const bad = `Basic ${Buffer.from(`${api.cast.patroller}:nope-nope`).toString('base64')}`;
    expect((await get(api.app, '/api/auth/me', { authorization: bad })).status).toBe(401);
  });

  it('answers 401 on /me and on reads without a token', async () => {
    expect((await get(api.app, '/api/auth/me')).status).toBe(401);
    expect((await get(api.app, '/api/incidents')).status).toBe(401);
  });

  it('answers a malformed login body with 400 and the reason', async () => {
    const res = await post(api.app, '/api/auth/login', { id: api.cast.police });
    expect(res.status).toBe(400);
    expect(res.body.reason).toContain('password');
  });
});
