import { describe, expect, it } from 'vitest';
import { fastCheckinItem } from './checkin-fast.ts';
import { adaptCheckinWithSchema } from './native.ts';

const base = { id: 'c-1', location: [121.62, 29.75], at: 1717228800000 };

// Accepted by both paths: the fast path must give exactly the schema's item.
const valid: unknown[] = [
  base,
  { ...base, at: '2024-06-01T08:00:00Z' },
  { ...base, at: '2024-06-01T16:00:00.123+08:00' },
  { ...base, kind: 'start', patrolId: 'gp-1' },
  { ...base, kind: 'checkpoint', checkpointId: 'cp.7' },
  { ...base, kind: 'end' },
  { ...base, accuracy: 0, battery: 100, altitude: -12.5, speed: 0, heading: 360 },
  { ...base, accuracy: 5.5, battery: 0, altitude: 3000, speed: 1.2, heading: 0 },
  { ...base, location: [-180, -90] },
  { ...base, location: [180, 90] },
  { ...base, id: 'a'.repeat(128) },
  { ...base, id: 'run:1.2_3-4' },
  { ...base, extra: 'dropped', nested: { x: 1 } },
];

// Refused by the schema: the fast path must not accept any of them.
const invalid: unknown[] = [
  null,
  [],
  'text',
  42,
  {},
  { ...base, id: '' },
  { ...base, id: 'a'.repeat(129) },
  { ...base, id: 'has space' },
  { ...base, id: 7 },
  { ...base, location: [121.6] },
  { ...base, location: [121.6, 29.7, 3] },
  { ...base, location: [181, 29.7] },
  { ...base, location: [121.6, 91] },
  { ...base, location: ['121.6', 29.7] },
  { ...base, location: { lon: 121.6, lat: 29.7 } },
  { ...base, at: 1717228800 },
  { ...base, at: 9e15 },
  { ...base, at: '2024-06-01 08:00' },
  { ...base, at: '2024-06-01T08:00:00' },
  { ...base, at: null },
  { ...base, at: undefined },
  { ...base, kind: 'enter' },
  { ...base, kind: null },
  { ...base, accuracy: -1 },
  { ...base, battery: 101 },
  { ...base, battery: '80' },
  { ...base, battery: null },
  { ...base, altitude: 'high' },
  { ...base, speed: -0.1 },
  { ...base, heading: 361 },
  { ...base, patrolId: '-bad' },
  { ...base, patrolId: 'x'.repeat(65) },
  { ...base, checkpointId: 3 },
  { ...base, personId: 'p-2' },
];

describe('fast check-in path', () => {
  it('gives exactly the schema path item for well-formed check-ins', () => {
    for (const data of valid) {
      const slow = adaptCheckinWithSchema('p-1', data);
      expect(slow.ok, JSON.stringify(data)).toBe(true);
      expect(fastCheckinItem('p-1', data), JSON.stringify(data)).toEqual(slow.ok ? slow.item : undefined);
    }
  });

  it('never accepts what the schema refuses', () => {
    for (const data of invalid) {
      expect(adaptCheckinWithSchema('p-1', data).ok, JSON.stringify(data)).toBe(false);
      expect(fastCheckinItem('p-1', data), JSON.stringify(data)).toBeUndefined();
    }
  });

  it('leaves a check-in naming its person to the schema path (which checks it against the topic)', () => {
    const data = { ...base, personId: 'p-1' };
    expect(fastCheckinItem('p-1', data)).toBeUndefined();
    expect(adaptCheckinWithSchema('p-1', data)).toMatchObject({ ok: true, item: { personId: 'p-1' } });
  });
});
