import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { RiverSegmentSchema } from './river-segment.ts';

const line = {
  type: 'LineString',
  coordinates: [
    [121.6, 29.78],
    [121.61, 29.785],
    [121.62, 29.79],
  ],
};
const valid = {
  id: 'rs-12',
  name: '前塘河（莫枝段）',
  riverId: 'r-qiantang',
  chiefId: 'rc-03',
  level: 'village',
  geometry: line,
};

describe('RiverSegmentSchema', () => {
  it('accepts a line and a multi-line segment', () => {
    expect(RiverSegmentSchema.parse(valid)).toEqual(valid);
    const multi = { type: 'MultiLineString', coordinates: [line.coordinates, line.coordinates] };
    expect(RiverSegmentSchema.parse({ ...valid, level: 'enterprise', geometry: multi }).geometry.type).toBe(
      'MultiLineString',
    );
  });

  it('rejects an unknown chief level, naming level', () => {
    const r = parseOrReason(RiverSegmentSchema, { ...valid, level: 'city' });
    expect(!r.ok && r.reason).toMatch(/^level: .*\(got "city"\)/);
  });

  it('rejects a polygon geometry, naming geometry.type', () => {
    const polygon = { type: 'Polygon', coordinates: [[...line.coordinates, line.coordinates[0]]] };
    const r = parseOrReason(RiverSegmentSchema, { ...valid, geometry: polygon });
    expect(!r.ok && r.reason).toMatch(/^geometry\.type: unsupported line geometry type "Polygon"/);
  });
});
