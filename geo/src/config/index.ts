// The one configuration parser. Every entry point and command line declares the environment
// variables it reads (a few names from `ENV`, or its own zod fields) and calls `parseEnv`, which
// reads the process environment — the only module that does — and throws one `ConfigError`
// listing every bad variable. Names and defaults are contracts (DESIGN.md, README "Configuration").
// Node-only: import it as `@wardmap/geo/config`; the browser bundle never sees it.
import { z } from 'zod';

export type Env = Record<string, string | undefined>;

/** The process environment. The only read of `process.env` outside tests (`npm run check` enforces it). */
export function processEnv(): Env {
  return process.env;
}

/** Every bad variable at once, one per line: `invalid configuration:\n  NAME: message`. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** A TCP port (0 = any free one). */
export const port = (name: string, fallback: number) =>
  z.coerce
    .number({ error: `${name} must be a port number` })
    .int({ error: `${name} must be an integer` })
    .min(0, { error: `${name} must be 0-65535` })
    .max(65535, { error: `${name} must be 0-65535` })
    .default(fallback);

/** A URL with one of the given schemes; optional unless `required`. */
export function url(name: string, protocols: string[], opts: { required: true }): z.ZodString;
export function url(name: string, protocols: string[]): z.ZodOptional<z.ZodString>;
export function url(
  name: string,
  protocols: string[],
  opts?: { required: boolean },
): z.ZodString | z.ZodOptional<z.ZodString> {
  const schema = z
    .string({ error: `${name} must be set` })
    .refine((v) => protocols.some((p) => v.startsWith(`${p}://`)), {
      error: `${name} must start with ${protocols.map((p) => `${p}://`).join(' or ')}`,
    });
  return opts?.required ? schema : schema.optional();
}

/** `0` or `1`. */
export const flag = (name: string) => z.enum(['0', '1'], { error: `${name} must be 0 or 1` });

/** An integer of at least `min`. */
export const atLeast = (name: string, min: number) =>
  z.coerce
    .number({ error: `${name} must be a number` })
    .int({ error: `${name} must be an integer` })
    .min(min, { error: `${name} must be at least ${min}` });

const POSTGRES = ['postgres', 'postgresql'];
const MQTT = ['mqtt', 'mqtts', 'tcp', 'ws', 'wss'];

/** The shared variables: one definition (validation and default) per name. */
export const ENV = {
  DATABASE_URL: url('DATABASE_URL', POSTGRES),
  WARDMAP_DATA_DIR: z.string().min(1).default('./data'),
  /** Where initialised PGlite templates are cached (default under node_modules/.cache). */
  WARDMAP_CACHE_DIR: z.string().min(1).optional(),
  MQTT_URL: url('MQTT_URL', MQTT),
  WARDMAP_ADMIN_TOKEN: z
    .string()
    .min(8, { error: 'WARDMAP_ADMIN_TOKEN must be at least 8 characters' })
    .optional(),
  WARDMAP_HTTP_PORT: port('WARDMAP_HTTP_PORT', 8080),
  WARDMAP_MQTT_PORT: port('WARDMAP_MQTT_PORT', 1883),
  WARDMAP_HTTP_HOST: z.string().min(1).optional(),
  WARDMAP_MQTT_HOST: z.string().min(1).optional(),
  WARDMAP_SIMULATE: flag('WARDMAP_SIMULATE').optional(),
  WARDMAP_DEMO: flag('WARDMAP_DEMO').optional(),
  WARDMAP_DEMO_PASSWORD: z.string().min(8).default('wardmap-demo'),
  WARDMAP_MAX_BODY_BYTES: atLeast('WARDMAP_MAX_BODY_BYTES', 1024).optional(),
  WARDMAP_MAX_IMPORT_BYTES: atLeast('WARDMAP_MAX_IMPORT_BYTES', 1024).optional(),
  WARDMAP_MAX_STREAMS: atLeast('WARDMAP_MAX_STREAMS', 1).optional(),
  WARDMAP_MAX_STREAMS_PER_IDENTITY: atLeast('WARDMAP_MAX_STREAMS_PER_IDENTITY', 1).optional(),
  WARDMAP_MQTT_MAX_PACKET_BYTES: atLeast('WARDMAP_MQTT_MAX_PACKET_BYTES', 1024).optional(),
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
  WARDMAP_PHOTO_KEEP_METADATA: flag('WARDMAP_PHOTO_KEEP_METADATA').default('0'),
} as const;

type Shared = typeof ENV;

/** The shared definitions of the given names, to spread into an entry point's declaration. */
export function envVars<K extends keyof Shared>(...names: K[]): Pick<Shared, K> {
  return Object.fromEntries(names.map((n) => [n, ENV[n]])) as Pick<Shared, K>;
}

/**
 * Parses the variables `shape` declares from `env` (default: the process environment). Empty
 * values count as unset. Throws one {@link ConfigError} naming every bad variable.
 */
export function parseEnv<S extends z.ZodRawShape>(
  shape: S,
  env: Env = processEnv(),
): z.output<z.ZodObject<S>> {
  const clean = Object.fromEntries(
    Object.keys(shape)
      .map((k) => [k, env[k]] as const)
      .filter(([, v]) => v !== undefined && v !== ''),
  );
  const res = z.object(shape).safeParse(clean);
  if (!res.success) throw new ConfigError(res.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`));
  return res.data;
}

/** True when the variable is set to a non-empty value (e.g. "was the port asked for explicitly"). */
export function isSet(name: string, env: Env = processEnv()): boolean {
  return env[name] !== undefined && env[name] !== '';
}

/**
 * Where the database lives: `DATABASE_URL` when set, else embedded PGlite in `<data dir>/pglite`.
 * The one statement of that rule; spread the result into `openDatabase`.
 */
export function databaseLocation(c: { DATABASE_URL?: string | undefined; WARDMAP_DATA_DIR: string }): {
  databaseUrl: string | undefined;
  dataDir: string | undefined;
} {
  return c.DATABASE_URL
    ? { databaseUrl: c.DATABASE_URL, dataDir: undefined }
    : { databaseUrl: undefined, dataDir: `${c.WARDMAP_DATA_DIR}/pglite` };
}
