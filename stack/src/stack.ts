import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import { createApp, type Readiness } from '@wardmap/api';
import { type Db, openDatabase, seedDemoIfEmpty, verifyPassword } from '@wardmap/db';
import { type EmbeddedBroker, startEmbeddedBroker } from '@wardmap/ingest';
import type { StackConfig } from './config.ts';

export interface RunningStack {
  readonly httpPort: number;
  readonly mqttUrl: string;
  readonly db: Db;
  stop(): Promise<void>;
}

/**
 * Starts everything in one process: database (embedded PGlite unless DATABASE_URL), MQTT broker
 * (embedded Aedes unless MQTT_URL), and the HTTP API. Health answers 503 until all is ready.
 */
export async function startStack(
  config: StackConfig,
  log: (line: string) => void = (l) => console.log(l),
): Promise<RunningStack> {
  const readiness: Readiness = { ready: false };
  const opened: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    for (const close of opened.reverse())
      await close().catch((e) => log(`shutdown: ${(e as Error).message}`));
  };
  try {
    log(
      config.databaseUrl
        ? 'database: PostgreSQL + PostGIS'
        : `database: embedded PostGIS in ${config.dataDir}`,
    );
    const db = await openDatabase({
      databaseUrl: config.databaseUrl,
      dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite`,
      log,
    });
    opened.push(() => db.close());
    await seedDemoIfEmpty(db, { password: config.demoPassword, log });

    let broker: EmbeddedBroker | undefined;
    if (!config.mqttUrl) {
      const authenticate = async (username: string | undefined, password: Buffer | undefined) => {
        if (!username || !password) return false;
        if (username === 'admin') return !!config.adminToken && password.toString() === config.adminToken;
        const row = await db.query<{ h: string | null }>(
          `SELECT password_hash AS h FROM people WHERE id = $1 AND active
             UNION ALL SELECT password_hash FROM cameras WHERE id = $1 LIMIT 1`,
          [username],
        );
        return verifyPassword(password.toString(), row.rows[0]?.h);
      };
      try {
        broker = await startEmbeddedBroker({ port: config.mqttPort, host: '0.0.0.0', authenticate });
      } catch (err) {
        // Machines often run their own Mosquitto on 1883: when the port was not asked for
        // explicitly, take a free one rather than refuse to start the demo.
        if (config.mqttPortExplicit || !/already in use/.test((err as Error).message)) throw err;
        log(
          `mqtt: default port ${config.mqttPort} is busy; using a free port (set WARDMAP_MQTT_PORT to choose)`,
        );
        broker = await startEmbeddedBroker({ port: 0, host: '0.0.0.0', authenticate });
      }
      opened.push(() => broker!.close());
      log(`mqtt: embedded broker on port ${broker.port}`);
    } else {
      log(`mqtt: external broker ${config.mqttUrl.replace(/\/\/[^@]*@/, '//***@')}`);
    }

    const app = createApp({ db, mqttMode: broker ? 'embedded' : 'external', readiness });
    const server = serve({ fetch: app.fetch, port: config.httpPort, hostname: '0.0.0.0' }) as Server;
    try {
      await Promise.race([
        once(server, 'listening'),
        once(server, 'error').then(([err]) => {
          throw err;
        }),
      ]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(`WARDMAP_HTTP_PORT ${config.httpPort} is already in use: choose another port`);
      }
      throw err;
    }
    opened.push(() => new Promise<void>((r) => server.close(() => r())));
    const httpPort = (server.address() as AddressInfo).port;
    readiness.ready = true;
    log(`http: API and dashboard on http://localhost:${httpPort} (health: /api/health)`);
    return {
      httpPort,
      mqttUrl: broker?.url ?? config.mqttUrl!,
      db,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
