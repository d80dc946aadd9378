// Standalone ingest process (docker-compose, the crash test): the one place that reads the
// environment, opens connections and handles signals.
import { createServer } from 'node:http';
import { getHeapStatistics } from 'node:v8';
import { openDatabase } from '@wardmap/db';
import { databaseLocation } from '@wardmap/geo/config';
import { startRabbitAuthServer } from './broker/rabbitmq-auth.ts';
import { parseIngestConfig } from './config.ts';
import { type RunningIngest, startIngest } from './ingest.ts';
import { amqpSource } from './source/amqp-source.ts';

const log = (line: string) => console.log(`[ingest] ${line}`);

const MiB = 1024 * 1024;

/** Where the process's memory is (resident, V8 heap, buffers outside it), in Prometheus text. */
function memoryMetrics(): string {
  const m = process.memoryUsage();
  const gauge = (name: string, help: string, value: number) =>
    `# HELP ${name} ${help}\n# TYPE ${name} gauge\n${name} ${value}\n`;
  return [
    gauge('process_resident_memory_bytes', 'Resident set size', m.rss),
    gauge('nodejs_heap_size_total_bytes', 'V8 heap reserved', m.heapTotal),
    gauge('nodejs_heap_size_used_bytes', 'V8 heap in use', m.heapUsed),
    gauge(
      'nodejs_external_memory_bytes',
      'Memory outside the V8 heap held by JS objects (Buffers)',
      m.external,
    ),
    gauge('nodejs_heap_size_limit_bytes', 'V8 heap limit', getHeapStatistics().heap_size_limit),
  ].join('');
}

try {
  const config = parseIngestConfig();
  const db = await openDatabase({
    ...databaseLocation({ DATABASE_URL: config.databaseUrl, WARDMAP_DATA_DIR: config.dataDir }),
    applicationName: 'wardmap-ingest',
    log,
  });
  // Up before ingest starts: a resumed session delivers its whole backlog before the subscription
  // is confirmed, and that drain is when memory and progress are worth watching.
  let running: RunningIngest | undefined;
  let committed = 0;
  const server =
    config.metricsPort === undefined
      ? undefined
      : createServer((req, res) => {
          if (req.url === '/metrics') {
            res
              .writeHead(200, { 'content-type': 'text/plain; version=0.0.4' })
              .end(
                `${running?.metrics() ?? ''}# HELP wardmap_ingest_messages_committed_total Messages committed (a row or a dead letter) for the first time; redeliveries not counted\n# TYPE wardmap_ingest_messages_committed_total counter\nwardmap_ingest_messages_committed_total ${committed}\n${memoryMetrics()}`,
              );
          } else res.writeHead(404).end();
        }).listen(config.metricsPort);
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
            // Each community to one queue, so a batch holds few communities (README "RabbitMQ cluster").
            communities: async () =>
              (await db.query<{ id: string }>('SELECT id FROM communities ORDER BY id')).rows.map(
                (r) => r.id,
              ),
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
    onCommit: (entries, result) => {
      committed += entries.length - result.duplicates - result.deadLetterDuplicates;
    },
  });
  running = ingest;
  // Devices' identities on a RabbitMQ cluster: its HTTP auth backend asks here.
  const rabbitAuth = config.rabbitmqAuth
    ? await startRabbitAuthServer({
        db,
        adminToken: config.adminToken,
        topicPrefix: config.topicPrefix,
        port: config.rabbitmqAuth.port,
        host: config.rabbitmqAuth.host,
        log,
      })
    : undefined;
  if (rabbitAuth)
    log(`rabbitmq auth backend: http://${config.rabbitmqAuth?.host}:${rabbitAuth.port}/rabbitmq/…`);
  log(
    `ready (V8 heap limit ${Math.round(getHeapStatistics().heap_size_limit / MiB)} MiB, buffer ${config.batch.maxBuffered} messages / ${Math.round(config.batch.maxBufferedBytes / MiB)} MiB)`,
  );
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
    await rabbitAuth?.close();
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
