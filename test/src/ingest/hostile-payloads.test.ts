import { createHash } from 'node:crypto';
import { systemClock } from '@wardmap/geo';
import { decodeMessage } from '@wardmap/ingest';
import fc from 'fast-check';
import type { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp, castOf, loginAs, startPipeline } from '../api/workflow-fixtures.ts';
import { count, eventually, useIngestPipeline } from '../support/ingest.ts';
import {
  FAMILIES,
  type HostileMessage,
  hostileMessage,
  hostileValue,
  stallPayload,
  withHostileField,
} from './hostile.ts';

// Through the real broker and database (both backends): hostile payloads of every topic family are
// each stored or dead-lettered, the stall payloads included, and valid traffic keeps flowing.
const t = useIngestPipeline({ publisher: 'hostile' });
const at = new Date(Date.now() - 60_000).toISOString();
const lake = [121.6202, 29.7505];

const key = (m: HostileMessage) =>
  `sha256:${createHash('sha256').update(m.topic).update('\0').update(m.payload).digest('hex')}`;

async function settled(total: number) {
  await eventually(async () => {
    const s = t.ingest.stats();
    return s.received >= total && s.buffered === 0;
  }, 60_000);
}

describe('hostile payloads through MQTT', () => {
  it('stores or dead-letters every one, with the stage, and keeps storing valid traffic', async () => {
    const messages = fc.sample(hostileMessage(at, t.broker.topicPrefix), { numRuns: 120, seed: 1313 });
    const before = t.ingest.stats().received;
    for (let i = 0; i < messages.length; i += 20) {
      await Promise.all(
        messages.slice(i, i + 20).map((m) => t.pub.client.publishAsync(m.topic, m.payload, { qos: 1 })),
      );
    }
    await t.pub.publish('wardmap/checkin/p-0002', { id: 'hostile-sentinel', location: lake, at });
    await eventually(() =>
      count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id = 'hostile-sentinel'`),
    );
    await settled(before + messages.length + 1);
    const s = t.ingest.stats();
    expect(s.received - before).toBe(messages.length + 1);
    expect(s.stored + s.duplicates + s.deadLettered + s.deadLetterDuplicates).toBe(s.received);
    const keys = new Set(
      (await t.db.query<{ dedup_key: string }>('SELECT dedup_key FROM dead_letters')).rows.map(
        (r) => r.dedup_key,
      ),
    );
    const stages = await t.db.query<{ stage: string | null }>('SELECT DISTINCT stage FROM dead_letters');
    expect(stages.rows.every((r) => r.stage !== null)).toBe(true);
    for (const m of messages) {
      if (!decodeMessage(m.topic, m.payload, { topicPrefix: t.broker.topicPrefix }).ok) {
        expect(keys.has(key(m)), `${m.family}: ${m.payload.subarray(0, 80).toString()}`).toBe(true);
      }
    }
    expect(keys.size).toBeGreaterThan(messages.length / 2);
  });

  it('dead-letters more stall payloads than an in-flight window holds, and the next valid messages are stored', async () => {
    const stalls = Array.from({ length: 30 }, (_, k) => stallPayload(k, at, 5_000 + k * 100));
    await Promise.all(
      stalls.map((p) =>
        t.pub.client.publishAsync(`${t.broker.topicPrefix}wardmap/checkin/p-0002`, p, { qos: 1 }),
      ),
    );
    await Promise.all(
      Array.from({ length: 200 }, (_, k) =>
        t.pub.publish('wardmap/checkin/p-0003', { id: `after-stall-${k}`, location: lake, at }),
      ),
    );
    await eventually(
      async () =>
        (await count(t.db, `SELECT count(*) AS n FROM checkins WHERE message_id LIKE 'after-stall-%'`)) ===
        200,
      60_000,
    );
    const topic = `${t.broker.topicPrefix}wardmap/checkin/p-0002`;
    const stalled = await t.db.query<{ n: number }>(
      `SELECT count(*) AS n FROM dead_letters WHERE stage = 'schema' AND dedup_key = ANY($1::text[])`,
      [stalls.map((payload) => key({ family: 'checkin', topic, payload }))],
    );
    expect(Number(stalled.rows[0]?.n)).toBe(30);
  });
});

describe('hostile bodies over HTTP', () => {
  let app: Hono;
  let pipeline: Awaited<ReturnType<typeof startPipeline>>;
  let headers: Record<string, string>;

  beforeAll(async () => {
    pipeline = await startPipeline(t.db, systemClock);
    app = buildApp({ db: t.db, clock: systemClock, publish: pipeline.publish });
    headers = await loginAs(app, (await castOf(t.db)).patroller);
  });
  afterAll(async () => {
    await pipeline?.stop();
  });

  const send = async (path: string, body: Buffer) => {
    const res = await app.request(path, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: new Uint8Array(body),
    });
    const text = await res.text();
    return { status: res.status, text };
  };

  it('answers 400 (never 5xx, never a hang) for hostile check-in, river-report and OwnTracks bodies', async () => {
    const routes: Array<[string, string]> = [
      ['/api/checkins', 'checkin'],
      ['/api/river-reports', 'river-report'],
      ['/api/owntracks', 'owntracks-location'],
    ];
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...routes),
        fc.nat({ max: 1000 }),
        fc.nat(),
        hostileValue,
        async ([path, family], k, field, value) => {
          const f = FAMILIES.find((x) => x.name === family)!;
          const valid = f.body(k, at);
          const template =
            path === '/api/river-reports' ? { ...f, body: () => ({ ...valid, segmentId: 'seg-01' }) } : f;
          const body = withHostileField(template, k, at, f.fields[field % f.fields.length] as string, value);
          const res = await send(path, body);
          expect(res.status, res.text.slice(0, 200)).toBeLessThan(500);
          if (res.status >= 400) expect(res.text.length).toBeLessThan(3000);
        },
      ),
      { numRuns: 60, seed: 99 },
    );
  });

  it('answers 400 with the reason for the stall payload and invalid UTF-8', async () => {
    const stall = await send('/api/checkins', stallPayload(1, at, 20_000));
    expect(stall.status).toBe(400);
    expect(stall.text).toMatch(/an array of 1 item/);
    const bad = Buffer.concat([
      Buffer.from('{"id":"u","location":[121.6,29.7],"at":"'),
      Buffer.from([0xff]),
      Buffer.from('"}'),
    ]);
    expect((await send('/api/checkins', bad)).status).toBe(400);
    expect((await send('/api/owntracks', bad)).status).toBe(400);
  });
});
