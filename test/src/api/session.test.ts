import { DEFAULT_DEMO_PASSWORD } from '@wardmap/db';
import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { useApi } from '../support/api.ts';
import { adminHeaders, loginAs } from './workflow-fixtures.ts';

const api = useApi({ clock: manualClock(new Date('2025-07-01T08:00:00Z')) });

async function login(body: Record<string, unknown>, headers: Record<string, string> = {}) {
  const res = await api.app.request('/api/auth/login', {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ password: DEFAULT_DEMO_PASSWORD, ...body }),
  });
  expect(res.status).toBe(200);
  const json = (await res.json()) as { token: string; expiresAt: string };
  return { ...json, setCookie: res.headers.get('set-cookie') ?? '' };
}

const cookieOf = (token: string) => ({ cookie: `wardmap_session=${token}` });
const hours = (iso: string) => (new Date(iso).getTime() - Date.now()) / 3600_000;

describe('session cookie', () => {
  it('sets an HttpOnly SameSite=Strict cookie at login, Secure only over https', async () => {
    const plain = await login({ id: api.cast.patroller });
    expect(plain.setCookie).toContain(`wardmap_session=${plain.token}`);
    expect(plain.setCookie).toMatch(/HttpOnly/);
    expect(plain.setCookie).toMatch(/SameSite=Strict/);
    expect(plain.setCookie).toMatch(/Path=\//);
    expect(plain.setCookie).not.toMatch(/Secure/);
    const tls = await login({ id: api.cast.patroller }, { 'x-forwarded-proto': 'https' });
    expect(tls.setCookie).toMatch(/Secure/);
  });

  it('lives 12 hours by default and 30 days with remember: true', async () => {
    expect(hours((await login({ id: api.cast.patroller })).expiresAt)).toBeCloseTo(12, 0);
    const device = await login({ id: api.cast.patroller, remember: true });
    expect(hours(device.expiresAt) / 24).toBeCloseTo(30, 0);
    expect(device.setCookie).toMatch(/Expires=/);
  });

  it('authenticates reads and /auth/me by the cookie alone', async () => {
    const { token } = await login({ id: api.cast.police });
    const me = await api.app.request('/api/auth/me', { headers: cookieOf(token) });
    expect(me.status).toBe(200);
    expect(((await me.json()) as { id: string }).id).toBe(api.cast.police);
    expect((await api.app.request('/api/incidents', { headers: cookieOf(token) })).status).toBe(200);
  });

  it('refuses a cookie-authenticated write without X-Wardmap-CSRF: 1 (403 with the reason)', async () => {
    const { token } = await login({ id: api.cast.police });
    const body = JSON.stringify({ id: 'x' });
    const bare = await api.app.request('/api/incidents', {
      method: 'POST',
      headers: { ...cookieOf(token), 'content-type': 'application/json' },
      body,
    });
    expect(bare.status).toBe(403);
    expect(await bare.json()).toEqual({ error: 'forbidden', reason: 'missing X-Wardmap-CSRF header' });
    const withHeader = await api.app.request('/api/incidents', {
      method: 'POST',
      headers: { ...cookieOf(token), 'content-type': 'application/json', 'x-wardmap-csrf': '1' },
      body,
    });
    // Past the CSRF check: the (deliberately incomplete) body is what is refused now.
    expect(withHeader.status).toBe(400);
    // A bearer token is not sent by browsers on their own, so it needs no CSRF header.
    const bearer = await api.app.request('/api/incidents', {
      method: 'POST',
      headers: { ...(await loginAs(api.app, api.cast.police)), 'content-type': 'application/json' },
      body,
    });
    expect(bearer.status).toBe(400);
  });

  it('logs out by cookie: revokes the token and clears the cookie', async () => {
    const { token } = await login({ id: api.cast.patroller });
    const noCsrf = await api.app.request('/api/auth/logout', { method: 'POST', headers: cookieOf(token) });
    expect(noCsrf.status).toBe(403);
    const out = await api.app.request('/api/auth/logout', {
      method: 'POST',
      headers: { ...cookieOf(token), 'x-wardmap-csrf': '1' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/wardmap_session=;.*Max-Age=0/);
    expect((await api.app.request('/api/auth/me', { headers: cookieOf(token) })).status).toBe(401);
    expect(
      (await api.app.request('/api/auth/me', { headers: { authorization: `Bearer ${token}` } })).status,
    ).toBe(401);
  });

  it('lets a caller with a stale cookie sign in again', async () => {
    const res = await api.app.request('/api/auth/login', {
      method: 'POST',
      headers: { ...cookieOf('wm_stale'), 'content-type': 'application/json' },
      body: JSON.stringify({ id: api.cast.patroller, password: DEFAULT_DEMO_PASSWORD }),
    });
    expect(res.status).toBe(200);
  });
});

describe('sign-in required', () => {
  it('answers 401 JSON on every /api route but health and login', async () => {
    for (const path of ['/api/incidents', '/api/layers/positions', '/api/openapi.json', '/api/nothing']) {
      const res = await api.app.request(path);
      expect(res.status, path).toBe(401);
      expect(((await res.json()) as { error: string }).error).toBe('unauthorized');
    }
  });

  it('serves /metrics to admins only', async () => {
    expect((await api.app.request('/metrics')).status).toBe(401);
    expect(
      (await api.app.request('/metrics', { headers: await loginAs(api.app, api.cast.police) })).status,
    ).toBe(403);
    const ok = await api.app.request('/metrics', { headers: adminHeaders });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toContain('wardmap_up');
  });
});
