// The RabbitMQ ingest source: devices keep publishing MQTT (QoS 1) to any node of a RabbitMQ
// cluster; the MQTT plugin publishes each message to `amq.topic` with the topic as routing key
// (`/` -> `.`). From there ingest's topology spreads the messages over N quorum queues (replicated
// on a majority of nodes), and every ingest worker consumes all N over AMQP: prefetch bounds what a
// worker holds to about two batches, a message is acknowledged only after its batch commits, and a
// worker that dies leaves its unacknowledged messages to the others (RabbitMQ requeues them when
// the connection drops). A redelivered message that was in fact committed is a duplicate the
// writer's message-id claim drops.
//
// Spreading by community. A batch should hold few communities: each community it writes to is a
// write turn that other batches of that community wait for (write/shards.ts). MQTT 3.1.1 (what the
// 3.10 plugin speaks) carries no headers, and the classic topics (`wardmap/checkin/<personId>`)
// name the device, not its community. So a device that knows its community publishes the
// community form of its topic, `wardmap/community/<communityId>/checkin/<personId>` (topics.ts),
// and the topology routes it by that level:
//
//   amq.topic --(ingest's subscriptions)--> <name>.route   topic exchange, one binding per community
//       `wardmap.community.<c>.#` -> the queue `communityQueue(c, N)` (a jump consistent hash)
//   <name>.route --(anything no community binding takes)--> <name>.hash   its alternate exchange:
//       x-consistent-hash on the routing key, i.e. by device (classic topics, OwnTracks, Frigate,
//       communities not bound yet)
//
// Every message reaches exactly one queue. The community bindings come from the reference data
// (`communities` option), are refreshed while running, and a community always maps to the same
// queue for a given N, so its messages stay in one queue, in order. Each delivery carries its queue
// as the message's group, and ingest cuts a backlog into batches by group (batcher.ts).
import amqp, { type Channel, type ChannelModel, type ConsumeMessage } from 'amqplib';
import { COMMUNITY_LEVEL, SUBSCRIPTIONS } from '../topics.ts';
import type { IngestSource } from './source.ts';

export interface AmqpSourceOptions {
  /** AMQP URLs of the cluster's nodes; the source connects to the first that answers, in turn. */
  urls: string[];
  /** Number of quorum queues behind the consistent-hash exchange (fixed per deployment). */
  queues?: number;
  /** Names: `<name>.route` and `<name>.hash` (exchanges), `<name>.q<i>` (queues). */
  name?: string;
  /**
   * The communities to bind to their queues (from the reference data). Read at every connect and
   * every `communityRefreshMs`; a community not (yet) bound is spread by device, nothing is lost.
   */
  communities?: () => Promise<readonly string[]>;
  /** How often the community list is read again (default 60 s). */
  communityRefreshMs?: number;
  /** The MQTT topic prefix (as `WARDMAP_TOPIC_PREFIX`). */
  topicPrefix?: string;
  /** Messages a worker holds unacknowledged in all (spread over its N consumers): ~2 batches. */
  prefetch?: number;
  /**
   * Takes one message; resolves once it is committed (or dead-lettered) — then it is acknowledged.
   * A rejection leaves it unacknowledged (redelivered to a worker after this one closes).
   */
  onMessage(topic: string, payload: Buffer, redelivered: boolean, queue: string): Promise<void>;
  log?: (line: string) => void;
  /** Delay between reconnection attempts. */
  reconnectMs?: number;
}

export interface AmqpSource {
  connected(): boolean;
  /** Cancels the consumers (no new deliveries; what is held can still be acknowledged). */
  cancel(): Promise<void>;
  /** Messages handed to `onMessage` and acknowledged so far. */
  stats(): {
    received: number;
    acked: number;
    redelivered: number;
    reconnects: number;
    /** Communities bound to their queues on the current connection. */
    communities: number;
  };
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
 * The levels of a device topic after `wardmap` (`checkin <id>`, `camera <id> alert`,
 * `river <id> report`) from routing-key words, an id's own dots rejoined; null if not one.
 */
function deviceLevels(words: readonly string[]): string[] | null {
  const [kind] = words;
  const last = words[words.length - 1];
  if (kind === 'checkin' && words.length >= 2) return [kind, words.slice(1).join('.')];
  if (
    words.length >= 3 &&
    ((kind === 'camera' && last === 'alert') || (kind === 'river' && last === 'report'))
  ) {
    return [kind, words.slice(1, -1).join('.'), last as string];
  }
  return null;
}

/**
 * AMQP routing key -> MQTT topic. The plugin's mapping is one-way (a `.` inside a level becomes a
 * level separator too), so the topic is rebuilt from ingest's known layouts: the levels around an
 * id are fixed, and whatever lies between them is the id, dots included
 * (`wardmap.checkin.a.b` -> `wardmap/checkin/a.b`); in the community form the community is what
 * lies between `community` and the first word that starts a device topic. Anything else maps
 * `.` -> `/` (an unknown topic is a dead letter either way). The prefix must be given as configured.
 */
export function routingKeyToMqttTopic(key: string, prefix = ''): string {
  const p = mqttTopicToRoutingKey(prefix);
  if (!key.startsWith(p)) return key.replace(/\./g, '/');
  const parts = key.slice(p.length).split('.');
  let levels = parts;
  if (parts[0] === 'wardmap' && parts[1] === COMMUNITY_LEVEL) {
    for (let k = 3; k < parts.length; k++) {
      const device = deviceLevels(parts.slice(k));
      if (device) {
        levels = ['wardmap', COMMUNITY_LEVEL, parts.slice(2, k).join('.'), ...device];
        break;
      }
    }
  } else if (parts[0] === 'wardmap') {
    const device = deviceLevels(parts.slice(1));
    if (device) levels = ['wardmap', ...device];
  }
  return prefix + levels.join('/');
}

/**
 * The queue (0..n-1) of a community: a jump consistent hash (Lamping & Veach) of a 32-bit FNV-1a
 * hash of its id. Stable for a given n, and going from n to n+1 queues moves only about 1/(n+1) of
 * the communities.
 */
export function communityQueue(community: string, n: number): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < community.length; i++) {
    h ^= community.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  // A 64-bit linear congruential step as in the paper, on BigInt (ids are short; this runs at
  // bind time, not per message).
  let key = BigInt(h) | (BigInt(h ^ 0x5bd1e995) << 32n);
  let b = -1;
  let j = 0;
  while (j < n) {
    b = j;
    key = (key * 2862933555777941757n + 1n) & 0xffffffffffffffffn;
    j = Math.floor(((b + 1) * 2 ** 31) / Number((key >> 33n) + 1n));
  }
  return b;
}

/** An MQTT subscription filter as an AMQP topic binding (`+` -> `*`, `#` stays). */
export function mqttFilterToBinding(filter: string): string {
  return filter
    .split('/')
    .map((level) => (level === '+' ? '*' : level))
    .join('.');
}

export interface AmqpTopology {
  /** `<name>.q0` .. `<name>.q<n-1>`. */
  queues: string[];
  /** The topic exchange ingest's subscriptions are bound to (community bindings live here). */
  route: string;
}

/**
 * Declares the topology (idempotent; every worker does it at start): `<name>.hash`, an
 * x-consistent-hash exchange over N durable quorum queues (equal weights); `<name>.route`, a topic
 * exchange bound to `amq.topic` with ingest's subscriptions, whose alternate exchange is
 * `<name>.hash`. Earlier versions bound `<name>.hash` to `amq.topic` directly: those bindings are
 * removed (they would deliver a second copy).
 */
export async function declareAmqpTopology(
  ch: Channel,
  opts: { queues?: number; name?: string; topicPrefix?: string },
): Promise<AmqpTopology> {
  const name = opts.name ?? DEFAULT_AMQP_NAME;
  const n = opts.queues ?? DEFAULT_AMQP_QUEUES;
  const hash = `${name}.hash`;
  const route = `${name}.route`;
  await ch.assertExchange(hash, 'x-consistent-hash', { durable: true });
  await ch.assertExchange(route, 'topic', { durable: true, alternateExchange: hash });
  for (const f of SUBSCRIPTIONS) {
    const binding = mqttFilterToBinding(`${opts.topicPrefix ?? ''}${f}`);
    await ch.bindExchange(route, 'amq.topic', binding);
    await ch.unbindExchange(hash, 'amq.topic', binding);
  }
  const queues: string[] = [];
  for (let i = 0; i < n; i++) {
    const q = `${name}.q${i}`;
    await ch.assertQueue(q, { durable: true, arguments: { 'x-queue-type': 'quorum' } });
    await ch.bindQueue(q, hash, '1'); // the binding key of a consistent-hash exchange is a weight
    queues.push(q);
  }
  return { queues, route };
}

/** The binding key of a community's messages (`wardmap.community.<c>.#`, after the prefix). */
export function communityBinding(community: string, topicPrefix = ''): string {
  return mqttFilterToBinding(`${topicPrefix}wardmap/${COMMUNITY_LEVEL}/${community}/#`);
}

/**
 * Binds each community to its queue on the route exchange. With `exclusive`, also removes its
 * binding from every other queue (after the number of queues changed); unbinding what is not bound
 * is a no-op. Returns the communities bound. Calls are pipelined in chunks. (A community id that
 * is another's followed by `.` — `c` and `c.x` — also takes the other's messages, since `.` splits
 * binding words: such a message reaches two queues and the message-id claim stores it once.)
 */
export async function bindCommunities(
  ch: Channel,
  topology: AmqpTopology,
  communities: readonly string[],
  opts: { topicPrefix?: string; exclusive?: boolean } = {},
): Promise<string[]> {
  const n = topology.queues.length;
  const ops: (() => Promise<unknown>)[] = [];
  for (const c of communities) {
    const key = communityBinding(c, opts.topicPrefix);
    const own = communityQueue(c, n);
    ops.push(() => ch.bindQueue(topology.queues[own] as string, topology.route, key));
    if (opts.exclusive) {
      topology.queues.forEach((q, i) => {
        if (i !== own) ops.push(() => ch.unbindQueue(q, topology.route, key));
      });
    }
  }
  for (let i = 0; i < ops.length; i += 500) await Promise.all(ops.slice(i, i + 500).map((op) => op()));
  return [...communities];
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
  const queueOfTag = new Map<string, string>();
  const inflight = new Set<Promise<void>>();
  const counts = { received: 0, acked: 0, redelivered: 0, reconnects: 0 };
  // Communities bound on the current connection; the first binding of this process also removes a
  // community's bindings to other queues (the number of queues may have changed since).
  const bound = new Set<string>();
  let exclusiveDone = false;

  const bindNew = async (channel: Channel, topology: AmqpTopology): Promise<void> => {
    if (!opts.communities) return;
    let all: readonly string[];
    try {
      all = await opts.communities();
    } catch (err) {
      log(
        `amqp: community list not read (${(err as Error).message}); unbound communities are spread by device`,
      );
      return;
    }
    const fresh = all.filter((c) => !bound.has(c));
    if (fresh.length === 0) return;
    const exclusive = !exclusiveDone;
    for (const c of await bindCommunities(channel, topology, fresh, {
      topicPrefix: opts.topicPrefix ?? '',
      exclusive,
    })) {
      bound.add(c);
    }
    exclusiveDone = true;
    log(`amqp: ${fresh.length} communities bound to their queues (${bound.size} in all)`);
  };

  let current: AmqpTopology | undefined;
  const refresh = setInterval(() => {
    const channel = ch;
    if (channel && current && !closing) {
      void bindNew(channel, current).catch((err) =>
        log(`amqp: community bindings not refreshed (${(err as Error).message})`),
      );
    }
  }, opts.communityRefreshMs ?? 60_000);
  refresh.unref();

  const connectOnce = async (): Promise<void> => {
    const url = opts.urls[urlIndex % opts.urls.length] as string;
    urlIndex++;
    const c = await amqp.connect(url, { timeout: 5_000 });
    try {
      const channel = await c.createChannel();
      const topology = await declareAmqpTopology(channel, opts);
      const queues = topology.queues;
      // Bindings are durable, but the topology may be new (or the queues fewer): bind every community again.
      bound.clear();
      await bindNew(channel, topology);
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
          current = undefined;
          consumerTags.length = 0;
          queueOfTag.clear();
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
        queueOfTag.set(consumerTag, q);
      }
      current = topology;
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
    const queue = queueOfTag.get(msg.fields.consumerTag) ?? '';
    const p = opts
      .onMessage(topic, msg.content, msg.fields.redelivered, queue)
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
  if (!conn) {
    clearInterval(refresh);
    throw new Error(`amqp: no node answers (${(lastErr as Error)?.message ?? 'no URLs'})`);
  }

  return {
    connected: () => !!conn,
    stats: () => ({ ...counts, communities: bound.size }),
    async cancel() {
      const channel = ch;
      for (const tag of consumerTags.splice(0)) await channel?.cancel(tag).catch(() => {});
    },
    async close(timeoutMs = 15_000) {
      closing = true;
      clearInterval(refresh);
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
        onMessage: (topic, payload, _redelivered, queue) =>
          new Promise<void>((resolve, reject) => {
            void sink.deliver({
              topic,
              payload,
              group: queue,
              ack: resolve,
              reject: (why) => reject(new Error(why)),
            });
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
