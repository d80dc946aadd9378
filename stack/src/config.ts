import { z } from 'zod';

const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int({ error: `${name} must be an integer` })
    .min(0, { error: `${name} must be 0-65535` })
    .max(65535, { error: `${name} must be 0-65535` })
    .default(fallback);

const url = (name: string, protocols: string[]) =>
  z
    .string()
    .refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
      error: `${name} must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    })
    .optional();

const EnvSchema = z.object({
  WARDMAP_HTTP_PORT: port('WARDMAP_HTTP_PORT', 8080),
  WARDMAP_MQTT_PORT: port('WARDMAP_MQTT_PORT', 1883),
  WARDMAP_DATA_DIR: z.string().min(1).default('./data'),
  DATABASE_URL: url('DATABASE_URL', ['postgres', 'postgresql']),
  MQTT_URL: url('MQTT_URL', ['mqtt', 'mqtts', 'tcp', 'ws', 'wss']),
  WARDMAP_ADMIN_TOKEN: z
    .string()
    .min(8, { error: 'WARDMAP_ADMIN_TOKEN must be at least 8 characters' })
    .optional(),
  WARDMAP_SIMULATE: z.enum(['0', '1'], { error: 'WARDMAP_SIMULATE must be 0 or 1' }).optional(),
  WARDMAP_DEMO_PASSWORD: z.string().min(8).default('wardmap-demo'),
  WARDMAP_DEMO: z.enum(['0', '1'], { error: 'WARDMAP_DEMO must be 0 or 1' }).optional(),
  WARDMAP_HTTP_HOST: z.string().min(1).optional(),
  WARDMAP_MQTT_HOST: z.string().min(1).optional(),
  WARDMAP_MAX_BODY_BYTES: z.coerce
    .number()
    .int()
    .min(1024, { error: 'WARDMAP_MAX_BODY_BYTES must be at least 1024' })
    .optional(),
  WARDMAP_MAX_IMPORT_BYTES: z.coerce
    .number()
    .int()
    .min(1024, { error: 'WARDMAP_MAX_IMPORT_BYTES must be at least 1024' })
    .optional(),
  WARDMAP_MAX_STREAMS: z.coerce
    .number()
    .int()
    .min(1, { error: 'WARDMAP_MAX_STREAMS must be at least 1' })
    .optional(),
  WARDMAP_MAX_STREAMS_PER_IDENTITY: z.coerce
    .number()
    .int()
    .min(1, { error: 'WARDMAP_MAX_STREAMS_PER_IDENTITY must be at least 1' })
    .optional(),
  WARDMAP_MQTT_MAX_PACKET_BYTES: z.coerce
    .number()
    .int()
    .min(1024, { error: 'WARDMAP_MQTT_MAX_PACKET_BYTES must be at least 1024' })
    .optional(),
  WARDMAP_CLOCK_SPEED: z.coerce
    .number({ error: 'WARDMAP_CLOCK_SPEED must be a number' })
    .positive({ error: 'WARDMAP_CLOCK_SPEED must be greater than 0' })
    .max(100_000, { error: 'WARDMAP_CLOCK_SPEED must be at most 100000' })
    .default(1),
  WARDMAP_PHOTO_MAX_BYTES: z.coerce
    .number({ error: 'WARDMAP_PHOTO_MAX_BYTES must be a number of bytes' })
    .int({ error: 'WARDMAP_PHOTO_MAX_BYTES must be an integer' })
    .min(1024, { error: 'WARDMAP_PHOTO_MAX_BYTES must be at least 1024' })
    .max(64 * 1024 * 1024, { error: 'WARDMAP_PHOTO_MAX_BYTES must be at most 67108864' })
    .default(8 * 1024 * 1024),
  WARDMAP_PHOTO_KEEP_METADATA: z
    .enum(['0', '1'], { error: 'WARDMAP_PHOTO_KEEP_METADATA must be 0 or 1' })
    .default('0'),
});

export interface StackConfig {
  httpPort: number;
  mqttPort: number;
  /** False when WARDMAP_MQTT_PORT was not set: then a busy default port falls back to a free one. */
  mqttPortExplicit: boolean;
  dataDir: string;
  databaseUrl: string | undefined;
  mqttUrl: string | undefined;
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

/** Parses the environment once; throws one error listing every bad variable. */
export function parseConfig(env: Record<string, string | undefined>): StackConfig {
  const clean = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const res = EnvSchema.safeParse(clean);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`invalid configuration:\n${lines.join('\n')}`);
  }
  const e = res.data;
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
    mqttPortExplicit: clean.WARDMAP_MQTT_PORT !== undefined,
    dataDir: e.WARDMAP_DATA_DIR,
    databaseUrl: e.DATABASE_URL,
    mqttUrl: e.MQTT_URL,
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
