import type { Db } from '@wardmap/db';
import { type Clock, failureText, systemClock } from '@wardmap/geo';
import { createBatcher } from './batcher.ts';
import { type DecodeOptions, decodeMessage } from './decode.ts';
import type { IncidentRules } from './incidents/rules.ts';
import type { Decoded } from './items.ts';
import { createIngestMetrics, Gauge } from './metrics.ts';
import {
  DEFAULT_PLAUSIBILITY,
  implausibleItem,
  loadPlausibility,
  type Plausibility,
} from './plausibility.ts';
import { type PendingMessage, writeWithRecovery } from './recovery.ts';
import { inProcessSource } from './source/in-process-source.ts';
import { mqttSource } from './source/mqtt-source.ts';
import type { IngestSource, SourceSink } from './source/source.ts';
import { insertDeadLetterAlone } from './write/dead-letters.ts';
import type { BatchEntry } from './write/types.ts';
import { type BatchResult, writeBatch } from './writer.ts';

export interface IngestDeps {
  db: Db;
  /**
   * Where messages come from (an AMQP source, ...). Absent: MQTT from `mqttUrl` with the options
   * below. Either way `accept()` stays open for in-process input.
   */
  source?: IngestSource;
  /**
   * The MQTT broker to subscribe to (when no `source` is given). Absent: in-process only —
   * messages arrive through `accept()` (the embedded broker hands each PUBLISH over before
   * acknowledging it).
   */
  mqttUrl?: string | undefined;
  username?: string | undefined;
  password?: string | undefined;
  /** Fixed per worker: the broker keeps the session (and unacknowledged messages) under it. */
  clientId?: string;
  /** Prepended to every subscribed topic (test isolation on a shared broker). */
  topicPrefix?: string;
  /** Shared-subscription group (`$share/<group>/...`) so several workers split the load; `true` = `wardmap`. */
  share?: string | boolean;
  clock?: Clock;
  log?: (line: string) => void;
  batch?: Partial<BatchSettings>;
  incidentRules?: IncidentRules;
  maxPayloadBytes?: number;
  frigateSnapshotBaseUrl?: string;
  /** Backoff while the database is unavailable. */
  retry?: { initialMs?: number; maxMs?: number };
  /** How long `stop()` waits for held messages to be written before giving them back to the broker. */
  drainTimeoutMs?: number;
  /**
   * Overrides the plausibility bounds read from `ingest_settings` (which are re-read every
   * `plausibilityRefreshMs`, default 60 s).
   */
  plausibility?: Partial<Plausibility>;
  plausibilityRefreshMs?: number;
  /** Called after each commit (benchmarks measure publish -> commit latency with it). */
  onCommit?: (entries: readonly BatchEntry[], result: BatchResult) => void;
}

export interface BatchSettings {
  maxRows: number;
  maxWaitMs: number;
  maxBuffered: number;
  /** Bytes held at most (raw payload plus a per-message allowance for what decoding builds). */
  maxBufferedBytes: number;
  /**
   * Batches in flight at once. With 2, the next batch is decoded, checked against the reference
   * tables and encoded while the previous one is written; the database work itself takes turns.
   */
  maxConcurrent: number;
  /** Waiting messages that start the next batch while one is being written (default maxRows / 2). */
  overlapRows?: number;
}

export const DEFAULT_BATCH: BatchSettings = {
  maxRows: 2000,
  maxWaitMs: 5,
  // Four batches: enough to keep two writers busy; more only grows the heap (README, Memory).
  maxBuffered: 8_000,
  maxBufferedBytes: 16 * 1024 * 1024,
  maxConcurrent: 2,
};

/**
 * What one held message costs besides its payload: decoded item, entry, closures (measured ~1.3 KiB
 * of V8 heap per held check-in in bench:ingest's drain).
 */
const PER_MESSAGE_BYTES = 1536;

export interface IngestStats {
  received: number;
  stored: number;
  duplicates: number;
  deadLettered: number;
  /** Refused messages seen again after their dead letter was stored. */
  deadLetterDuplicates: number;
  batches: number;
  /** Communities written, summed over batches (divided by `batches`: communities per batch). */
  batchCommunities: number;
  buffered: number;
  dbRetries: number;
  connected: boolean;
}

export interface RunningIngest {
  /** Stops reading, writes and acknowledges what is held, disconnects (the session stays). */
  stop(): Promise<void>;
  /**
   * Scale-down: leaves the shared group (unsubscribes), keeps writing whatever the broker still
   * delivers from this worker's session until it has been quiet for `quietMs`, then disconnects and
   * ends the session, so nothing stays queued for a worker that will not come back.
   */
  retire(opts?: { quietMs?: number; timeoutMs?: number }): Promise<{ drained: number }>;
  /**
   * In-process input (embedded broker): takes one message and resolves once it is committed or
   * dead-lettered — the caller acknowledges its publisher only then. Rejects while stopping.
   */
  accept(topic: string, payload: Buffer): Promise<void>;
  /** Prometheus text. */
  metrics(): string;
  stats(): IngestStats;
}

type Held = PendingMessage;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Starts the pipeline from a source (MQTT by default) to PostGIS: receive (QoS 1, persistent
 * session) -> decode (parse, validate, adapt) -> bounded batch -> one transaction per batch
 * (idempotent, enriched in SQL, derived state, change notices) -> acknowledge after commit (see
 * recovery.ts for a batch that does not commit). Resolves once the source is subscribed.
 */
export async function startIngest(deps: IngestDeps): Promise<RunningIngest> {
  const log = deps.log ?? (() => {});
  const clock = deps.clock ?? systemClock;
  const prefix = deps.topicPrefix ?? '';
  const settings = { ...DEFAULT_BATCH, ...deps.batch };
  const decodeOpts: DecodeOptions = {
    topicPrefix: prefix,
    ...(deps.maxPayloadBytes ? { maxPayloadBytes: deps.maxPayloadBytes } : {}),
    frigateSnapshotBaseUrl: deps.frigateSnapshotBaseUrl,
  };
  const metrics = createIngestMetrics();
  let seq = 0;
  let batches = 0;
  let communitiesWritten = 0;
  let stopping = false;
  let abandoned = false;

  await ensurePartitions(deps.db, clock.now(), log);

  let plausibility: Plausibility = { ...DEFAULT_PLAUSIBILITY, ...deps.plausibility };
  const refreshPlausibility = async () => {
    try {
      plausibility = { ...(await loadPlausibility(deps.db)), ...deps.plausibility };
    } catch (err) {
      log(`plausibility settings not read (keeping the previous ones): ${failureText(err)}`);
    }
  };
  await refreshPlausibility();
  const e = plausibility.extent;
  log(
    `plausible: device time from ${plausibility.maxAgeMs / 1000} s behind to ${plausibility.maxAheadMs / 1000} s ahead; extent ${e ? `[${e.join(', ')}] (${plausibility.extentSource})` : 'the globe'}`,
  );
  const plausibilityTimer = setInterval(
    () => void refreshPlausibility(),
    deps.plausibilityRefreshMs ?? 60_000,
  );
  plausibilityTimer.unref();

  // One transaction for the batch; the recovery policy acknowledges its messages once it returns.
  const commit = async (held: Held[]): Promise<void> => {
    const t0 = performance.now();
    const entries = held.map((h) => h.entry);
    const result = await writeBatch(deps.db, entries, {
      clock,
      nextSeq: () => seq++,
      maxAheadMs: plausibility.maxAheadMs,
      ...(deps.incidentRules ? { incidentRules: deps.incidentRules } : {}),
    });
    metrics.commitSeconds.observe((performance.now() - t0) / 1000);
    metrics.batchSize.observe(held.length);
    metrics.batchCommunities.observe(result.communities);
    communitiesWritten += result.communities;
    metrics.stored.inc(result.stored);
    metrics.duplicates.inc(result.duplicates);
    metrics.deadLetterDuplicates.inc(result.deadLetterDuplicates);
    metrics.incidents.inc(result.incidents);
    for (const [stage, n] of Object.entries(result.deadLettered)) metrics.deadLettered.inc(n, { stage });
    batches++;
    deps.onCommit?.(entries, result);
  };

  const write = writeWithRecovery<Held>({
    commit,
    storeDeadLetter: (entry, stage, reason) => insertDeadLetterAlone(deps.db, entry, stage, reason),
    ...(deps.retry ? { retry: deps.retry } : {}),
    givenUp: () => abandoned,
    log,
    on: {
      retry: () => metrics.dbRetries.inc(),
      writeError: (kind) => metrics.writeErrors.inc(1, { kind }),
      split: () => metrics.batchSplits.inc(),
      deadLettered: (stage) => metrics.deadLettered.inc(1, { stage }),
      dropped: () => metrics.dropped.inc(),
    },
  });

  // Never throws: decodeMessage already turns any failure into a refusal, and this catches even a
  // failure around it, so every message becomes a row or a dead letter and is acknowledged.
  const decodeEntry = (topic: string, payload: Uint8Array): BatchEntry => {
    const receivedAt = clock.now();
    let decoded: Decoded;
    try {
      decoded = decodeMessage(topic, payload, decodeOpts);
      if (decoded.ok) {
        const why = implausibleItem(decoded.item, receivedAt, plausibility);
        if (why) decoded = { ok: false, stage: 'plausibility', reason: why };
      }
    } catch (err) {
      decoded = { ok: false, stage: 'internal', reason: `decoding failed (${failureText(err)})` };
    }
    return { decoded, topic, payload, receivedAt };
  };

  const batcher = createBatcher<Held>({
    ...settings,
    overlapRows: settings.overlapRows ?? Math.ceil(settings.maxRows / 2),
    sizeOf: (h) => h.entry.payload.byteLength + PER_MESSAGE_BYTES,
    groupOf: (h) => h.group ?? '',
    write,
  });

  let lastReceived = 0;
  const sink: SourceSink = {
    log,
    deliver(msg) {
      // After stop() began, messages are given back: the broker keeps them for the session.
      if (stopping) {
        msg.reject('ingest is stopping');
        return undefined;
      }
      metrics.received.inc();
      lastReceived = Date.now();
      const held: Held = {
        entry: decodeEntry(msg.topic, msg.payload),
        ack: msg.ack,
        reject: msg.reject,
        ...(msg.group !== undefined ? { group: msg.group } : {}),
      };
      if (batcher.offer(held)) return undefined;
      return (async () => {
        while (!batcher.offer(held)) await batcher.room();
      })();
    },
  };

  // The embedded broker's path (`accept`) is always open; a broker source is added when configured.
  const inProcess = inProcessSource();
  await inProcess.start(sink);
  const clientId = deps.clientId ?? 'wardmap-ingest';
  const source: IngestSource | undefined =
    deps.source ??
    (deps.mqttUrl
      ? mqttSource({
          url: deps.mqttUrl,
          clientId,
          username: deps.username,
          password: deps.password,
          topicPrefix: prefix,
          shareGroup: deps.share === true ? 'wardmap' : deps.share || undefined,
        })
      : undefined);
  await source?.start(sink);

  const bufferGauge = new Gauge(
    'wardmap_ingest_buffer_depth',
    'Messages held (waiting or being written)',
    batcher.depth,
  );
  const bytesGauge = new Gauge(
    'wardmap_ingest_buffer_bytes',
    'Bytes held (payloads plus a per-message allowance)',
    batcher.bytes,
  );
  const connectedGauge = new Gauge('wardmap_ingest_mqtt_connected', '1 when connected to the broker', () =>
    source?.connected() === false ? 0 : 1,
  );

  const running: RunningIngest = {
    async stop() {
      if (stopping) return;
      stopping = true;
      clearInterval(plausibilityTimer);
      const drained = await Promise.race([
        batcher.drain().then(() => true),
        sleep(deps.drainTimeoutMs ?? 15_000).then(() => false),
      ]);
      if (!drained) {
        abandoned = true;
        log(`stop: ${batcher.depth()} messages not written; the broker will redeliver them`);
      }
      await source?.close();
    },
    async retire({ quietMs = 1000, timeoutMs = 60_000 } = {}) {
      if (!source) throw new Error('retire: this ingest has no broker session');
      const before = metrics.received.total();
      await source.leave();
      log(`retiring ${source.name}: left the group; draining what the broker still holds for this worker`);
      lastReceived = Date.now();
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline && (Date.now() - lastReceived < quietMs || batcher.depth() > 0)) {
        await sleep(Math.min(100, quietMs));
      }
      await running.stop();
      await source.forget?.();
      const drained = metrics.received.total() - before;
      log(`retired ${source.name}: session ended after ${drained} more messages`);
      return { drained };
    },
    accept(topic, payload) {
      if (stopping) return Promise.reject(new Error('ingest is stopping'));
      return inProcess.accept(topic, payload);
    },
    metrics: () => metrics.render([bufferGauge, bytesGauge, connectedGauge]),
    stats: () => ({
      received: metrics.received.total(),
      stored: metrics.stored.total(),
      duplicates: metrics.duplicates.total(),
      deadLettered: metrics.deadLettered.total(),
      deadLetterDuplicates: metrics.deadLetterDuplicates.total(),
      batches,
      batchCommunities: communitiesWritten,
      buffered: batcher.depth(),
      dbRetries: metrics.dbRetries.total(),
      connected: source ? source.connected() : true,
    }),
  };
  return running;
}

/** Monthly check-in partitions around now; a race with another worker is harmless. */
async function ensurePartitions(db: Db, now: Date, log: (line: string) => void): Promise<void> {
  const from = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - 1, 1));
  const to = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 2, 1));
  try {
    await db.query('SELECT wardmap_ensure_checkin_partitions($1::date, $2::date)', [
      from.toISOString().slice(0, 10),
      to.toISOString().slice(0, 10),
    ]);
  } catch (err) {
    log(`check-in partitions not ensured: ${(err as Error).message}`);
  }
}
