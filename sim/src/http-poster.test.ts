import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createHttpPoster } from './http-poster.ts';
import type { Publication } from './publication.ts';

// A stand-in for the API's three endpoints, so the client's protocol can be checked request by
// request; the real API is exercised in test/src/sim/http.test.ts.
interface Seen {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
}
let server: Server;
let apiUrl: string;
let seen: Seen[] = [];
let answer: (req: Seen, n: number) => { status: number; body: unknown } = () => ({ status: 202, body: {} });
let issued = 0;

beforeAll(async () => {
  server = createServer(async (req, res) => {
    let body = '';
    for await (const chunk of req) body += chunk;
    const r = { path: req.url ?? '', headers: req.headers, body };
    seen.push(r);
    const a =
      r.path === '/api/auth/login'
        ? { status: 200, body: { token: `tok-${++issued}` } }
        : answer(r, seen.filter((s) => s.path === r.path).length);
    res.writeHead(a.status, { 'content-type': 'application/json' }).end(JSON.stringify(a.body));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((r) => server.close(() => r())));
afterEach(() => {
  seen = [];
  answer = () => ({ status: 202, body: {} });
});

const checkin = (personId: string, n: number): Publication => ({
  at: 0,
  kind: 'checkin',
  topic: `wardmap/checkin/${personId}`,
  payload: JSON.stringify({
    id: `ck-${personId}-${n}`,
    personId,
    location: [121.6, 29.7],
    at: '2026-06-01T02:00:00Z',
  }),
  identity: personId,
  messageId: `ck-${personId}-${n}`,
  via: 'http',
});
const poster = (extra: { maxAttempts?: number } = {}) =>
  createHttpPoster({ apiUrl, password: 'pw', log: () => {}, retryBaseMs: 1, retryMaxMs: 5, ...extra });
const paths = () => seen.map((s) => s.path);

describe('HTTP mode of the simulated phones', () => {
  it('logs each person in once and posts their check-ins unchanged with the bearer token', async () => {
    const http = poster();
    await Promise.all([checkin('p1', 1), checkin('p1', 2), checkin('p2', 1)].map((p) => http.post(p)));
    const logins = seen.filter((s) => s.path === '/api/auth/login').map((s) => JSON.parse(s.body));
    expect(logins.sort((a, b) => a.id.localeCompare(b.id))).toEqual([
      { id: 'p1', password: 'pw' },
      { id: 'p2', password: 'pw' },
    ]);
    const posts = seen.filter((s) => s.path === '/api/checkins');
    expect(posts.map((s) => s.body).sort()).toEqual(
      [checkin('p1', 1), checkin('p1', 2), checkin('p2', 1)].map((p) => p.payload).sort(),
    );
    expect(posts.every((s) => /^Bearer tok-\d+$/.test(s.headers.authorization ?? ''))).toBe(true);
    expect(http.stats()).toMatchObject({ posted: 3, logins: 2, retries: 0 });
  });

  it('logs in again when the token is refused (401) and repeats the check-in', async () => {
    const http = poster();
    answer = (_, n) =>
      n === 2 ? { status: 401, body: { reason: 'invalid or expired token' } } : { status: 202, body: {} };
    await http.post(checkin('p3', 1));
    await http.post(checkin('p3', 2));
    expect(paths()).toEqual([
      '/api/auth/login',
      '/api/checkins',
      '/api/checkins',
      '/api/auth/login',
      '/api/checkins',
    ]);
    const [first, refused, repeated] = seen.filter((s) => s.path === '/api/checkins');
    expect(refused?.headers.authorization).toBe(first?.headers.authorization);
    expect(repeated?.headers.authorization).not.toBe(first?.headers.authorization);
    expect(repeated?.body).toBe(refused?.body);
  });

  it('retries a 5xx with the same body (same message id), and gives up on a 400 at once', async () => {
    const http = poster();
    answer = (_, n) =>
      n <= 2 ? { status: 503, body: { reason: 'broker down' } } : { status: 202, body: {} };
    await http.post(checkin('p4', 1));
    const posts = seen.filter((s) => s.path === '/api/checkins');
    expect(posts.length).toBe(3);
    expect(new Set(posts.map((s) => JSON.parse(s.body).id))).toEqual(new Set(['ck-p4-1']));
    expect(http.stats().retries).toBe(2);

    answer = () => ({ status: 400, body: { reason: 'location: out of range' } });
    await expect(http.post(checkin('p4', 2))).rejects.toThrow(/400 location: out of range/);
    expect(seen.filter((s) => s.path === '/api/checkins').length).toBe(4);
  });

  it('gives up after maxAttempts when the API stays unreachable', async () => {
    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((r) => closed.close(() => r()));
    const http = createHttpPoster({
      apiUrl: `http://127.0.0.1:${port}`,
      password: 'pw',
      log: () => {},
      retryBaseMs: 1,
      retryMaxMs: 2,
      maxAttempts: 3,
    });
    await expect(http.post(checkin('p5', 1))).rejects.toThrow(/gave up after 3 tries/);
    expect(http.stats().retries).toBe(2);
  });

  it('posts OwnTracks messages with Basic credentials and X-Limit-U / X-Limit-D, as the app does', async () => {
    const http = poster();
    answer = () => ({ status: 200, body: [] });
    const payload = JSON.stringify({ _type: 'transition', event: 'enter', tst: 1, lat: 29.7, lon: 121.6 });
    await http.post({
      at: 0,
      kind: 'owntracks',
      topic: 'owntracks/p6/phone/event',
      payload,
      identity: 'p6',
      messageId: 'ot:x',
      via: 'http',
    });
    expect(seen).toHaveLength(1);
    expect(seen[0]).toMatchObject({ path: '/api/owntracks', body: payload });
    expect(seen[0]?.headers).toMatchObject({
      authorization: `Basic ${Buffer.from('p6:pw').toString('base64')}`,
      'x-limit-u': 'p6',
      'x-limit-d': 'phone',
    });
  });
});
