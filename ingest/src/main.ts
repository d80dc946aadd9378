// Standalone ingest process (docker-compose, the crash test): the one place that reads the
// environment, opens connections and handles signals.
import { createServer } from 'node:http';
import { openDatabase } from '@wardmap/db';
import { databaseLocation } from '@wardmap/geo/config';
import { parseIngestConfig } from './config.ts';
import { startIngest } from './ingest.ts';

const log = (line: string) => console.log(`[ingest] ${line}`);

try {
  const config = parseIngestConfig();
  const db = await openDatabase({
    ...databaseLocation({ DATABASE_URL: config.databaseUrl, WARDMAP_DATA_DIR: config.dataDir }),
    applicationName: 'wardmap-ingest',
    log,
  });
  const ingest = await startIngest({
    db,
    mqttUrl: config.mqttUrl,
    // With an external broker, ingest reads everything as the admin identity.
    ...(config.adminToken ? { username: 'admin', password: config.adminToken } : {}),
    clientId: config.clientId,
    topicPrefix: config.topicPrefix,
    ...(config.share ? { share: config.share } : {}),
    batch: config.batch,
    ...(config.frigateUrl ? { frigateSnapshotBaseUrl: config.frigateUrl } : {}),
    log,
  });
  const server =
    config.metricsPort === undefined
      ? undefined
      : createServer((req, res) => {
          if (req.url === '/metrics') {
            res.writeHead(200, { 'content-type': 'text/plain; version=0.0.4' }).end(ingest.metrics());
          } else res.writeHead(404).end();
        }).listen(config.metricsPort);
  log('ready');
  let stopping = false;
  const shutdown = async (signal: string, retire = config.retireOnStop) => {
    if (stopping) return;
    stopping = true;
    if (retire) {
      log(`${signal}: retiring (leaving the shared group, draining and ending the session)`);
      await ingest.retire();
    } else {
      log(`${signal}: stopping (draining held messages; the session stays for the restart)`);
      await ingest.stop();
    }
    server?.close();
    await db.close();
    const s = ingest.stats();
    log(
      `stopped: received ${s.received}, stored ${s.stored}, duplicates ${s.duplicates}, dead letters ${s.deadLettered}`,
    );
    process.exit(0);
  };
  if (config.retire) await shutdown('WARDMAP_INGEST_RETIRE=1', true);
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
} catch (err) {
  console.error(`[ingest] cannot start: ${(err as Error).message}`);
  process.exit(1);
}
