import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';
import type { Publication } from './publication.ts';

/** How simulated devices log in: all through one connection, or each with its own MQTT identity. */
export type IdentityMode = 'shared' | 'per-actor';

export interface PublisherOptions {
  mqttUrl: string;
  /** Credentials of the shared connection (e.g. `admin` and the admin token). */
  username?: string;
  password?: string;
  identities?: IdentityMode;
  /** Password of every person and camera identity in per-actor mode (the demo's `wardmap-demo`). */
  actorPassword?: string;
  topicPrefix?: string;
  clientIdPrefix: string;
  log: (line: string) => void;
}

export interface Publisher {
  /** Publishes at QoS 1; resolves on PUBACK. */
  publish(p: Publication): Promise<void>;
  /** Resolves once the shared connection is up (rejects after `timeoutMs`). */
  ready(timeoutMs: number): Promise<void>;
  readonly connections: number;
  close(): Promise<void>;
}

function connect(url: string, options: IClientOptions): MqttClient {
  // Clean sessions: a simulated device restarting is a new device; QoS 1 still retries until PUBACK.
  return mqtt.connect(url, { clean: true, reconnectPeriod: 1000, connectTimeout: 10_000, ...options });
}

/**
 * MQTT side of the simulator. In per-actor mode each person and camera connects lazily as itself
 * (so the broker's ACLs apply: a patroller only on its own topics; the Frigate NVR as one of its
 * cameras); messages without an owner (`identity: null`) go through the shared connection.
 */
export function createPublisher(opts: PublisherOptions): Publisher {
  const prefix = opts.topicPrefix ?? '';
  const perActorMode = opts.identities === 'per-actor';
  let warned = false;
  const onError = (who: string) => (err: Error) => {
    if (!warned) opts.log(`mqtt ${who}: ${err.message}`);
    warned = true;
  };
  let shared: MqttClient | undefined;
  const sharedClient = (): MqttClient => {
    if (!shared) {
      shared = connect(opts.mqttUrl, {
        clientId: `${opts.clientIdPrefix}-shared`,
        ...(opts.username !== undefined ? { username: opts.username } : {}),
        ...(opts.password !== undefined ? { password: opts.password } : {}),
      });
      shared.on('error', onError('shared connection'));
    }
    return shared;
  };
  // Per-actor mode needs no shared account unless a message has no owner.
  if (!perActorMode) sharedClient();
  const perActor = new Map<string, MqttClient>();
  const inflight = new WeakMap<MqttClient, Set<Promise<void>>>();

  const clientFor = (p: Publication): MqttClient => {
    const identity = p.identity;
    if (!perActorMode || identity === null) return sharedClient();
    let client = perActor.get(identity);
    if (!client) {
      // An OwnTracks phone registers its last will at CONNECT: `lwt` with the time it connected.
      const device = p.kind === 'owntracks' ? /^(owntracks\/[^/]+\/[^/]+)/.exec(p.topic)?.[1] : undefined;
      const will = device
        ? {
            topic: prefix + device,
            payload: Buffer.from(JSON.stringify({ _type: 'lwt', tst: Math.floor(p.at / 1000) })),
            qos: 1 as const,
            retain: false,
          }
        : undefined;
      client = connect(opts.mqttUrl, {
        // The broker binds a device's client id to its user name: it must start with it.
        clientId: `${identity}-${opts.clientIdPrefix}`,
        username: identity,
        password: opts.actorPassword ?? 'wardmap-demo',
        ...(will ? { will } : {}),
      });
      client.on('error', onError(identity));
      perActor.set(identity, client);
    }
    return client;
  };

  return {
    publish(p) {
      if (p.lastWill && perActorMode && p.identity !== null) {
        // Cut the phone's connection without DISCONNECT: the broker publishes its will. It
        // reconnects (with a new will) when it next has something to send.
        // Its messages already in flight are acknowledged first, as a phone's would have been.
        const client = perActor.get(p.identity);
        perActor.delete(p.identity);
        if (!client) return Promise.resolve();
        return Promise.allSettled([...(inflight.get(client) ?? [])]).then(() => {
          client.end(true);
        });
      }
      const client = clientFor(p);
      const sent = new Promise<void>((resolve, reject) => {
        client.publish(prefix + p.topic, p.payload, { qos: 1 }, (err) => (err ? reject(err) : resolve()));
      });
      const mine = inflight.get(client) ?? new Set<Promise<void>>();
      inflight.set(client, mine);
      mine.add(sent);
      void sent.then(
        () => mine.delete(sent),
        () => mine.delete(sent),
      );
      return sent;
    },
    ready(timeoutMs) {
      // Per-actor clients connect lazily, on their first message.
      const client = shared;
      if (!client || client.connected) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          client.off('connect', done);
          reject(new Error(`simulator could not connect to ${opts.mqttUrl} within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        client.once('connect', done);
      });
    },
    get connections() {
      return (shared ? 1 : 0) + perActor.size;
    },
    async close() {
      const all = [...(shared ? [shared] : []), ...perActor.values()];
      // Give in-flight QoS 1 messages a moment to be acknowledged, then drop whatever is left.
      const closeOne = (c: MqttClient) =>
        Promise.race([
          c.endAsync().catch(() => {}),
          new Promise<void>((r) => setTimeout(r, 3000).unref()),
        ]).then(() => c.endAsync(true).catch(() => {}));
      await Promise.all(all.map(closeOne));
    },
  };
}
