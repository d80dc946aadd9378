// Workflow helpers for the API tests: incidents created the way ingest does, transitions, SSE
// reading and the real check-in pipeline. The app fixture itself is ../support/api.ts.
import type { Publish } from '@wardmap/api';
import { type Db, recordChange } from '@wardmap/db';
import type { Clock } from '@wardmap/geo';
import { startIngest } from '@wardmap/ingest';
import type { Hono } from 'hono';
import mqtt from 'mqtt';
import { openTestBroker } from '../support/mqtt.ts';

// App, cast, sign-in and request helpers live in the shared API fixture (../support/api.ts).
export {
  ADMIN_TOKEN,
  adminHeaders,
  buildApp,
  type Cast,
  castOf,
  get,
  loginAs,
  post,
} from '../support/api.ts';

import { post } from '../support/api.ts';

let seq = 0;

/**
 * Creates an incident as ingest does (row, 'create' event, change notice in one transaction),
 * placed in a grid of `communityId` or on a segment. SLA deadline from sla_rules at `now`.
 */
export async function ingestIncident(
  db: Db,
  opts: {
    now: Date;
    communityId?: string;
    segmentId?: string;
    policePostId?: string;
    severity?: 'low' | 'medium' | 'high';
    level?: 'building' | 'block' | 'community';
    source?: 'camera' | 'river';
  },
): Promise<string> {
  const n = ++seq;
  const id = `inc-test${process.pid}${n}`;
  const severity = opts.severity ?? 'high';
  const level = opts.level ?? 'building';
  await db.transaction(async (tx) => {
    const place = opts.segmentId
      ? await tx.query<{ lon: number; lat: number; grid_id: string | null; community_id: string | null }>(
          `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat, NULL AS grid_id, NULL AS community_id
             FROM river_segments WHERE id = $1`,
          [opts.segmentId],
        )
      : await tx.query<{ lon: number; lat: number; grid_id: string | null; community_id: string | null }>(
          `SELECT ST_X(ST_PointOnSurface(geom)) AS lon, ST_Y(ST_PointOnSurface(geom)) AS lat, id AS grid_id, community_id
             FROM grids WHERE community_id = $1 ORDER BY id LIMIT 1`,
          [opts.communityId],
        );
    const p = place.rows[0]!;
    await tx.query(
      `INSERT INTO incidents (id, source, source_id, category, title, severity, level, state, geom, grid_id, community_id,
         segment_id, police_post_id, sla_due_at, created_at, updated_at)
       SELECT $1, $2, $3, $4, $4, $5, $6, 'open', ST_SetSRID(ST_MakePoint($7, $8), 4326), $9, $10, $11, $12,
              $13::timestamptz + make_interval(secs => ack_minutes * 60), $13, $13
         FROM sla_rules WHERE level = $6 AND severity = $5`,
      [
        id,
        opts.source ?? (opts.segmentId ? 'river' : 'camera'),
        `src-${id}`,
        opts.segmentId ? 'garbage' : 'smoke',
        severity,
        level,
        p.lon,
        p.lat,
        p.grid_id,
        p.community_id,
        opts.segmentId ?? null,
        opts.policePostId ?? null,
        opts.now,
      ],
    );
    await tx.query(
      `INSERT INTO incident_events (incident_id, at, actor, action, to_state, to_level) VALUES ($1, $2, 'ingest', 'create', 'open', $3)`,
      [id, opts.now, level],
    );
    await recordChange(tx, 'incidents', [id], opts.now);
  });
  return id;
}

/** Applies a transition and returns status and body. */
export function transition(app: Hono, id: string, body: unknown, headers: Record<string, string>) {
  return post(app, `/api/incidents/${id}/transitions`, body, headers);
}

/** One parsed SSE frame. */
export interface SseFrame {
  id?: string;
  event?: string;
  data: string;
}

/**
 * Reads an SSE response frame by frame. `next(pred)` resolves with the first frame matching `pred`
 * (frames before it are kept in `seen`), or rejects after `timeoutMs`.
 */
export function sseReader(res: Response) {
  const reader = res.body!.getReader();
  const decoder = new TextDecoder();
  let buffer = '';
  const seen: SseFrame[] = [];
  const pending: SseFrame[] = [];
  const parse = (block: string): SseFrame => {
    const frame: SseFrame = { data: '' };
    const data: string[] = [];
    for (const line of block.split('\n')) {
      const i = line.indexOf(':');
      const key = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (key === 'id') frame.id = value;
      else if (key === 'event') frame.event = value;
      else if (key === 'data') data.push(value);
    }
    frame.data = data.join('\n');
    return frame;
  };
  async function pull(): Promise<void> {
    const { value, done } = await reader.read();
    if (done) throw new Error('stream ended');
    buffer += decoder.decode(value, { stream: true });
    let cut = buffer.indexOf('\n\n');
    while (cut >= 0) {
      pending.push(parse(buffer.slice(0, cut)));
      buffer = buffer.slice(cut + 2);
      cut = buffer.indexOf('\n\n');
    }
  }
  return {
    seen,
    async next(pred: (f: SseFrame) => boolean, timeoutMs = 15_000): Promise<SseFrame> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        while (pending.length) {
          const f = pending.shift()!;
          seen.push(f);
          if (pred(f)) return f;
        }
        const left = deadline - Date.now();
        if (left <= 0)
          throw new Error(
            `no matching SSE frame within ${timeoutMs} ms; saw ${JSON.stringify(seen.slice(-5))}`,
          );
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([
          pull(),
          new Promise((_, reject) => {
            timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `no matching SSE frame within ${timeoutMs} ms; saw ${JSON.stringify(seen.slice(-5))}`,
                  ),
                ),
              left,
            );
          }),
        ]).finally(() => clearTimeout(timer));
      }
    },
    close: () => reader.cancel().catch(() => {}),
  };
}

/**
 * The real pipeline behind HTTP check-ins: a test broker, ingest subscribed to it, and the API's
 * `publish` dependency as an MQTT.js client (QoS 1) on the same broker under the file's topic root.
 */
export async function startPipeline(db: Db, clock: Clock) {
  const broker = await openTestBroker();
  const ingest = await startIngest({
    db,
    mqttUrl: broker.url,
    clientId: broker.clientId('ingest'),
    topicPrefix: broker.topicPrefix,
    clock,
  });
  const client = await mqtt.connectAsync(broker.url, {
    clientId: broker.clientId('api'),
    protocolVersion: 4,
    reconnectPeriod: 0,
  });
  const publish: Publish = async (topic, payload) => {
    await client.publishAsync(`${broker.topicPrefix}${topic}`, payload, { qos: 1 });
  };
  return {
    broker,
    publish,
    async stop() {
      await client.endAsync();
      await ingest.stop();
      await broker.close();
    },
  };
}

/** Polls `probe` until it returns a truthy value, or throws after `timeoutMs`. */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await probe();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
