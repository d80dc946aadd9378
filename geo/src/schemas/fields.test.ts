import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { bbox, bboxParam, id, lat, lon, lonLat, messageId, tileCoord, timestamp } from './fields.ts';

describe('lon / lat / lonLat', () => {
  it('accepts the Dongqian Lake centre and the extremes', () => {
    expect(lonLat.parse([121.64, 29.77])).toEqual([121.64, 29.77]);
    expect(lon.parse(-180)).toBe(-180);
    expect(lat.parse(90)).toBe(90);
  });

  it('rejects latitude 91 with a readable reason', () => {
    expect(parseOrReason(lonLat, [121.64, 91])).toEqual({
      ok: false,
      reason: '1: latitude must be between -90 and 90 (got 91)',
    });
  });

  it('rejects longitude 181, NaN and a numeric string', () => {
    expect(parseOrReason(lon, 181)).toMatchObject({
      reason: 'longitude must be between -180 and 180 (got 181)',
    });
    expect(lon.safeParse(Number.NaN).success).toBe(false);
    expect(parseOrReason(lat, '29.7')).toMatchObject({ reason: 'latitude must be a number (got "29.7")' });
  });

  it('rejects a position with the wrong arity', () => {
    expect(lonLat.safeParse([121.64]).success).toBe(false);
    expect(lonLat.safeParse([121.64, 29.77, 3]).success).toBe(false);
  });
});

describe('timestamp', () => {
  it('normalises an ISO string with an offset to UTC', () => {
    expect(timestamp.parse('2024-06-01T08:00:00+08:00')).toBe('2024-06-01T00:00:00.000Z');
  });

  it('normalises epoch milliseconds to an ISO string', () => {
    expect(timestamp.parse(1717200000000)).toBe('2024-06-01T00:00:00.000Z');
  });

  it('rejects an ISO string without a time zone', () => {
    const r = parseOrReason(timestamp, '2024-06-01T08:00:00');
    expect(r).toMatchObject({ ok: false });
    expect(!r.ok && r.reason).toContain('ISO-8601 with a time zone');
  });

  it('rejects epoch seconds, saying they look like seconds', () => {
    expect(parseOrReason(timestamp, 1717200000)).toMatchObject({
      reason: 'timestamp must be epoch milliseconds (got 1717200000, which looks like seconds)',
    });
  });

  it('rejects a boolean and free text', () => {
    expect(timestamp.safeParse(true).success).toBe(false);
    expect(timestamp.safeParse('yesterday').success).toBe(false);
  });
});

describe('messageId and id', () => {
  it('accepts typical message ids, including generated OwnTracks and Frigate ones', () => {
    for (const value of [
      'm1',
      'ot:p-001:phone:1717200000:location',
      'fr:1718191234.567891-ab12cd:new:1718191240.1',
    ]) {
      expect(messageId.parse(value)).toBe(value);
    }
  });

  it('rejects empty, spaced and over-long message ids', () => {
    expect(messageId.safeParse('').success).toBe(false);
    expect(messageId.safeParse('a b').success).toBe(false);
    expect(messageId.safeParse('x'.repeat(129)).success).toBe(false);
    expect(messageId.safeParse('x'.repeat(128)).success).toBe(true);
  });

  it('accepts entity ids and rejects ones starting with punctuation or too long', () => {
    expect(id.parse('grid-07.b_2')).toBe('grid-07.b_2');
    expect(id.safeParse('-grid').success).toBe(false);
    expect(id.safeParse('a:b').success).toBe(false);
    expect(id.safeParse('a'.repeat(65)).success).toBe(false);
    expect(id.safeParse('a'.repeat(64)).success).toBe(true);
  });
});

describe('bbox', () => {
  it('accepts a box around the lake', () => {
    expect(bbox.parse([121.5, 29.7, 121.8, 29.9])).toEqual([121.5, 29.7, 121.8, 29.9]);
  });

  it('rejects an inverted box', () => {
    expect(parseOrReason(bbox, [121.8, 29.7, 121.5, 29.9])).toMatchObject({
      reason: 'bbox minLon must not exceed maxLon',
    });
    expect(bbox.safeParse([121.5, 29.9, 121.8, 29.7]).success).toBe(false);
  });

  it('rejects a box with latitude out of range, naming the index', () => {
    const r = parseOrReason(bbox, [121.5, -91, 121.8, 29.9]);
    expect(!r.ok && r.reason).toBe('1: latitude must be between -90 and 90 (got -91)');
  });

  it('parses a comma-separated query parameter', () => {
    expect(bboxParam.parse('121.5,29.7,121.8,29.9')).toEqual([121.5, 29.7, 121.8, 29.9]);
    expect(bboxParam.safeParse('121.5,29.7,121.8').success).toBe(false);
    expect(bboxParam.safeParse('121.5,,121.8,29.9').success).toBe(false);
  });
});

describe('tileCoord', () => {
  it('accepts numbers and route-param strings', () => {
    expect(tileCoord.parse({ z: 0, x: 0, y: 0 })).toEqual({ z: 0, x: 0, y: 0 });
    expect(tileCoord.parse({ z: '14', x: '13726', y: '6750' })).toEqual({ z: 14, x: 13726, y: 6750 });
  });

  it('rejects x beyond 2^z, naming x', () => {
    const r = parseOrReason(tileCoord, { z: 3, x: 8, y: 0 });
    expect(!r.ok && r.reason).toBe('x: x must be below 2^z = 8 at zoom 3 (got 8)');
  });

  it('rejects zoom 23, fractions, negatives and non-canonical strings', () => {
    expect(tileCoord.safeParse({ z: 23, x: 0, y: 0 }).success).toBe(false);
    expect(tileCoord.safeParse({ z: 2, x: 1.5, y: 0 }).success).toBe(false);
    expect(tileCoord.safeParse({ z: 2, x: -1, y: 0 }).success).toBe(false);
    expect(tileCoord.safeParse({ z: '2', x: '01', y: '0' }).success).toBe(false);
    expect(tileCoord.safeParse({ z: '', x: '0', y: '0' }).success).toBe(false);
  });
});
