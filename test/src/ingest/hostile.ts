// Generators of hostile payloads for every topic family (and the HTTP bodies that carry the same
// shapes): a valid message with one field replaced by deep nesting, a huge string, an odd number
// literal or arbitrary JSON, or the whole payload corrupted into invalid UTF-8. Shared by the
// property tests and the fault suite's stall scenario.
import fc from 'fast-check';

const HOLE = '\u0000HOLE\u0000';

/** A topic family: where it is published, a valid body, and the fields worth breaking. */
export interface Family {
  name: string;
  topic: string;
  /** A valid body for message number `k` (unique ids), with device time `at` (ISO). */
  body(k: number, at: string): Record<string, unknown>;
  /** Paths (dotted) of fields to replace. */
  fields: string[];
}

const lake = [121.6202, 29.7505];

export const FAMILIES: Family[] = [
  {
    name: 'checkin',
    topic: 'wardmap/checkin/p-0002',
    body: (k, at) => ({ id: `hp-ck-${k}`, location: lake, at, battery: 50, accuracy: 5 }),
    fields: ['id', 'location', 'location.0', 'at', 'battery', 'kind', 'personId', 'patrolId'],
  },
  {
    name: 'camera-alert',
    topic: 'wardmap/camera/cam-001/alert',
    body: (k, at) => ({ id: `hp-ca-${k}`, label: 'person', score: 0.8, at, zones: ['gate'] }),
    fields: ['id', 'label', 'score', 'at', 'zones', 'snapshotUrl', 'state'],
  },
  {
    name: 'river-report',
    topic: 'wardmap/river/seg-01/report',
    body: (k, at) => ({ id: `hp-rr-${k}`, type: 'issue', issue: 'garbage', count: 2, location: lake, at }),
    fields: ['id', 'type', 'issue', 'count', 'note', 'location', 'at', 'photoUrl'],
  },
  {
    name: 'owntracks-location',
    topic: 'owntracks/p-0002/phone',
    body: (k, at) => ({
      _type: 'location',
      lat: lake[1],
      lon: lake[0],
      tst: Math.floor(Date.parse(at) / 1000) - (k % 1000),
      tid: 'ph',
      acc: 5,
    }),
    fields: ['_type', 'lat', 'lon', 'tst', 'acc', 'batt', 'inregions'],
  },
  {
    name: 'owntracks-transition',
    topic: 'owntracks/p-0002/phone/event',
    body: (k, at) => ({
      _type: 'transition',
      event: 'enter',
      desc: `gate-${k}`,
      lat: lake[1],
      lon: lake[0],
      tst: Math.floor(Date.parse(at) / 1000) - (k % 1000),
      wtst: 1_700_000_000,
      acc: 5,
    }),
    fields: ['event', 'desc', 'lat', 'tst', 'wtst'],
  },
  {
    name: 'frigate-event',
    topic: 'frigate/events',
    body: (k, at) => {
      const t = Date.parse(at) / 1000;
      const side = { id: `hp-fr-${k}`, camera: 'cam-001', frame_time: t, label: 'person', start_time: t - 5 };
      return { type: 'new', before: side, after: { ...side, sub_label: null, score: 0.8, zones: [] } };
    },
    fields: [
      'type',
      'after.sub_label',
      'after.label',
      'after.frame_time',
      'after.zones',
      'before',
      'after.id',
    ],
  },
];

/** Raw JSON text to put where a field was: the kinds of value the fault run found dangerous. */
export const hostileValue: fc.Arbitrary<string> = fc.oneof(
  // Deep nesting: arrays or objects thousands of levels deep (the stack-overflow stall).
  fc
    .tuple(fc.integer({ min: 1, max: 30_000 }), fc.boolean())
    .map(([n, arrays]) =>
      arrays ? `${'['.repeat(n)}1${']'.repeat(n)}` : `${'{"a":'.repeat(n)}1${'}'.repeat(n)}`,
    ),
  // Huge strings, some past the payload limit.
  fc
    .tuple(fc.integer({ min: 100, max: 70_000 }), fc.constantFrom('x', 'é', '界', '😀', '\\u0000', '"'))
    .map(([n, ch]) => JSON.stringify((ch === '"' ? '\\"' : ch).repeat(Math.ceil(n / 4)))),
  // Odd numbers: overflow to Infinity, underflow, negative zero, beyond 2^53, long mantissas.
  fc.constantFrom(
    '1e400',
    '-1e400',
    '-0',
    '1e-400',
    '9007199254740993',
    '123456789012345678901234567890',
    '0.30000000000000004',
    '1E308',
    '-1.7976931348623157e308',
    '5e-324',
    '86400000000000001',
    '253402300800000',
  ),
  // Anything JSON at all.
  fc.json({ maxDepth: 4 }),
);

/** One hostile message: family, topic and raw bytes. */
export interface HostileMessage {
  family: string;
  topic: string;
  payload: Buffer;
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let cur: Record<string, unknown> = obj;
  for (const key of keys.slice(0, -1)) {
    const next = cur[key];
    if (typeof next !== 'object' || next === null) return;
    cur = next as Record<string, unknown>;
  }
  cur[keys[keys.length - 1] as string] = value;
}

/** Builds family `f`'s message `k` with `field` replaced by the raw JSON `value`. */
export function withHostileField(f: Family, k: number, at: string, field: string, value: string): Buffer {
  const body = structuredClone(f.body(k, at));
  setPath(body, field, HOLE);
  return Buffer.from(JSON.stringify(body).replace(JSON.stringify(HOLE), value));
}

/** Corrupts a payload into invalid UTF-8 (a lone continuation byte, an overlong form or 0xFF). */
export function invalidUtf8(payload: Buffer, at: number, kind: number): Buffer {
  const bad = [
    Buffer.from([0x80]),
    Buffer.from([0xc0, 0xaf]),
    Buffer.from([0xff]),
    Buffer.from([0xed, 0xa0, 0x80]),
  ][kind % 4] as Buffer;
  const i = Math.min(Math.max(0, at), payload.length);
  return Buffer.concat([payload.subarray(0, i), bad, payload.subarray(i)]);
}

/** Arbitrary hostile (or, sometimes, plain valid) messages across every family. */
export function hostileMessage(at: string, topicPrefix = ''): fc.Arbitrary<HostileMessage> {
  return fc
    .record({
      f: fc.constantFrom(...FAMILIES),
      k: fc.nat({ max: 1_000_000_000 }),
      field: fc.nat(),
      value: hostileValue,
      mode: fc.constantFrom('field', 'field', 'field', 'utf8', 'valid'),
      cut: fc.nat({ max: 400 }),
    })
    .map(({ f, k, field, value, mode, cut }) => {
      const name = f.fields[field % f.fields.length] as string;
      const valid = Buffer.from(JSON.stringify(f.body(k, at)));
      const payload =
        mode === 'valid'
          ? valid
          : mode === 'utf8'
            ? invalidUtf8(valid, cut % valid.length, cut)
            : withHostileField(f, k, at, name, value);
      return { family: f.name, topic: `${topicPrefix}${f.topic}`, payload };
    });
}

/** The stall payload of the fault run: a check-in whose location is an array nested `depth` deep. */
export function stallPayload(k: number, at: string, depth = 6000): Buffer {
  return withHostileField(
    FAMILIES[0] as Family,
    k,
    at,
    'location',
    `${'['.repeat(depth)}1${']'.repeat(depth)}`,
  );
}
