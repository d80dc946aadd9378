import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { type Clock, systemClock } from '@wardmap/geo';
import mqtt, { type MqttClient } from 'mqtt';
import { createLoadMessages, type LoadMix } from './load-messages.ts';
import type { PublicationKind } from './publication.ts';

export interface LoadOptions {
  mqttUrl: string;
  username?: string;
  password?: string;
  topicPrefix?: string;
  /** Messages per second to publish. */
  rate: number;
  /** Seconds to publish for. */
  duration: number;
  /** Simulated devices (each bound to a person id). Default 10 000. */
  patrollers?: number;
  /** Use `load-000001`... ids instead of cycling through the demo's people (ingest dead-letters those). */
  syntheticPeople?: boolean;
  /** Weights of message kinds; default only native check-ins. */
  mix?: LoadMix;
  /** Parallel MQTT connections; default one per 10k msg/s. */
  connections?: number;
  /** Unacknowledged messages allowed per connection before publishing waits. Default 5000. */
  maxInflight?: number;
  /** Write one ndjson line per acknowledged message (`{"kind","topic","id"}`) to this file. */
  logFile?: string;
  /** Also return every acknowledged message id (for tests). */
  keepIds?: boolean;
  /** How long to wait for outstanding PUBACKs after the last publish. Default 30 s. */
  drainSeconds?: number;
  clock?: Clock;
  seed?: number;
  onProgress?: (p: LoadProgress) => void;
}

export interface LoadProgress {
  elapsedS: number;
  sent: number;
  acked: number;
  inflight: number;
  /** Acknowledged messages per second over the last progress interval. */
  rate: number;
}

export interface LoadResult {
  runTag: string;
  requestedRate: number;
  sent: number;
  acked: number;
  failed: number;
  /** Messages published but neither acknowledged nor failed when draining gave up. */
  unacked: number;
  /** Seconds from the first publish to the last PUBACK. */
  seconds: number;
  /** Acknowledged messages per second over `seconds`. */
  achievedRate: number;
  perKind: Partial<Record<PublicationKind, number>>;
  perTopic: Record<string, number>;
  messageIds?: string[];
  logFile?: string;
}

const TICK_MS = 10;

function connectAsync(url: string, options: mqtt.IClientOptions): Promise<MqttClient> {
  return new Promise((resolve, reject) => {
    const client = mqtt.connect(url, {
      clean: true,
      reconnectPeriod: 1000,
      connectTimeout: 10_000,
      ...options,
    });
    const fail = (err: Error) => {
      client.end(true);
      reject(err);
    };
    client.once('connect', () => {
      client.off('error', fail);
      resolve(client);
    });
    client.once('error', fail);
  });
}

/**
 * Publishes check-ins (or a mix) at a fixed rate for a duration, QoS 1, counting PUBACKs. Pacing is
 * by schedule rather than a timer per message: every tick publishes as many messages as the elapsed
 * time calls for (so a late tick catches up), bounded by an in-flight window per connection.
 */
export async function runLoad(opts: LoadOptions): Promise<LoadResult> {
  const clock = opts.clock ?? systemClock;
  const runTag = `${Date.now().toString(36)}${randomBytes(2).toString('hex')}`;
  const prefix = opts.topicPrefix ?? '';
  const patrollers = opts.patrollers ?? 10_000;
  if (!(opts.rate > 0) || !(opts.duration > 0)) throw new Error('load: rate and duration must be positive');
  const nextMessage = createLoadMessages({
    patrollers,
    runTag,
    ...(opts.seed !== undefined ? { seed: opts.seed } : {}),
    ...(opts.syntheticPeople ? { syntheticPeople: true } : {}),
    ...(opts.mix ? { mix: opts.mix } : {}),
  });
  const connections = Math.max(1, opts.connections ?? Math.ceil(opts.rate / 10_000));
  const maxInflight = opts.maxInflight ?? 5000;
  const clients = await Promise.all(
    Array.from({ length: connections }, (_, i) =>
      connectAsync(opts.mqttUrl, {
        clientId: `wardmap-load-${runTag}-${i}`,
        ...(opts.username !== undefined ? { username: opts.username } : {}),
        ...(opts.password !== undefined ? { password: opts.password } : {}),
      }),
    ),
  );
  const inflight = clients.map(() => 0);
  const log: WriteStream | undefined = opts.logFile ? createWriteStream(opts.logFile) : undefined;
  const ids: string[] = [];
  const perKind: Partial<Record<PublicationKind, number>> = {};
  const perTopic: Record<string, number> = {};
  let sent = 0;
  let acked = 0;
  let failed = 0;
  let lastAckAt = 0;

  const total = Math.round(opts.rate * opts.duration);
  const startedAt = performance.now();
  let nextConn = 0;
  let lastProgress = { at: startedAt, acked: 0 };

  const publishOne = () => {
    // Round-robin over connections with room in their window.
    for (let tries = 0; tries < connections; tries++) {
      const c = nextConn;
      nextConn = (nextConn + 1) % connections;
      if ((inflight[c] as number) >= maxInflight) continue;
      const m = nextMessage(clock.now().getTime());
      const topic = prefix + m.topic;
      inflight[c] = (inflight[c] as number) + 1;
      sent += 1;
      (clients[c] as MqttClient).publish(topic, m.payload, { qos: 1 }, (err) => {
        inflight[c] = (inflight[c] as number) - 1;
        if (err) {
          failed += 1;
          return;
        }
        acked += 1;
        lastAckAt = performance.now();
        perKind[m.kind] = (perKind[m.kind] ?? 0) + 1;
        perTopic[m.topic] = (perTopic[m.topic] ?? 0) + 1;
        if (opts.keepIds) ids.push(m.messageId);
        log?.write(`${JSON.stringify({ kind: m.kind, topic: m.topic, id: m.messageId })}\n`);
      });
      return true;
    }
    return false;
  };

  const progress = () => {
    const now = performance.now();
    const rate = ((acked - lastProgress.acked) * 1000) / Math.max(1, now - lastProgress.at);
    lastProgress = { at: now, acked };
    opts.onProgress?.({
      elapsedS: Math.round((now - startedAt) / 100) / 10,
      sent,
      acked,
      inflight: inflight.reduce((a, b) => a + b, 0),
      rate: Math.round(rate),
    });
  };
  const progressTimer = setInterval(progress, 1000);

  try {
    await new Promise<void>((resolve) => {
      const tick = () => {
        const due = Math.min(total, Math.floor(((performance.now() - startedAt) / 1000) * opts.rate));
        // Publish what is due; yield to the event loop every 500 so PUBACKs are read meanwhile.
        let burst = 0;
        while (sent < due && burst < 500 && publishOne()) burst += 1;
        if (sent >= total) return resolve();
        setTimeout(tick, sent < due && burst >= 500 ? 0 : TICK_MS);
      };
      tick();
    });
    const drainUntil = performance.now() + (opts.drainSeconds ?? 30) * 1000;
    while (acked + failed < sent && performance.now() < drainUntil) {
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    clearInterval(progressTimer);
    progress();
    await Promise.all(clients.map((c) => c.endAsync(true).catch(() => {})));
    if (log) await new Promise<void>((r) => log.end(() => r()));
  }
  const seconds = Math.max(0.001, ((lastAckAt || performance.now()) - startedAt) / 1000);
  const result: LoadResult = {
    runTag,
    requestedRate: opts.rate,
    sent,
    acked,
    failed,
    unacked: sent - acked - failed,
    seconds: Math.round(seconds * 1000) / 1000,
    achievedRate: Math.round(acked / seconds),
    perKind,
    perTopic,
    ...(opts.keepIds ? { messageIds: ids } : {}),
    ...(opts.logFile ? { logFile: opts.logFile } : {}),
  };
  if (opts.logFile) {
    const { messageIds: _ids, ...summary } = result;
    await writeFile(`${opts.logFile}.summary.json`, `${JSON.stringify(summary, null, 2)}\n`);
  }
  return result;
}
