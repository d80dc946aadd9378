import { z } from 'zod';
import { showInput, unknownDiscriminator } from './errors.ts';
import { lat, lon } from './fields.ts';

// OwnTracks (and some HTTP bridges in front of it) sometimes send numbers as strings ("lat":"29.77").
// Only clean decimal strings are converted; z.coerce would also turn "", null and true into numbers.
const NUMERIC = /^\s*-?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;
function numeric<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (typeof v === 'string' && NUMERIC.test(v) ? Number(v) : v), schema);
}

// Values this large are milliseconds, not the seconds OwnTracks specifies (1e11 s is the year 5138).
const MAX_EPOCH_SECONDS = 1e11;
const epochSeconds = (label: string) =>
  numeric(
    z
      .number()
      .int({ error: (iss) => `${label} must be whole Unix seconds (got ${showInput(iss.input)})` })
      .min(0, { error: (iss) => `${label} must be Unix seconds (got ${showInput(iss.input)})` })
      .max(MAX_EPOCH_SECONDS, {
        error: (iss) =>
          `${label} must be Unix seconds (got ${showInput(iss.input)}, which looks like milliseconds)`,
      }),
  );

const optionalNumber = numeric(z.number()).optional();

/**
 * OwnTracks `location`. Fields OwnTracks omits when zero or unknown (acc, alt, vel, cog, ...) stay
 * `undefined` rather than defaulting to 0, so "unknown" is never mistaken for "exactly 0".
 * Unknown fields are kept.
 */
export const OwnTracksLocationSchema = z.looseObject({
  _type: z.literal('location'),
  lat: numeric(lat),
  lon: numeric(lon),
  /** Time of the fix, Unix seconds. */
  tst: epochSeconds('tst'),
  /** Horizontal accuracy, metres. */
  acc: optionalNumber,
  /** Altitude, metres. */
  alt: optionalNumber,
  /** Vertical accuracy, metres. */
  vac: optionalNumber,
  /** Speed, km/h (not m/s). */
  vel: optionalNumber,
  /** Course over ground, degrees. */
  cog: optionalNumber,
  /** Battery, percent. */
  batt: optionalNumber,
  /** Battery status: 0 unknown, 1 unplugged, 2 charging, 3 full. */
  bs: optionalNumber,
  /** Barometric pressure, kPa. */
  p: optionalNumber,
  /** Radius of the region, metres. */
  rad: optionalNumber,
  /** Tracker id, usually two characters. */
  tid: z.string().optional(),
  /** Trigger: p ping, c region, b beacon, r response, u manual, t timer, v frequent locations. */
  t: z.string().optional(),
  /** Connectivity: w wifi, o offline, m mobile. */
  conn: z.string().optional(),
  /** Monitoring mode. */
  m: optionalNumber,
  inregions: z.array(z.string()).optional(),
  inrids: z.array(z.string()).optional(),
  SSID: z.string().optional(),
  BSSID: z.string().optional(),
  /** When the message was built (Unix seconds); differs from tst when sent late. */
  created_at: epochSeconds('created_at').optional(),
  topic: z.string().optional(),
  poi: z.string().optional(),
  tag: z.string().optional(),
});
export type OwnTracksLocation = z.infer<typeof OwnTracksLocationSchema>;

/** OwnTracks `transition`: the device entered or left a region (waypoint). */
export const OwnTracksTransitionSchema = z.looseObject({
  _type: z.literal('transition'),
  event: z.enum(['enter', 'leave']),
  tst: epochSeconds('tst'),
  /** When the region (waypoint) was created, Unix seconds; with `desc` it identifies the region. */
  wtst: epochSeconds('wtst').optional(),
  lat: numeric(lat).optional(),
  lon: numeric(lon).optional(),
  acc: optionalNumber,
  desc: z.string().optional(),
  rid: z.string().optional(),
  tid: z.string().optional(),
  /** Trigger: c circular region, b beacon, l location. */
  t: z.string().optional(),
});
export type OwnTracksTransition = z.infer<typeof OwnTracksTransitionSchema>;

/** OwnTracks `lwt` (last will): the broker publishes it when the device drops off; `tst` is when it connected. */
export const OwnTracksLwtSchema = z.looseObject({
  _type: z.literal('lwt'),
  tst: epochSeconds('tst'),
});
export type OwnTracksLwt = z.infer<typeof OwnTracksLwtSchema>;

/**
 * Any OwnTracks payload Wardmap ingests on `owntracks/<user>/<device>[/event]`. Other `_type`s
 * (waypoint, card, cmd, status, ...) are rejected with a reason naming the type.
 */
export const OwnTracksMessageSchema = z.discriminatedUnion(
  '_type',
  [OwnTracksLocationSchema, OwnTracksTransitionSchema, OwnTracksLwtSchema],
  { error: unknownDiscriminator('OwnTracks message type') },
);
export type OwnTracksMessage = z.infer<typeof OwnTracksMessageSchema>;

/** Converts OwnTracks Unix seconds to the UTC ISO string Wardmap uses for timestamps. */
export function ownTracksTime(tst: number): string {
  return new Date(tst * 1000).toISOString();
}

/**
 * The idempotency id of an OwnTracks message: `ot:<user>:<device>:<tst>:<_type>`. OwnTracks resends
 * a queued fix with the same tst, so redeliveries collapse. Characters a message id cannot hold
 * (topic levels may contain spaces) are replaced by `_`.
 */
export function stableOwnTracksMessageId(
  user: string,
  device: string,
  payload: Pick<OwnTracksMessage, '_type' | 'tst'>,
): string {
  const clean = (part: string) => part.replace(/[^A-Za-z0-9._-]/g, '_');
  return `ot:${clean(user)}:${clean(device)}:${payload.tst}:${payload._type}`;
}
