import { once } from 'node:events';
import { createServer, type Server } from 'node:net';
import { Aedes } from 'aedes';

export interface EmbeddedBroker {
  /** The port the broker listens on (useful when started on port 0). */
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

export interface BrokerOptions {
  port: number;
  host?: string;
  /** Called for each CONNECT; resolve true to accept. Absent: everyone is accepted. */
  authenticate?: (username: string | undefined, password: Buffer | undefined) => Promise<boolean>;
}

/** Starts an embedded Aedes MQTT 3.1.1 broker (in-memory sessions) on `port`. */
export async function startEmbeddedBroker(opts: BrokerOptions): Promise<EmbeddedBroker> {
  const aedes = await Aedes.createBroker();
  if (opts.authenticate) {
    const auth = opts.authenticate;
    aedes.authenticate = (_client, username, password, done) => {
      auth(username, password).then(
        (ok) => done(null, ok),
        () => done(null, false),
      );
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
