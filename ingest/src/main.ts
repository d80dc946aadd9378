// Standalone ingest process (docker-compose, the crash test): the one place that reads the
// environment, opens connections and handles signals.
import { createServer } from 'node:http';
import { openDatabase } from '@wardmap/db';
import { parseIngestConfig } from './config.ts';
import { startIngest } from './ingest.ts';
import { amqpSource } from './sources/amqp.ts';

const log = (line: string) => console.log(`[ingest] ${line}`);

try {
  const config = parseIngestConfig(process.env);
  const db = await openDatabase({
    databaseUrl: config.databaseUrl,
    dataDir: config.databaseUrl ? undefined : `${config.dataDir}/pglite`,
    applicationName: 'wardmap-ingest',
    log,
  });
  const amqpMode = config.source === 'amqp';
  const ingest = await startIngest({
    db,
    // The RabbitMQ source (README "RabbitMQ cluster"), else MQTT from MQTT_URL.
    ...(amqpMode
      ? {
          source: amqpSource({
            urls: config.amqpUrls,
            queues: config.amqpQueues,
            topicPrefix: config.topicPrefix,
            // About two batches in flight: one being written, the next one filling.
            prefetch: Math.min(2 * config.batch.maxRows, config.batch.maxBuffered),
          }),
        }
      : { mqttUrl: config.mqttUrl }),
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
    if (retire || amqpMode) {
      // AMQP: nothing is bound to this worker in RabbitMQ, so a stop is a retire — cancel the
      // consumers, commit and acknowledge what is held, close; the rest stays in the queues.
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
