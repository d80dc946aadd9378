import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { OwnTracksMessageSchema, ownTracksTime, stableOwnTracksMessageId } from './owntracks.ts';

function reasonOf(data: unknown): string {
  const r = parseOrReason(OwnTracksMessageSchema, data);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

// As an Android phone sends it through an HTTP bridge: numbers as strings, acc/vel/cog omitted.
const androidLocation = {
  _type: 'location',
  BSSID: 'b0:be:76:aa:01:02',
  SSID: 'DongqianLake-Guest',
  alt: '12',
  batt: '87',
  bs: 1,
  conn: 'w',
  created_at: 1717200005,
  lat: '29.7712345',
  lon: '121.6401234',
  m: 1,
  t: 'u',
  tid: 'p1',
  topic: 'owntracks/p-001/phone',
  tst: '1717200000',
  vac: 3,
  inregions: ['grid-07'],
  _id: 'f3a1b2c4',
};

describe('OwnTracks location', () => {
  it('accepts a location with string numbers and missing acc/vel, converting the numbers', () => {
    const msg = OwnTracksMessageSchema.parse(androidLocation);
    expect(msg._type).toBe('location');
    if (msg._type !== 'location') return;
    expect(msg.lat).toBe(29.7712345);
    expect(msg.lon).toBe(121.6401234);
    expect(msg.tst).toBe(1717200000);
    expect(msg.batt).toBe(87);
    expect(msg.alt).toBe(12);
    expect(msg.acc).toBeUndefined();
    expect(msg.vel).toBeUndefined();
    expect(msg.cog).toBeUndefined();
  });

  it('keeps unknown fields instead of rejecting them', () => {
    const msg = OwnTracksMessageSchema.parse({ ...androidLocation, newField2030: { a: 1 } });
    expect(msg).toMatchObject({ _id: 'f3a1b2c4', newField2030: { a: 1 } });
  });

  it('accepts a minimal iOS location with plain numbers', () => {
    const msg = OwnTracksMessageSchema.parse({
      _type: 'location',
      acc: 5,
      alt: 8,
      batt: 64,
      cog: 270,
      lat: 29.7698,
      lon: 121.6377,
      tid: 'ip',
      tst: 1717200123,
      vel: 4,
      vac: 2,
      t: 'p',
    });
    expect(msg).toMatchObject({ acc: 5, vel: 4, cog: 270 });
  });

  it('rejects a location without tst, naming tst', () => {
    const { tst: _omit, ...noTst } = androidLocation;
    expect(reasonOf(noTst)).toBe('tst: is required (expected number)');
  });

  it('rejects latitude 91, naming lat', () => {
    expect(reasonOf({ ...androidLocation, lat: 91 })).toBe(
      'lat: latitude must be between -90 and 90 (got 91)',
    );
  });

  it('rejects a latitude that is not numeric text, naming lat', () => {
    expect(reasonOf({ ...androidLocation, lat: 'north' })).toBe(
      'lat: latitude must be a number (got "north")',
    );
  });

  it('rejects an empty-string longitude instead of treating it as 0', () => {
    expect(reasonOf({ ...androidLocation, lon: '' })).toContain('lon:');
  });

  it('rejects a tst in milliseconds, saying so', () => {
    expect(reasonOf({ ...androidLocation, tst: 1717200000000 })).toContain('tst: tst must be Unix seconds');
    expect(reasonOf({ ...androidLocation, tst: 1717200000000 })).toContain('looks like milliseconds');
  });
});

describe('OwnTracks transition and lwt', () => {
  it('accepts a region transition', () => {
    const msg = OwnTracksMessageSchema.parse({
      _type: 'transition',
      acc: 10,
      desc: 'Police post 3',
      event: 'enter',
      lat: 29.7701,
      lon: 121.6399,
      rid: 'a1b2c3',
      t: 'c',
      tid: 'p1',
      tst: 1717200300,
      wtst: 1717000000,
    });
    expect(msg).toMatchObject({ _type: 'transition', event: 'enter', wtst: 1717000000 });
  });

  it('rejects a transition event other than enter/leave, naming event', () => {
    expect(reasonOf({ _type: 'transition', event: 'stay', tst: 1717200300 })).toMatch(/^event: /);
  });

  it('accepts an lwt', () => {
    expect(OwnTracksMessageSchema.parse({ _type: 'lwt', tst: 1717190000 })).toEqual({
      _type: 'lwt',
      tst: 1717190000,
    });
  });
});

describe('OwnTracks unsupported types', () => {
  it('rejects a waypoint with a reason naming the type', () => {
    expect(
      reasonOf({ _type: 'waypoint', desc: 'Home', lat: 29.7, lon: 121.6, rad: 50, tst: 1717200000 }),
    ).toBe(
      `_type: unsupported OwnTracks message type "waypoint" (expected 'location' | 'transition' | 'lwt')`,
    );
  });

  it('rejects a payload without _type', () => {
    expect(reasonOf({ lat: 29.7, lon: 121.6, tst: 1717200000 })).toContain(
      '_type: OwnTracks message type is required',
    );
  });

  it('rejects a non-object payload', () => {
    expect(OwnTracksMessageSchema.safeParse('hello').success).toBe(false);
  });
});

describe('stableOwnTracksMessageId', () => {
  it('is ot:<user>:<device>:<tst>:<_type>', () => {
    expect(stableOwnTracksMessageId('p-001', 'phone', { _type: 'location', tst: 1717200000 })).toBe(
      'ot:p-001:phone:1717200000:location',
    );
  });

  it('gives the same id for a redelivered fix', () => {
    const a = OwnTracksMessageSchema.parse(androidLocation);
    const b = OwnTracksMessageSchema.parse({ ...androidLocation, batt: '86' });
    expect(stableOwnTracksMessageId('p-001', 'phone', a)).toBe(stableOwnTracksMessageId('p-001', 'phone', b));
  });

  it('replaces characters a message id cannot hold', () => {
    expect(stableOwnTracksMessageId('p-001', 'Li Lei’s phone', { _type: 'lwt', tst: 1 })).toBe(
      'ot:p-001:Li_Lei_s_phone:1:lwt',
    );
  });
});

describe('ownTracksTime', () => {
  it('converts Unix seconds to an ISO string', () => {
    expect(ownTracksTime(1717200000)).toBe('2024-06-01T00:00:00.000Z');
  });
});
