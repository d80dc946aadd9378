import { ConfigError, type Env, envVars, isSet, parseEnv } from '@wardmap/geo/config';
import { z } from 'zod';

/** The variables `npm start` reads (definitions and defaults: `@wardmap/geo/config`). */
const STACK_ENV = {
  ...envVars(
    'WARDMAP_HTTP_PORT',
    'WARDMAP_MQTT_PORT',
    'WARDMAP_DATA_DIR',
    'DATABASE_URL',
    'MQTT_URL',
    'WARDMAP_ADMIN_TOKEN',
    'WARDMAP_SIMULATE',
    'WARDMAP_DEMO_PASSWORD',
    'WARDMAP_DEMO',
    'WARDMAP_HTTP_HOST',
    'WARDMAP_MQTT_HOST',
    'WARDMAP_MAX_BODY_BYTES',
    'WARDMAP_MAX_IMPORT_BYTES',
    'WARDMAP_MAX_STREAMS',
    'WARDMAP_MAX_STREAMS_PER_IDENTITY',
    'WARDMAP_MQTT_MAX_PACKET_BYTES',
    'WARDMAP_CLOCK_SPEED',
    'WARDMAP_PHOTO_MAX_BYTES',
    'WARDMAP_PHOTO_KEEP_METADATA',
  ),
  // With MQTT_URL only: where several stacks share one broker, each keeps to its own topics and its
  // own ingest session (the standalone ingest reads the same two variables).
  WARDMAP_TOPIC_PREFIX: z
    .string()
    .regex(/^([A-Za-z0-9_-]+\/)*$/, { error: 'WARDMAP_TOPIC_PREFIX must be plain topic levels ending in /' })
    .default(''),
  WARDMAP_INGEST_CLIENT_ID: z.string().min(1).max(64).default('wardmap-ingest-1'),
};

export interface StackConfig {
  httpPort: number;
  mqttPort: number;
  /** False when WARDMAP_MQTT_PORT was not set: then a busy default port falls back to a free one. */
  mqttPortExplicit: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  mqttUrl: string | undefined;
  /**
   * External broker only (`WARDMAP_TOPIC_PREFIX`, e.g. `site-a/`): put before every topic the stack
   * subscribes to or publishes (ingest, the API's HTTP check-ins, the simulator), so stacks sharing
   * one broker never take each other's messages. Devices publish under the same prefix.
   */
  topicPrefix: string;
  /** External broker only: ingest's MQTT client id, its persistent session (`WARDMAP_INGEST_CLIENT_ID`). */
  ingestClientId: string;
  adminToken: string | undefined;
  simulate: boolean;
  /**
   * Demo mode: the demo geography and its accounts (one shared, published password) are loaded into
   * an empty database. On by default only with the embedded database; `WARDMAP_DEMO=1` asks for it
   * on a real one. Also decides the default listening address (127.0.0.1 in demo mode).
   */
  demo: boolean;
  demoPassword: string;
  /** Address the HTTP server listens on (`WARDMAP_HTTP_HOST`; demo mode 127.0.0.1, else 0.0.0.0). */
  httpHost: string;
  /** Address the embedded broker listens on (`WARDMAP_MQTT_HOST`; same defaults). */
  mqttHost: string;
  /** API size and stream limits set in the environment (the rest keep their defaults). */
  limits: {
    bodyBytes?: number;
    importBodyBytes?: number;
    streamsTotal?: number;
    streamsPerIdentity?: number;
  };
  /** Largest MQTT packet the embedded broker accepts (`WARDMAP_MQTT_MAX_PACKET_BYTES`). */
  mqttMaxPacketBytes: number | undefined;
  /**
   * How fast the demo's clock runs (1 = real time). Above 1 the simulator, SLA escalation and patrol
   * compliance all share one compressed clock, so a day of duty plays out in minutes.
   */
  clockSpeed: number;
  /** Photo uploads: size limit, and whether EXIF/XMP (with GPS) is kept instead of stripped. */
  photos: { maxBytes: number; keepMetadata: boolean };
  /** Build `dashboard/dist` at start when stale (default true; tests that only need the API may skip it). */
  buildDashboard?: boolean;
}

/** Parses the environment (default: the process's) once; throws one error listing every bad variable. */
export function parseConfig(env?: Env): StackConfig {
  const e = parseEnv(STACK_ENV, env);
  if (!e.MQTT_URL) {
    const own = (['WARDMAP_TOPIC_PREFIX', 'WARDMAP_INGEST_CLIENT_ID'] as const).filter((k) => isSet(k, env));
    if (own.length)
      throw new ConfigError(
        own.map((k) => `${k}: only with MQTT_URL (the embedded broker serves this stack alone)`),
      );
  }
  const embedded = !e.DATABASE_URL && !e.MQTT_URL;
  const demo = e.WARDMAP_DEMO ? e.WARDMAP_DEMO === '1' : !e.DATABASE_URL;
  const defaultHost = demo ? '127.0.0.1' : '0.0.0.0';
  const limits: StackConfig['limits'] = {};
  if (e.WARDMAP_MAX_BODY_BYTES) limits.bodyBytes = e.WARDMAP_MAX_BODY_BYTES;
  if (e.WARDMAP_MAX_IMPORT_BYTES) limits.importBodyBytes = e.WARDMAP_MAX_IMPORT_BYTES;
  if (e.WARDMAP_MAX_STREAMS) limits.streamsTotal = e.WARDMAP_MAX_STREAMS;
  if (e.WARDMAP_MAX_STREAMS_PER_IDENTITY) limits.streamsPerIdentity = e.WARDMAP_MAX_STREAMS_PER_IDENTITY;
  return {
    httpPort: e.WARDMAP_HTTP_PORT,
    mqttPort: e.WARDMAP_MQTT_PORT,
    mqttPortExplicit: isSet('WARDMAP_MQTT_PORT', env),
    dataDir: e.WARDMAP_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    mqttUrl: e.MQTT_URL,
    topicPrefix: e.WARDMAP_TOPIC_PREFIX,
    ingestClientId: e.WARDMAP_INGEST_CLIENT_ID,
    adminToken: e.WARDMAP_ADMIN_TOKEN,
    // The live demo runs by default on the embedded stack only; never against a real deployment unasked.
    simulate: e.WARDMAP_SIMULATE ? e.WARDMAP_SIMULATE === '1' : embedded,
    demo,
    demoPassword: e.WARDMAP_DEMO_PASSWORD,
    httpHost: e.WARDMAP_HTTP_HOST ?? defaultHost,
    mqttHost: e.WARDMAP_MQTT_HOST ?? defaultHost,
    limits,
    mqttMaxPacketBytes: e.WARDMAP_MQTT_MAX_PACKET_BYTES,
    clockSpeed: e.WARDMAP_CLOCK_SPEED,
    photos: { maxBytes: e.WARDMAP_PHOTO_MAX_BYTES, keepMetadata: e.WARDMAP_PHOTO_KEEP_METADATA === '1' },
  };
}
