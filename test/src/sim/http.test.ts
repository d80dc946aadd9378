import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { type ApiServices, createApp, type Publish, startApiServices } from '@wardmap/api';
import { scaledClock } from '@wardmap/geo';
import { type Publication, startSimulator } from '@wardmap/sim';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { eventually, useIngestPipeline } from '../support/ingest.ts';

// The whole HTTP path of `npm start`: simulator -> API (login, POST /api/checkins, OwnTracks HTTP
// mode) -> MQTT as the API's publisher -> ingest -> database. One clock for all, 60x.
const clock = scaledClock(60);
const t = useIngestPipeline({ clock, publisher: false });
let services: ApiServices;
let apiClient: MqttClient;
let server: Server;
let apiUrl: string;

// The API's broker publisher, made unreliable on purpose: some calls fail before publishing (the
// broker is unreachable), some after (PUBACK received, but the HTTP answer is a 500). Either way the
// phone retries with the same message id, and ingest must store it once.
const FAIL_BEFORE = new Set([3, 11, 40]);
const FAIL_AFTER = new Set([5, 17, 60]);
let publishCalls = 0;
const publish: Publish = async (topic, payload) => {
  publishCalls += 1;
  const call = publishCalls;
  if (FAIL_BEFORE.has(call)) throw new Error(`test: broker unreachable (call ${call})`);
  await apiClient.publishAsync(`${t.broker.topicPrefix}${topic}`, payload, { qos: 1 });
  if (FAIL_AFTER.has(call)) throw new Error(`test: published, answer lost (call ${call})`);
};

const n = async (sql: string, params: unknown[] = []) =>
  Number((await t.db.query<{ n: number }>(sql, params)).rows[0]?.n ?? 0);

beforeAll(async () => {
  apiClient = await mqtt.connectAsync(t.broker.url, {
    clientId: t.broker.clientId('api'),
    reconnectPeriod: 1000,
  });
  services = await startApiServices({ db: t.db, clock });
  const app = createApp({
    db: t.db,
    mqttMode: t.broker.kind === 'aedes' ? 'embedded' : 'external',
    readiness: { ready: true },
    clock,
    publish,
    stream: services.stream,
  });
  server = serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }) as Server;
  await once(server, 'listening');
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  if (server) await new Promise<void>((r) => server.close(() => r()));
  await services?.stop();
  await apiClient?.endAsync();
});

describe(`simulator phones in HTTP mode through the real API (${process.env.DATABASE_URL ? 'postgres' : 'pglite'})`, () => {
  it('stores every HTTP check-in exactly once despite API failures and revoked tokens, nothing dead-lettered', async () => {
    const overHttp: Publication[] = [];
    // The API logs each injected failure as an unhandled error; collect them instead of printing.
    const apiErrors: string[] = [];
    const quiet = vi.spyOn(console, 'error').mockImplementation((...args: unknown[]) => {
      apiErrors.push(args.map((a) => (a instanceof Error ? a.message : String(a))).join(' '));
    });
    const sim = await startSimulator({
      mqttUrl: t.broker.url,
      topicPrefix: t.broker.topicPrefix,
      clock,
      seed: 7,
      apiUrl,
      httpShare: 0.5,
      onPublish: (p) => {
        if (p.via === 'http') overHttp.push(p);
      },
    });
    const since = clock.now().getTime();
    try {
      // A few simulated minutes in, every token is revoked: phones must log in again.
      // (Waits for the first logins too: scrypt on a busy machine can take longer than 4 clock minutes.)
      await eventually(
        async () => clock.now().getTime() - since > 4 * 60_000 && sim.stats().http.logins > 0,
        60_000,
      );
      expect(sim.stats().http.logins).toBeGreaterThan(0);
      await t.db.exec('DELETE FROM api_tokens');
      const loginsBefore = sim.stats().http.logins;
      // Phones log in again on their next post after a 401; scrypt on a busy machine may take a while.
      await eventually(
        async () => clock.now().getTime() - since > 10 * 60_000 && sim.stats().http.logins > loginsBefore,
        60_000,
      );
      expect(sim.stats().http.logins).toBeGreaterThan(loginsBefore);
    } finally {
      // Waits for what is in flight, retries included (a few hundred ms of backoff here).
      await sim.stop();
      quiet.mockRestore();
    }
    // Only the injected failures went wrong in the API.
    expect(apiErrors.length).toBe(FAIL_BEFORE.size + FAIL_AFTER.size);
    expect(apiErrors.every((e) => e.includes('test: '))).toBe(true);

    const stats = sim.stats();
    expect(stats.actors.httpPhones).toBeGreaterThan(0);
    expect(stats.failed).toBe(0);
    expect(stats.pending).toBe(0);
    expect(stats.http.posted).toBe(overHttp.length);
    expect(stats.http.retries).toBeGreaterThanOrEqual(FAIL_BEFORE.size + FAIL_AFTER.size);
    const kinds = new Set(overHttp.map((p) => p.kind));
    expect(kinds).toEqual(new Set(['checkin', 'owntracks']));
    // Answers lost after publishing mean the broker saw some messages twice.
    expect(publishCalls).toBeGreaterThan(overHttp.length);

    const ids = [...new Set(overHttp.map((p) => p.messageId))];
    expect(ids.length).toBe(overHttp.length);
    const stored = async () =>
      (
        await t.db.query<{ message_id: string; copies: number }>(
          'SELECT message_id, count(*)::int AS copies FROM checkins WHERE message_id = ANY($1) GROUP BY message_id',
          [ids],
        )
      ).rows;
    await eventually(async () => (await stored()).length >= ids.length, 60_000);
    const rows = await stored();
    expect(rows.filter((r) => Number(r.copies) !== 1)).toEqual([]);
    expect(new Set(rows.map((r) => r.message_id))).toEqual(new Set(ids));
    // HTTP phones' check-ins are stored as their own person's (the API checked the caller).
    expect(
      await n(
        `SELECT count(*) AS n FROM checkins
          WHERE message_id = ANY($1) AND source = 'native' AND message_id NOT LIKE '%-' || person_id || '-%'`,
        [ids],
      ),
    ).toBe(0);
    const dead = await t.db.query<{ topic: string; reason: string }>(
      'SELECT topic, reason FROM dead_letters ORDER BY id LIMIT 5',
    );
    expect(dead.rows).toEqual([]);
  }, 120_000);
});
