import { atLeast, ConfigError, type Env, envVars, parseEnv } from '@wardmap/geo/config';
import { z } from 'zod';

/**
 * V8 settings for the standalone ingest process (ingest/src/main.ts), given on its node command
 * line (docker-compose passes the same through NODE_OPTIONS; the fault suite and bench:ingest
 * launch ingest with these). See README "Reliability", Memory.
 */
export const INGEST_NODE_ARGS: string[] = ['--max-semi-space-size=4', '--max-old-space-size=128'];

const positiveInt = (name: string, fallback: number) => atLeast(name, 1).default(fallback);

/** The variables the standalone ingest reads (shared ones from `@wardmap/geo/config`). */
const INGEST_ENV = {
  ...envVars('DATABASE_URL', 'WARDMAP_DATA_DIR', 'WARDMAP_ADMIN_TOKEN', 'MQTT_URL'),
  // The RabbitMQ source (README "RabbitMQ cluster"): AMQP_URL lists the cluster's nodes, comma-separated.
  WARDMAP_INGEST_SOURCE: z.enum(['mqtt', 'amqp']).default('mqtt'),
  AMQP_URL: z
    .string()
    .regex(/^amqps?:\/\/[^,]+(,amqps?:\/\/[^,]+)*$/, {
      error: 'AMQP_URL must be amqp:// or amqps:// URLs separated by commas',
    })
    .optional(),
  WARDMAP_AMQP_QUEUES: positiveInt('WARDMAP_AMQP_QUEUES', 4),
  WARDMAP_INGEST_CLIENT_ID: z.string().min(1).max(64).default('wardmap-ingest'),
  WARDMAP_INGEST_SHARE: z
    .string()
    .regex(/^[A-Za-z0-9_-]+$/, { error: 'WARDMAP_INGEST_SHARE must be a plain group name' })
    .optional(),
  WARDMAP_TOPIC_PREFIX: z.string().default(''),
  WARDMAP_INGEST_RETIRE: z.enum(['0', '1']).default('0'),
  WARDMAP_INGEST_RETIRE_ON_STOP: z.enum(['0', '1']).default('0'),
  WARDMAP_INGEST_BATCH_ROWS: positiveInt('WARDMAP_INGEST_BATCH_ROWS', 2000),
  WARDMAP_INGEST_BATCH_WAIT_MS: positiveInt('WARDMAP_INGEST_BATCH_WAIT_MS', 5),
  WARDMAP_INGEST_BUFFER: positiveInt('WARDMAP_INGEST_BUFFER', 8_000),
  WARDMAP_INGEST_BUFFER_MB: positiveInt('WARDMAP_INGEST_BUFFER_MB', 16),
  WARDMAP_INGEST_METRICS_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  // RabbitMQ's HTTP auth backend answered from the people table (README "RabbitMQ cluster").
  WARDMAP_RABBITMQ_AUTH_PORT: z.coerce.number().int().min(0).max(65535).optional(),
  WARDMAP_RABBITMQ_AUTH_HOST: z.string().min(1).default('127.0.0.1'),
  WARDMAP_FRIGATE_URL: z.url().optional(),
};

export interface IngestConfig {
  databaseUrl: string | undefined;
  dataDir: string;
  mqttUrl: string;
  source: 'mqtt' | 'amqp';
  amqpUrls: string[];
  amqpQueues: number;
  adminToken: string | undefined;
  clientId: string;
  share: string | undefined;
  topicPrefix: string;
  /** One-shot: resume this client id's session, leave the group, drain it, end it, exit. */
  retire: boolean;
  /** SIGTERM retires (scale-down) instead of keeping the session for a restart. */
  retireOnStop: boolean;
  batch: { maxRows: number; maxWaitMs: number; maxBuffered: number; maxBufferedBytes: number };
  metricsPort: number | undefined;
  frigateUrl: string | undefined;
  /** Serve RabbitMQ's HTTP auth backend on this address (devices' identities on a RabbitMQ cluster). */
  rabbitmqAuth: { port: number; host: string } | undefined;
}

/** Parses the standalone ingest's environment once; one error lists every bad variable. */
export function parseIngestConfig(env?: Env): IngestConfig {
  const e = parseEnv(INGEST_ENV, env);
  if (e.WARDMAP_INGEST_SOURCE === 'amqp' ? !e.AMQP_URL : !e.MQTT_URL) {
    const need = e.WARDMAP_INGEST_SOURCE === 'amqp' ? 'AMQP_URL' : 'MQTT_URL';
    throw new ConfigError([`${need}: required with WARDMAP_INGEST_SOURCE=${e.WARDMAP_INGEST_SOURCE}`]);
  }
  return {
    databaseUrl: e.DATABASE_URL,
    dataDir: e.WARDMAP_DATA_DIR,
    mqttUrl: e.MQTT_URL ?? '',
    source: e.WARDMAP_INGEST_SOURCE,
    amqpUrls: e.AMQP_URL ? e.AMQP_URL.split(',') : [],
    amqpQueues: e.WARDMAP_AMQP_QUEUES,
    adminToken: e.WARDMAP_ADMIN_TOKEN,
    clientId: e.WARDMAP_INGEST_CLIENT_ID,
    share: e.WARDMAP_INGEST_SHARE,
    topicPrefix: e.WARDMAP_TOPIC_PREFIX,
    retire: e.WARDMAP_INGEST_RETIRE === '1',
    retireOnStop: e.WARDMAP_INGEST_RETIRE_ON_STOP === '1',
    batch: {
      maxRows: e.WARDMAP_INGEST_BATCH_ROWS,
      maxWaitMs: e.WARDMAP_INGEST_BATCH_WAIT_MS,
      maxBuffered: e.WARDMAP_INGEST_BUFFER,
      maxBufferedBytes: e.WARDMAP_INGEST_BUFFER_MB * 1024 * 1024,
    },
    metricsPort: e.WARDMAP_INGEST_METRICS_PORT,
    frigateUrl: e.WARDMAP_FRIGATE_URL,
    rabbitmqAuth:
      e.WARDMAP_RABBITMQ_AUTH_PORT === undefined
        ? undefined
        : { port: e.WARDMAP_RABBITMQ_AUTH_PORT, host: e.WARDMAP_RABBITMQ_AUTH_HOST },
  };
}
