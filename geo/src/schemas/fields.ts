import { z } from 'zod';
import { showInput } from './errors.ts';

/** A finite number in [min, max] whose errors name the field, e.g. `heading must be between 0 and 360 (got 400)`. */
export function numberBetween(label: string, min: number, max: number) {
  const outOfRange = (iss: { input?: unknown }) =>
    `${label} must be between ${min} and ${max} (got ${showInput(iss.input)})`;
  return z
    .number({
      error: (iss) =>
        iss.input === undefined ? undefined : `${label} must be a number (got ${showInput(iss.input)})`,
    })
    .min(min, { error: outOfRange })
    .max(max, { error: outOfRange });
}

/** A finite number >= 0 whose errors name the field. */
export function nonNegative(label: string) {
  return z
    .number({
      error: (iss) =>
        iss.input === undefined ? undefined : `${label} must be a number (got ${showInput(iss.input)})`,
    })
    .min(0, { error: (iss) => `${label} must not be negative (got ${showInput(iss.input)})` });
}

/** Longitude in degrees, WGS-84, -180..180. */
export const lon = numberBetween('longitude', -180, 180);

/** Latitude in degrees, WGS-84, -90..90. */
export const lat = numberBetween('latitude', -90, 90);

/** A position as `[lon, lat]` (WGS-84), the order used everywhere in Wardmap. */
export const lonLat = z.tuple([lon, lat], {
  error: (iss) =>
    iss.input === undefined ? undefined : `expected [longitude, latitude] (got ${showInput(iss.input)})`,
});
export type LonLat = z.infer<typeof lonLat>;

// Epoch values below this are 1973 in milliseconds but 5138 in seconds: almost surely seconds by mistake.
const MIN_EPOCH_MS = 1e11;
const MAX_EPOCH_MS = 8.64e15; // the largest instant a JS Date can hold

const isoDateTime = z.iso.datetime({
  offset: true,
  error: (iss) =>
    iss.input === undefined
      ? undefined
      : `timestamp must be ISO-8601 with a time zone, e.g. 2024-06-01T08:00:00Z (got ${showInput(iss.input)})`,
});
const epochMs = z
  .number()
  .min(MIN_EPOCH_MS, {
    error: (iss) =>
      `timestamp must be epoch milliseconds (got ${showInput(iss.input)}, which looks like seconds)`,
  })
  .max(MAX_EPOCH_MS, { error: (iss) => `timestamp is out of range (got ${showInput(iss.input)})` });

/**
 * An instant: accepts an ISO-8601 date-time with `Z` or an offset, or epoch milliseconds; outputs a
 * normalised UTC ISO string (`2024-06-01T00:00:00.000Z`), which is JSON-safe and sorts as text.
 * A codec rather than a transform, so JSON Schema / OpenAPI can describe both input and output.
 */
export const timestamp = z.codec(
  z.union([isoDateTime, epochMs], {
    error: (iss) =>
      iss.input === undefined
        ? undefined
        : `timestamp must be an ISO-8601 string or epoch milliseconds (got ${showInput(iss.input)})`,
  }),
  z.iso.datetime(),
  { decode: (value) => new Date(value).toISOString(), encode: (iso) => iso },
);
export type Timestamp = z.output<typeof timestamp>;

/** A message id used for idempotent ingest: 1..128 characters of letters, digits and `. _ : -`. */
export const messageId = z.string().regex(/^[A-Za-z0-9._:-]{1,128}$/, {
  error: (iss) =>
    `message id must be 1-128 characters of letters, digits, '.', '_', ':' or '-' (got ${showInput(iss.input)})`,
});
export type MessageId = z.infer<typeof messageId>;

/** An entity id (person, camera, grid, ...): 1..64 characters, starting with a letter or digit, then letters, digits, `. _ -`. */
export const id = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, {
  error: (iss) =>
    `id must be 1-64 characters of letters, digits, '.', '_' or '-', starting with a letter or digit (got ${showInput(iss.input)})`,
});
export type Id = z.infer<typeof id>;

/** A display name: trimmed, 1..200 characters. */
export const displayName = z.string().trim().min(1).max(200);

/** An http(s) URL; other schemes (javascript:, data:) are refused because the dashboard renders these as links. */
export const httpUrl = z.url({
  protocol: /^https?$/,
  error: (iss) => `must be an http(s) URL (got ${showInput(iss.input)})`,
});

/**
 * Where a report's photo is: an http(s) URL, or `/api/photos/<id>` for a photo uploaded to Wardmap
 * itself (served only to those who may see the report).
 */
export const photoUrl = z.union([z.string().regex(/^\/api\/photos\/[A-Za-z0-9_-]{1,64}$/), httpUrl], {
  error: (iss) =>
    iss.input === undefined
      ? undefined
      : `photoUrl must be an http(s) URL or /api/photos/<id> (got ${showInput(iss.input)})`,
});

/** A compass bearing in degrees, 0..360 (both ends allowed). */
export const heading = numberBetween('heading', 0, 360);

/**
 * `[minLon, minLat, maxLon, maxLat]`. Boxes crossing the antimeridian (minLon > maxLon) are refused:
 * Wardmap's area never crosses it and SQL envelopes stay simple.
 */
export const bbox = z
  .tuple([lon, lat, lon, lat], {
    error: (iss) =>
      iss.input === undefined
        ? undefined
        : `bbox must be [minLon, minLat, maxLon, maxLat] (got ${showInput(iss.input)})`,
  })
  .refine(([minLon, , maxLon]) => minLon <= maxLon, { error: 'bbox minLon must not exceed maxLon' })
  .refine(([, minLat, , maxLat]) => minLat <= maxLat, { error: 'bbox minLat must not exceed maxLat' });
export type BBox = z.infer<typeof bbox>;

/** A bbox written as a query parameter, `minLon,minLat,maxLon,maxLat`; outputs the tuple. */
export const bboxParam = z
  .string()
  .transform((text) => text.split(',').map((part) => (part.trim() === '' ? Number.NaN : Number(part))))
  .pipe(bbox);

// Route params arrive as strings; accept canonical non-negative integer strings as numbers.
const intParam = (schema: z.ZodNumber) =>
  z.preprocess((v) => (typeof v === 'string' && /^(0|[1-9]\d{0,9})$/.test(v) ? Number(v) : v), schema);

/** Tile coordinates `{z, x, y}` (XYZ scheme): z 0..22, x and y integers in 0..2^z-1; numeric strings accepted. */
export const tileCoord = z
  .object({
    z: intParam(z.number().int().min(0).max(22)),
    x: intParam(z.number().int().min(0)),
    y: intParam(z.number().int().min(0)),
  })
  .superRefine((t, ctx) => {
    const size = 2 ** t.z;
    for (const key of ['x', 'y'] as const) {
      if (t[key] >= size) {
        ctx.addIssue({
          code: 'custom',
          path: [key],
          message: `${key} must be below 2^z = ${size} at zoom ${t.z} (got ${t[key]})`,
        });
      }
    }
  });
export type TileCoord = z.infer<typeof tileCoord>;

/** Low / medium / high, shared by river issues and incidents. */
export const SeveritySchema = z.enum(['low', 'medium', 'high']);
export type Severity = z.infer<typeof SeveritySchema>;
