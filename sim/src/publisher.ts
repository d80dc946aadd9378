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
 * (so the broker's ACLs apply: a patroller only on its own topics); messages no single device owns
 * (the Frigate NVR's) go through the shared connection.
 */
export function createPublisher(opts: PublisherOptions): Publisher {
  const prefix = opts.topicPrefix ?? '';
  const shared = connect(opts.mqttUrl, {
    clientId: `${opts.clientIdPrefix}-shared`,
    ...(opts.username !== undefined ? { username: opts.username } : {}),
    ...(opts.password !== undefined ? { password: opts.password } : {}),
  });
  const perActor = new Map<string, MqttClient>();
  let warned = false;
  const onError = (who: string) => (err: Error) => {
    if (!warned) opts.log(`sim: mqtt ${who}: ${err.message}`);
    warned = true;
  };
  shared.on('error', onError('shared connection'));

  const clientFor = (identity: string | null): MqttClient => {
    if (opts.identities !== 'per-actor' || identity === null) return shared;
    let client = perActor.get(identity);
    if (!client) {
      client = connect(opts.mqttUrl, {
        clientId: `${opts.clientIdPrefix}-${identity}`,
        username: identity,
        password: opts.actorPassword ?? 'wardmap-demo',
      });
      client.on('error', onError(identity));
      perActor.set(identity, client);
    }
    return client;
  };

  return {
    publish(p) {
      const client = clientFor(p.identity);
      return new Promise((resolve, reject) => {
        client.publish(prefix + p.topic, p.payload, { qos: 1 }, (err) => (err ? reject(err) : resolve()));
      });
    },
    ready(timeoutMs) {
      if (shared.connected) return Promise.resolve();
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          shared.off('connect', done);
          reject(new Error(`sim: could not connect to ${opts.mqttUrl} within ${timeoutMs} ms`));
        }, timeoutMs);
        const done = () => {
          clearTimeout(timer);
          resolve();
        };
        shared.once('connect', done);
      });
    },
    get connections() {
      return 1 + perActor.size;
    },
    async close() {
      const all = [shared, ...perActor.values()];
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
