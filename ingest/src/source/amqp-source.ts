// The RabbitMQ ingest source: devices keep publishing MQTT (QoS 1) to any node of a RabbitMQ
// cluster; the MQTT plugin publishes each message to `amq.topic` with the topic as routing key
// (`/` -> `.`). From there a consistent-hash exchange spreads the messages over N
// quorum queues (replicated on a majority of nodes), and every ingest worker consumes all N over
// AMQP: prefetch bounds what a worker holds to about two batches, a message is acknowledged only
// after its batch commits, and a worker that dies leaves its unacknowledged messages to the
// others (RabbitMQ requeues them when the connection drops). A redelivered message that was in
// fact committed is a duplicate the writer's message-id claim drops.
//
// Hash key. The consistent-hash exchange can hash the routing key, one header or one property.
// MQTT 3.1.1 (what the 3.10 plugin speaks) carries no headers, and today's topics
// (`wardmap/checkin/<personId>`, `wardmap/camera/<id>/alert`, ...) do not name the community: a
// person's community is in the database. So the routing key (= the device) is the hash key: each
// device's messages stay in one queue, in order, and a queue holds a fixed set of devices. To
// group a batch by community, a topic would have to carry it (a contract change, see README).
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { SUBSCRIPTIONS } from '../topics.ts';
import type { IngestSource } from './source.ts';

export interface AmqpSourceOptions {
  /** AMQP URLs of the cluster's nodes; the source connects to the first that answers, in turn. */
  urls: string[];
  /** Number of quorum queues behind the consistent-hash exchange (fixed per deployment). */
  queues?: number;
  /** Names: `<name>.hash` (exchange) and `<name>.q<i>` (queues). */
  name?: string;
  /** The MQTT topic prefix (as `WARDMAP_TOPIC_PREFIX`). */
  topicPrefix?: string;
  /** Messages a worker holds unacknowledged in all (spread over its N consumers): ~2 batches. */
  prefetch?: number;
  /**
   * Takes one message; resolves once it is committed (or dead-lettered) — then it is acknowledged.
   * A rejection leaves it unacknowledged (redelivered to a worker after this one closes).
   */
  onMessage(topic: string, payload: Buffer, redelivered: boolean): Promise<void>;
  log?: (line: string) => void;
  /** Delay between reconnection attempts. */
  reconnectMs?: number;
}

export interface AmqpSource {
  connected(): boolean;
  /** Cancels the consumers (no new deliveries; what is held can still be acknowledged). */
  cancel(): Promise<void>;
  /** Messages handed to `onMessage` and acknowledged so far. */
  stats(): { received: number; acked: number; redelivered: number; reconnects: number };
  /**
   * Stops taking messages (cancels the consumers), waits up to `timeoutMs` for what is in flight to
   * commit and be acknowledged, then closes; whatever is still unacknowledged goes back to the queues.
   */
  close(timeoutMs?: number): Promise<void>;
}

export const DEFAULT_AMQP_QUEUES = 4;
export const DEFAULT_AMQP_NAME = 'wardmap.ingest';

/** MQTT topic -> AMQP routing key, as RabbitMQ's MQTT plugin (3.10 and later) maps it: `/` -> `.`. */
export function mqttTopicToRoutingKey(topic: string): string {
  return topic.replace(/\//g, '.');
}

/**
 * AMQP routing key -> MQTT topic. The plugin's mapping is one-way (a `.` inside a level becomes a
 * level separator too), so the topic is rebuilt from ingest's known layouts: the levels around an
 * id are fixed, and whatever lies between them is the id, dots included
 * (`wardmap.checkin.a.b` -> `wardmap/checkin/a.b`). Anything else maps `.` -> `/` (an unknown
 * topic is a dead letter either way). The prefix must be given as configured.
 */
export function routingKeyToMqttTopic(key: string, prefix = ''): string {
  const p = mqttTopicToRoutingKey(prefix);
  if (!key.startsWith(p)) return key.replace(/\./g, '/');
  const parts = key.slice(p.length).split('.');
  const [root, kind] = parts;
  const last = parts[parts.length - 1];
  let levels = parts;
  if (root === 'wardmap' && kind === 'checkin' && parts.length >= 3) {
    levels = [root, kind, parts.slice(2).join('.')];
  } else if (
    root === 'wardmap' &&
    parts.length >= 4 &&
    ((kind === 'camera' && last === 'alert') || (kind === 'river' && last === 'report'))
  ) {
    levels = [root, kind, parts.slice(2, -1).join('.'), last as string];
  }
  return prefix + levels.join('/');
}

/** An MQTT subscription filter as an AMQP topic binding (`+` -> `*`, `#` stays). */
export function mqttFilterToBinding(filter: string): string {
  return filter
    .split('/')
    .map((level) => (level === '+' ? '*' : level))
    .join('.');
}

/**
 * Declares the topology (idempotent; every worker does it at start): `<name>.hash`, an
 * x-consistent-hash exchange bound to `amq.topic` with ingest's subscriptions, and N durable
 * quorum queues bound to it with equal weight.
 */
export async function declareAmqpTopology(
  ch: Channel,
  opts: { queues?: number; name?: string; topicPrefix?: string },
): Promise<string[]> {
  const name = opts.name ?? DEFAULT_AMQP_NAME;
  const n = opts.queues ?? DEFAULT_AMQP_QUEUES;
  const exchange = `${name}.hash`;
  await ch.assertExchange(exchange, 'x-consistent-hash', { durable: true });
  for (const f of SUBSCRIPTIONS) {
    await ch.bindExchange(exchange, 'amq.topic', mqttFilterToBinding(`${opts.topicPrefix ?? ''}${f}`));
  }
  const queues: string[] = [];
  for (let i = 0; i < n; i++) {
    const q = `${name}.q${i}`;
    await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(q, exchange, '1'); // the binding key of a consistent-hash exchange is a weight
    queues.push(q);
  }
  return queues;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Connects, declares the topology and consumes every queue; reconnects (next URL) when the node goes. */
export async function startAmqpSource(opts: AmqpSourceOptions): Promise<AmqpSource> {
  const log = opts.log ?? (() => {});
  const n = opts.queues ?? DEFAULT_AMQP_QUEUES;
  const prefetchTotal = opts.prefetch ?? 4000;
  // Quorum queues do not support a channel-wide (global) prefetch: one per consumer, so the
  // worker's total stays at `prefetch`.
  const perConsumer = Math.max(1, Math.ceil(prefetchTotal / n));
  const reconnectMs = opts.reconnectMs ?? 500;
  let closing = false;
  let conn: ChannelModel | undefined;
  let ch: Channel | undefined;
  let urlIndex = 0;
  const consumerTags: string[] = [];
  const inflight = new Set<Promise<void>>();
  const counts = { received: 0, acked: 0, redelivered: 0, reconnects: 0 };

  const connectOnce = async (): Promise<void> => {
    const url = opts.urls[urlIndex % opts.urls.length] as string;
    urlIndex++;
    const c = await amqp.connect(url, { timeout: 5_000 });
    try {
      const channel = await c.createChannel();
      const queues = await declareAmqpTopology(channel, opts);
      await channel.prefetch(perConsumer, false);
      conn = c;
      ch = channel;
      c.on('error', (err) => log(`amqp: connection error (${(err as Error).message})`));
      channel.on('error', (err) => log(`amqp: channel error (${(err as Error).message})`));
      // A channel closed by the broker (not by us): start over on a new connection.
      channel.on('close', () => {
        if (!closing && ch === channel) void c.close().catch(() => {});
      });
      c.on('close', () => {
        if (conn === c) {
          conn = undefined;
          ch = undefined;
          consumerTags.length = 0;
        }
        if (!closing) {
          log('amqp: connection closed; unacknowledged messages go back to the queues; reconnecting');
          counts.reconnects++;
          void reconnect();
        }
      });
      for (const q of queues) {
        const { consumerTag } = await channel.consume(q, (msg) => handle(channel, msg), { noAck: false });
        consumerTags.push(consumerTag);
      }
      log(`amqp: consuming ${queues.length} quorum queues on ${redact(url)} (prefetch ${perConsumer} each)`);
    } catch (err) {
      await c.close().catch(() => {});
      throw err;
    }
  };

  const reconnect = async (): Promise<void> => {
    while (!closing) {
      try {
        await connectOnce();
        return;
      } catch (err) {
        log(`amqp: cannot connect (${(err as Error).message}); retrying`);
        await sleep(reconnectMs);
      }
    }
  };

  const handle = (channel: Channel, msg: ConsumeMessage | null): void => {
    if (!msg) return; // consumer cancelled by the broker (queue deleted); the close handler reconnects
    counts.received++;
    if (msg.fields.redelivered) counts.redelivered++;
    const topic = routingKeyToMqttTopic(msg.fields.routingKey, opts.topicPrefix);
    const p = opts
      .onMessage(topic, msg.content, msg.fields.redelivered)
      .then(
        () => {
          // Only on the channel it came from; if that one is gone, the message was requeued and
          // comes again (and the message-id claim drops the copy).
          if (ch === channel) {
            try {
              channel.ack(msg);
              counts.acked++;
            } catch {}
          }
        },
        () => {},
      )
      .finally(() => inflight.delete(p));
    inflight.add(p);
  };

  // The first connection must succeed against one of the URLs (each tried once in turn).
  let lastErr: unknown;
  for (let k = 0; k < opts.urls.length && !conn; k++) {
    try {
      await connectOnce();
    } catch (err) {
      lastErr = err;
    }
  }
  if (!conn) throw new Error(`amqp: no node answers (${(lastErr as Error)?.message ?? 'no URLs'})`);

  return {
    connected: () => !!conn,
    stats: () => ({ ...counts }),
    async cancel() {
      const channel = ch;
      for (const tag of consumerTags.splice(0)) await channel?.cancel(tag).catch(() => {});
    },
    async close(timeoutMs = 15_000) {
      closing = true;
      const channel = ch;
      for (const tag of consumerTags.splice(0)) await channel?.cancel(tag).catch(() => {});
      const deadline = Date.now() + timeoutMs;
      while (inflight.size > 0 && Date.now() < deadline) await Promise.race([...inflight, sleep(100)]);
      await conn?.close().catch(() => {});
    },
  };
}

function redact(url: string): string {
  return url.replace(/\/\/[^@/]*@/, '//');
}

/**
 * The AMQP consumer as ingest's `IngestSource` (startIngest({ source })): each message is delivered
 * to the pipeline and acknowledged to RabbitMQ when ingest acknowledges it (after commit). A message
 * ingest gives up (stopping) stays unacknowledged and is requeued when the connection closes.
 * `leave()` cancels the consumers; there is nothing to `forget` (RabbitMQ keeps nothing per worker).
 */
export function amqpSource(opts: Omit<AmqpSourceOptions, 'onMessage' | 'log'>): IngestSource {
  let source: AmqpSource | undefined;
  return {
    name: `amqp ${opts.name ?? DEFAULT_AMQP_NAME} (${opts.queues ?? DEFAULT_AMQP_QUEUES} quorum queues)`,
    async start(sink) {
      source = await startAmqpSource({
        ...opts,
        log: sink.log,
        // Backpressure is the prefetch: RabbitMQ sends no more than `prefetch` unacknowledged.
        onMessage: (topic, payload) =>
          new Promise<void>((resolve, reject) => {
            void sink.deliver({ topic, payload, ack: resolve, reject: (why) => reject(new Error(why)) });
          }),
      });
    },
    connected: () => source?.connected() ?? false,
    async leave() {
      await source?.cancel();
    },
    async close() {
      await source?.close(1_000);
    },
  };
}
