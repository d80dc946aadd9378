// One API process for the two-process change-feed test: the real app, hub and escalation timer on
// DATABASE_URL, on a free port; prints `listening <port> <pid>` once it serves.
import { serve } from '@hono/node-server';
import { createApp, startApiServices } from '@wardmap/api';
import { postgresDb } from '@wardmap/db';
import { systemClock } from '@wardmap/geo';

const url = process.env.DATABASE_URL;
if (!url) throw new Error('DATABASE_URL must be set');
const db = postgresDb(url, { max: 4, applicationName: `feed-test-api-${process.pid}` });
const services = await startApiServices({
  db,
  clock: systemClock,
  escalationIntervalMs: 200,
  escalationLeaseMs: 1500,
  streamPollMs: 500,
  log: (l) => console.log(`[api ${process.pid}] ${l}`),
});
const app = createApp({
  db,
  mqttMode: 'external',
  readiness: { ready: true },
  clock: systemClock,
  adminToken: process.env.WARDMAP_ADMIN_TOKEN,
  stream: services.stream,
  extraMetrics: () => services.metrics(),
  heartbeatMs: Number(process.env.FEED_HEARTBEAT_MS ?? 300),
  // bench:model opens many streams under one identity.
  ...(process.env.FEED_STREAMS
    ? {
        limits: {
          streamsPerIdentity: Number(process.env.FEED_STREAMS),
          streamsTotal: Number(process.env.FEED_STREAMS),
        },
      }
    : {}),
});
serve({ fetch: app.fetch, port: 0, hostname: '127.0.0.1' }, (info) => {
  console.log(`listening ${info.port} ${process.pid}`);
});
process.on('SIGTERM', async () => {
  await services.stop();
  await db.close();
  process.exit(0);
});
