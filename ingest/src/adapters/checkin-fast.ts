import { timestamp } from '@wardmap/geo';
import type { CheckinItem, CheckinKindStored } from '../items.ts';

// The native check-in is most of the traffic, and validating it through the zod object schema
// costs several times the rest of decoding (and most of its garbage). This checks the common,
// well-formed shape by hand and builds the item directly. It only ever *accepts*: anything it is
// not sure about (a missing or odd field, a personId, ...) returns undefined and goes through
// CheckinSchema, which gives the reason. decode.test.ts holds both paths to the same output.

const MESSAGE_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
// Same bounds as `timestamp` in geo for epoch milliseconds.
const MIN_EPOCH_MS = 1e11;
const MAX_EPOCH_MS = 8.64e15;
const KINDS: ReadonlySet<string> = new Set(['location', 'start', 'end', 'checkpoint']);

const num = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

/** Optional number in [min, max]: null when absent, undefined when present but not acceptable. */
function optionalNumber(v: unknown, min: number, max: number): number | null | undefined {
  if (v === undefined) return null;
  return num(v) && v >= min && v <= max ? v : undefined;
}

function optionalId(v: unknown): string | null | undefined {
  if (v === undefined) return null;
  return typeof v === 'string' && ID.test(v) ? v : undefined;
}

/** The check-in item for `data` on `wardmap/checkin/<personId>`, or undefined to let zod decide. */
export function fastCheckinItem(personId: string, data: unknown): CheckinItem | undefined {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) return undefined;
  const d = data as Record<string, unknown>;
  if (d.personId !== undefined) return undefined;
  const id = d.id;
  if (typeof id !== 'string' || !MESSAGE_ID.test(id)) return undefined;
  const loc = d.location;
  if (!Array.isArray(loc) || loc.length !== 2) return undefined;
  const lon = loc[0];
  const lat = loc[1];
  if (!num(lon) || lon < -180 || lon > 180 || !num(lat) || lat < -90 || lat > 90) return undefined;
  const rawAt = d.at;
  let at: string;
  if (num(rawAt)) {
    if (rawAt < MIN_EPOCH_MS || rawAt > MAX_EPOCH_MS) return undefined;
    at = new Date(rawAt).toISOString();
  } else if (typeof rawAt === 'string') {
    // ISO text has many valid spellings: the shared field schema alone decides it.
    const parsed = timestamp.safeParse(rawAt);
    if (!parsed.success) return undefined;
    at = parsed.data;
  } else return undefined;
  const kind = d.kind === undefined ? 'location' : d.kind;
  if (typeof kind !== 'string' || !KINDS.has(kind)) return undefined;
  const accuracy = optionalNumber(d.accuracy, 0, Infinity);
  const battery = optionalNumber(d.battery, 0, 100);
  const altitude = optionalNumber(d.altitude, -Infinity, Infinity);
  const speed = optionalNumber(d.speed, 0, Infinity);
  const heading = optionalNumber(d.heading, 0, 360);
  const patrolId = optionalId(d.patrolId);
  const region = optionalId(d.checkpointId);
  if (
    accuracy === undefined ||
    battery === undefined ||
    altitude === undefined ||
    speed === undefined ||
    heading === undefined ||
    patrolId === undefined ||
    region === undefined
  )
    return undefined;
  return {
    type: 'checkin',
    messageId: id,
    personId,
    device: null,
    source: 'native',
    kind: kind as CheckinKindStored,
    lon,
    lat,
    accuracy,
    battery,
    altitude,
    speed,
    heading,
    at,
    patrolId,
    region,
  };
}
