import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Aedes, type Client } from 'aedes';

export interface EmbeddedBroker {
  /** The port the broker listens on (useful when started on port 0). */
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/** Authentication plus topic ACL. `authenticate` resolves to the connection's identity (truthy) or refuses. */
export interface BrokerAuth {
  authenticate(username: string | undefined, password: Buffer | undefined): Promise<unknown>;
  /** Absent: every authenticated client may publish anywhere. */
  authorizePublish?(identity: unknown, topic: string): boolean;
  /** Absent: every authenticated client may subscribe to anything. */
  authorizeSubscribe?(identity: unknown, filter: string): boolean;
}

export interface BrokerOptions extends Partial<BrokerAuth> {
  port: number;
  host?: string;
  /**
   * Durability: called for every authorised PUBLISH before the broker acknowledges it (PUBACK) or
   * passes it on. Return a promise to hold both until the message is safe (committed by in-process
   * ingest); undefined lets it through at once. A rejection drops the publisher's connection
   * unacknowledged, so it publishes again.
   */
  beforeAck?(topic: string, payload: Buffer, qos: number): Promise<void> | undefined;
}

/** Starts an embedded Aedes MQTT 3.1.1 broker (in-memory sessions) on `port`, with optional auth, ACL and a durability hook. */
export async function startEmbeddedBroker(opts: BrokerOptions): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const identities = new WeakMap<Client, unknown>();
  if (opts.authenticate) {
    const auth = opts.authenticate;
    aedes.authenticate = (client, username, password, done) => {
      auth(username, password).then(
        (who) => {
          if (who) identities.set(client, who);
          done(null, !!who);
        },
        () => done(null, false),
      );
    };
  }
  const canPublish = opts.authorizePublish;
  const beforeAck = opts.beforeAck;
  if (canPublish || beforeAck) {
    aedes.authorizePublish = (client, packet, done) => {
      // Broker-originated messages (client null) are not checked.
      if (client && canPublish && !canPublish(identities.get(client), packet.topic)) {
        done(new Error(`not authorised to publish on ${packet.topic}`));
        return;
      }
      // Aedes sends the PUBACK right after this callback: holding it is what makes the ack durable.
      const payload = Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload);
      const held = beforeAck?.(packet.topic, payload, packet.qos);
      if (held) held.then(() => done(null), done);
      else done(null);
    };
  }
  const canSubscribe = opts.authorizeSubscribe;
  if (canSubscribe) {
    aedes.authorizeSubscribe = (client, sub, done) => {
      // null grants 0x80 (refused) for this filter without closing the connection.
      done(null, canSubscribe(identities.get(client), sub.topic) ? sub : null);
    };
  }
  const server: Server = createServer(aedes.handle);
  const host = opts.host ?? '127.0.0.1';
  server.listen(opts.port, host);
  try {
    await Promise.race([
      once(server, 'listening'),
      once(server, 'error').then(([err]) => {
        throw err;
      }),
    ]);
  } catch (err) {
    await new Promise<void>((r) => aedes.close(() => r()));
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(
        `WARDMAP_MQTT_PORT ${opts.port} is already in use: choose another port for the embedded broker`,
      );
    }
    throw err;
  }
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : opts.port;
  return {
    port,
    url: `mqtt://${host}:${port}`,
    async close() {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
