// The API as its own process (docker-compose); `npm start` runs it inside the one-process stack.
import { serve } from '@hono/node-server';
import { openDatabase } from '@wardmap/db';
import { scaledClock, systemClock } from '@wardmap/geo';
import mqtt from 'mqtt';
import { createApp } from './app.ts';
import { createTileCache, listenForTileChanges, tileCacheMetrics } from './map/tiles/tile-cache.ts';
import type { Publish } from './reads/publish-routes.ts';
import { startApiServices } from './services.ts';

const env = process.env;
const url = env.DATABASE_URL;
const port = Number(env.WARDMAP_HTTP_PORT ?? 8080);
const speed = Number(env.WARDMAP_CLOCK_SPEED ?? 1);
const problems = [
  ...(url ? [] : ['DATABASE_URL must be set']),
  ...(Number.isInteger(port) && port >= 0 && port < 65536 ? [] : ['WARDMAP_HTTP_PORT must be a port number']),
  ...(speed > 0 && Number.isFinite(speed) ? [] : ['WARDMAP_CLOCK_SPEED must be a positive number']),
];
if (problems.length) {
  console.error(`[api] ${problems.join('; ')}`);
  process.exit(1);
}
const adminToken = env.WARDMAP_ADMIN_TOKEN || undefined;
const clock = speed === 1 ? systemClock : scaledClock(speed);
const readiness = { ready: false };
const db = await openDatabase({ databaseUrl: url!, applicationName: 'wardmap-api', log: console.log });
const services = await startApiServices({ db, clock, log: (l) => console.log(`[api] ${l}`) });
const tileCache = createTileCache();
const stopTileListener = await listenForTileChanges(db, tileCache);

// HTTP check-ins are published as `admin` so they take the ingest pipeline; without a broker
// URL and admin token those endpoints answer 503.
let publish: Publish | undefined;
let client: mqtt.MqttClient | undefined;
if (env.MQTT_URL && adminToken) {
  client = await mqtt.connectAsync(env.MQTT_URL, {
    clientId: `wardmap-api-${process.pid}`,
    username: 'admin',
    password: adminToken,
    reconnectPeriod: 1000,
  });
  const c = client;
  publish = async (topic, payload) => {
    await c.publishAsync(topic, payload, { qos: 1 });
  };
}

const app = createApp({
  db,
  mqttMode: 'external',
  readiness,
  clock,
  adminToken,
  publish,
  stream: services.stream,
  tileCache,
  photos: {
    ...(env.WARDMAP_PHOTO_MAX_BYTES ? { maxBytes: Number(env.WARDMAP_PHOTO_MAX_BYTES) } : {}),
    keepMetadata: env.WARDMAP_PHOTO_KEEP_METADATA === '1',
  },
  extraMetrics: () => services.metrics() + tileCacheMetrics(tileCache),
});
const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, (info) => {
  readiness.ready = true;
  console.log(`[api] listening on ${info.port}`);
});
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `[api] WARDMAP_HTTP_PORT ${port} is already in use` : err);
  process.exit(1);
});
process.on('SIGTERM', () =>
  server.close(async () => {
    await stopTileListener();
    await services.stop();
    await client?.endAsync();
    await db.close();
    process.exit(0);
  }),
);
