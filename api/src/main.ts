// The API as its own process (docker-compose); `npm start` runs it inside the one-process stack.
import { serve } from '@hono/node-server';
import { openDatabase } from '@wardmap/db';
import { createApp } from './app.ts';

const url = process.env.DATABASE_URL;
const port = Number(process.env.WARDMAP_HTTP_PORT ?? 8080);
if (!url || !Number.isInteger(port)) {
  console.error('[api] DATABASE_URL must be set and WARDMAP_HTTP_PORT must be a port number');
  process.exit(1);
}
const readiness = { ready: false };
const db = await openDatabase({ databaseUrl: url, applicationName: 'wardmap-api', log: console.log });
const app = createApp({ db, mqttMode: 'external', readiness });
const server = serve({ fetch: app.fetch, port, hostname: '0.0.0.0' }, (info) => {
  readiness.ready = true;
  console.log(`[api] listening on ${info.port}`);
});
server.on('error', (err: NodeJS.ErrnoException) => {
  console.error(err.code === 'EADDRINUSE' ? `[api] WARDMAP_HTTP_PORT ${port} is already in use` : err);
  process.exit(1);
});
process.on('SIGTERM', () => server.close(() => void db.close().then(() => process.exit(0))));
