import { once } from 'node:events';
import { createServer, type Server, type Socket } from 'node:net';
import { Aedes, type Client } from 'aedes';

export interface EmbeddedBroker {
  /** The port the broker listens on (useful when started on port 0). */
  readonly port: number;
  readonly url: string;
  /** Closes every live connection logged in as `username` (deactivated, or its password changed). */
  disconnect(username: string): number;
  close(): Promise<void>;
}

/** Where a CONNECT comes from, for client-id binding and throttling. */
export interface ConnectMeta {
  clientId: string;
  address: string;
}

/** Authentication plus topic ACL. `authenticate` resolves to the connection's identity (truthy) or refuses. */
export interface BrokerAuth {
  authenticate(
    username: string | undefined,
    password: Buffer | undefined,
    meta?: ConnectMeta,
  ): Promise<unknown>;
  /** Absent: every authenticated client may publish anywhere. A string is the reason for a refusal. */
  authorizePublish?(identity: unknown, topic: string, payload: Uint8Array): boolean | string;
  /** Absent: every authenticated client may subscribe to anything. */
  authorizeSubscribe?(identity: unknown, filter: string): boolean;
  /** The user name an identity logged in with (for `disconnect`). */
  usernameOf?(identity: unknown): string | undefined;
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
  /** Largest MQTT packet accepted, bytes (default 256 KiB, like deploy/mosquitto's max_packet_size). */
  maxPacketBytes?: number;
  /** Told about each refused publish or oversize packet (for logs). */
  onRefused?: (reason: string) => void;
}

/** Default MQTT packet limit: the same as `max_packet_size` in deploy/mosquitto/mosquitto.conf. */
export const DEFAULT_MAX_PACKET_BYTES = 256 * 1024;

/**
 * Drops a connection as soon as a packet header announces more than `max` bytes, before the
 * parser buffers the body: mqtt-packet would otherwise hold a 50 MB publish in memory whole.
 * Watches the bytes Aedes reads (a 'data' listener next to Aedes' 'readable' one sees each chunk
 * once, when read) and tracks MQTT framing: type byte, remaining length (varint), body.
 */
function guardPacketSize(socket: Socket, max: number, refused: (reason: string) => void): void {
  let phase: 'type' | 'length' | 'body' = 'type';
  let length = 0;
  let multiplier = 1;
  let left = 0;
  socket.on('data', (chunk: Buffer) => {
    let i = 0;
    while (i < chunk.length) {
      if (phase === 'type') {
        i++;
        phase = 'length';
        length = 0;
        multiplier = 1;
      } else if (phase === 'length') {
        const b = chunk[i++]!;
        length += (b & 0x7f) * multiplier;
        multiplier *= 128;
        if (length > max || multiplier > 128 ** 4) {
          refused(`packet of ${length} bytes or more is over the ${max}-byte limit`);
          socket.destroy();
          return;
        }
        if ((b & 0x80) === 0) {
          left = length;
          phase = left > 0 ? 'body' : 'type';
        }
      } else {
        const take = Math.min(left, chunk.length - i);
        i += take;
        left -= take;
        if (left === 0) phase = 'type';
      }
    }
  });
}

/** Starts an embedded Aedes MQTT 3.1.1 broker (in-memory sessions) on `port`, with optional auth, ACL and a durability hook. */
export async function startEmbeddedBroker(opts: BrokerOptions): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  const identities = new WeakMap<Client, unknown>();
  const refused = opts.onRefused ?? (() => {});
  if (opts.authenticate) {
    const auth = opts.authenticate;
    aedes.authenticate = (client, username, password, done) => {
      const address = (client.conn as Partial<Socket>)?.remoteAddress ?? 'unknown';
      auth(username, password, { clientId: client.id, address }).then(
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
      if (client && canPublish) {
        const verdict = canPublish(identities.get(client), packet.topic, packet.payload as Uint8Array);
        if (verdict !== true) {
          const reason =
            typeof verdict === 'string' ? verdict : `not authorised to publish on ${packet.topic}`;
          refused(reason);
          done(new Error(reason));
          return;
        }
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
  const maxPacket = opts.maxPacketBytes ?? DEFAULT_MAX_PACKET_BYTES;
  const server: Server = createServer((socket) => {
    aedes.handle(socket);
    guardPacketSize(socket, maxPacket, refused);
  });
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
  const usernameOf = opts.usernameOf ?? (() => undefined);
  return {
    port,
    url: `mqtt://${host}:${port}`,
    disconnect(username) {
      let n = 0;
      const clients = (aedes as unknown as { clients: Record<string, Client> }).clients;
      for (const client of Object.values(clients)) {
        if (usernameOf(identities.get(client)) === username) {
          client.close();
          n++;
        }
      }
      return n;
    },
    async close() {
      await new Promise<void>((r) => aedes.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
