// The API as its own process (docker-compose); `npm start` runs it inside the one-process stack.
// Both use the same server wiring (`startApiServer`).
import { openDatabase } from '@wardmap/db';
import { scaledClock, systemClock } from '@wardmap/geo';
import { envVars, parseEnv, url } from '@wardmap/geo/config';
import mqtt from 'mqtt';
import type { Publish } from './reads/publish-routes.ts';
import { startApiServer } from './server.ts';

const log = (line: string) => console.log(`[api] ${line}`);

try {
  const env = parseEnv({
    ...envVars(
      'WARDMAP_HTTP_PORT',
      'WARDMAP_CLOCK_SPEED',
      'MQTT_URL',
      'WARDMAP_ADMIN_TOKEN',
      'WARDMAP_PHOTO_MAX_BYTES',
      'WARDMAP_PHOTO_KEEP_METADATA',
    ),
    // The API process has no embedded database of its own.
    DATABASE_URL: url('DATABASE_URL', ['postgres', 'postgresql'], { required: true }),
  });
  const clock = env.WARDMAP_CLOCK_SPEED === 1 ? systemClock : scaledClock(env.WARDMAP_CLOCK_SPEED);
  const readiness = { ready: false };
  const db = await openDatabase({
    databaseUrl: env.DATABASE_URL,
    applicationName: 'wardmap-api',
    log: console.log,
  });

  // HTTP check-ins are published as `admin` so they take the ingest pipeline; without a broker
  // URL and admin token those endpoints answer 503.
  let publish: Publish | undefined;
  let client: mqtt.MqttClient | undefined;
  if (env.MQTT_URL && env.WARDMAP_ADMIN_TOKEN) {
    client = await mqtt.connectAsync(env.MQTT_URL, {
      clientId: `wardmap-api-${process.pid}`,
      username: 'admin',
      password: env.WARDMAP_ADMIN_TOKEN,
      reconnectPeriod: 1000,
    });
    const c = client;
    publish = async (topic, payload) => {
      await c.publishAsync(topic, payload, { qos: 1 });
    };
  }

  const server = await startApiServer({
    db,
    mqttMode: 'external',
    readiness,
    clock,
    adminToken: env.WARDMAP_ADMIN_TOKEN,
    publish,
    photos: {
      maxBytes: env.WARDMAP_PHOTO_MAX_BYTES,
      keepMetadata: env.WARDMAP_PHOTO_KEEP_METADATA === '1',
    },
    port: env.WARDMAP_HTTP_PORT,
    hostname: '0.0.0.0',
    log,
  });
  readiness.ready = true;
  log(`listening on ${server.port}`);
  process.on('SIGTERM', async () => {
    await server.stop();
    await client?.endAsync();
    await db.close();
    process.exit(0);
  });
} catch (err) {
  console.error(`[api] cannot start: ${(err as Error).message}`);
  process.exit(1);
}
