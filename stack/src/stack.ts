import { randomBytes } from 'node:crypto';
import { type Readiness, startApiServer } from '@wardmap/api';
import { type Db, openDatabase, seedDemoIfEmpty } from '@wardmap/db';
import { type Clock, scaledClock, systemClock } from '@wardmap/geo';
import { databaseLocation } from '@wardmap/geo/config';
import {
  dbBrokerAuth,
  disconnectOnIdentityChange,
  type EmbeddedBroker,
  ingestTakes,
  type RunningIngest,
  startEmbeddedBroker,
  startIngest,
} from '@wardmap/ingest';
import { type RunningSimulator, startSimulator } from '@wardmap/sim';
import type { StackConfig } from './config.ts';
import { DASHBOARD_DIST, ensureDashboardBuilt } from './dashboard/build.ts';
import { withDashboard } from './dashboard/serve.ts';
import { connectPublisher } from './publisher.ts';

export interface RunningStack {
  readonly httpPort: number;
  readonly mqttUrl: string;
  readonly db: Db;
  readonly clock: Clock;
  readonly ingest: RunningIngest;
  /** The live demo's simulator, when WARDMAP_SIMULATE is on. */
  readonly simulator: RunningSimulator | undefined;
  stop(): Promise<void>;
}

/**
 * Starts everything in one process: database (embedded PGlite unless DATABASE_URL), MQTT broker
 * (embedded Aedes unless MQTT_URL), ingest, the HTTP API with its background services, and the
 * live-demo simulator. All share one clock. Health answers 503 until all is ready.
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
      ...databaseLocation({ DATABASE_URL: config.databaseUrl, WARDMAP_DATA_DIR: config.dataDir }),
      log,
    });
    opened.push(() => db.close());
    if (config.demo) {
      log(
        'demo mode: an empty database gets the demo geography and demo accounts sharing one password ' +
          `(WARDMAP_DEMO_PASSWORD); listening on ${config.httpHost} by default (WARDMAP_HTTP_HOST)`,
      );
      await seedDemoIfEmpty(db, { password: config.demoPassword, log });
    } else {
      log('demo mode off: no demo accounts are created (WARDMAP_DEMO=1 would create them)');
    }

    const clock = config.clockSpeed === 1 ? systemClock : scaledClock(config.clockSpeed);
    if (config.clockSpeed !== 1) log(`clock: running ${config.clockSpeed}x real time`);

    // The in-process parts (ingest's writer excepted, which has its own identity) talk to the
    // broker as `admin`; without WARDMAP_ADMIN_TOKEN an embedded stack makes up a secret for them.
    const mqttAdminToken =
      config.adminToken ?? (config.mqttUrl ? undefined : randomBytes(24).toString('base64url'));
    let broker: EmbeddedBroker | undefined;
    let ingest: RunningIngest;
    if (!config.mqttUrl) {
      // Embedded: ingest runs in-process and the broker hands it every message it takes *before*
      // acknowledging the publisher, so a PUBACK means committed (Aedes keeps sessions in memory;
      // a crash of this process must not lose what a phone was told is safe).
      ingest = await startIngest({ db, clock, log: (line) => log(`ingest: ${line}`) });
      opened.push(() => ingest.stop());
      const auth = dbBrokerAuth(db, { adminToken: mqttAdminToken });
      const durable = {
        host: config.mqttHost,
        ...auth,
        ...(config.mqttMaxPacketBytes ? { maxPacketBytes: config.mqttMaxPacketBytes } : {}),
        beforeAck: (topic: string, payload: Buffer) =>
          ingestTakes(topic) ? ingest.accept(topic, payload) : undefined,
      };
      try {
        broker = await startEmbeddedBroker({ port: config.mqttPort, ...durable });
      } catch (err) {
        // Machines often run their own Mosquitto on 1883: when the port was not asked for
        // explicitly, take a free one rather than refuse to start the demo.
        if (config.mqttPortExplicit || !/already in use/.test((err as Error).message)) throw err;
        log(
          `mqtt: default port ${config.mqttPort} is busy; using a free port (set WARDMAP_MQTT_PORT to choose)`,
        );
        broker = await startEmbeddedBroker({ port: 0, ...durable });
      }
      opened.push(() => broker!.close());
      opened.push(await disconnectOnIdentityChange(db, broker, log));
      log(`mqtt: embedded broker on ${config.mqttHost}:${broker.port} (PUBACK after commit)`);
    } else {
      log(
        `mqtt: external broker ${config.mqttUrl.replace(/\/\/[^@]*@/, '//***@')}` +
          (config.topicPrefix ? ` (topics under ${config.topicPrefix})` : ''),
      );
      const ingestLogin = mqttAdminToken ? { username: 'admin', password: mqttAdminToken } : {};
      ingest = await startIngest({
        db,
        mqttUrl: config.mqttUrl,
        ...ingestLogin,
        clientId: config.ingestClientId,
        topicPrefix: config.topicPrefix,
        clock,
        log: (line) => log(`ingest: ${line}`),
      });
      opened.push(() => ingest.stop());
    }
    const mqttUrl = broker?.url ?? config.mqttUrl!;
    const adminLogin = mqttAdminToken ? { username: 'admin', password: mqttAdminToken } : {};

    const publisher = await connectPublisher({
      url: mqttUrl,
      ...adminLogin,
      clientId: 'wardmap-api-publisher',
      topicPrefix: config.topicPrefix,
    });
    opened.push(() => publisher.close());

    // The dashboard shares the API's origin; a failed build leaves the API up and says so.
    if (config.buildDashboard !== false) {
      await ensureDashboardBuilt({ log }).catch((err) =>
        log(`dashboard: not built (${(err as Error).message}); the API still runs`),
      );
    }
    const api = await startApiServer({
      db,
      mqttMode: broker ? 'embedded' : 'external',
      readiness,
      clock,
      adminToken: config.adminToken,
      publish: publisher.publish,
      photos: config.photos,
      limits: config.limits,
      extraMetrics: () => ingest.metrics(),
      wrapFetch: (fetch) => withDashboard(fetch, DASHBOARD_DIST),
      port: config.httpPort,
      hostname: config.httpHost,
      log: (line) => log(`api: ${line}`),
    });
    opened.push(() => api.stop());
    const httpPort = api.port;

    let simulator: RunningSimulator | undefined;
    if (config.simulate) {
      simulator = await startSimulator({
        mqttUrl,
        ...adminLogin,
        topicPrefix: config.topicPrefix,
        clock,
        // Some phones use the app's HTTP mode, as real ones do: through the API, then MQTT.
        apiUrl: `http://127.0.0.1:${httpPort}`,
        actorPassword: config.demoPassword,
        log: (line) => log(`simulator: ${line}`),
      });
      opened.push(() => simulator!.stop());
      log('simulator: live demo running (WARDMAP_SIMULATE=0 turns it off)');
    }
    readiness.ready = true;
    log(
      `http: dashboard and API on http://${config.httpHost}:${httpPort} (health: /api/health, live stream: /api/stream)`,
    );
    return { httpPort, mqttUrl, db, clock, ingest, simulator, stop: stopAll };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
