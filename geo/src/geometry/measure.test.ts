import { describe, expect, it } from 'vitest';
import { polygonAreaM2, ringSignedAreaM2 } from './area.ts';
import { bboxOf } from './bbox.ts';
import { haversineM, lineLengthM } from './distance.ts';
import { interpolateAlong, sampleAlong, sliceLine } from './interpolate.ts';
import { distanceToLineM } from './nearest.ts';
import { bearingDeg, offsetMetres, toLocalMetres } from './offset.ts';
import type { LonLat, PolygonGeometry } from './types.ts';

const origin: LonLat = [121.64, 29.77];

/** A square of `side` metres with its south-west corner at `sw`, counter-clockwise and closed. */
function square(sw: LonLat, side: number): PolygonGeometry {
  const ring = [sw, offsetMetres(sw, side, 0), offsetMetres(sw, side, side), offsetMetres(sw, 0, side), sw];
  return { type: 'Polygon', coordinates: [ring] };
}

describe('distances', () => {
  it('measures one degree of latitude as about 111.2 km', () => {
    expect(haversineM([121, 29], [121, 30])).toBeCloseTo(111_195, -1);
  });

  it('agrees with offsetMetres over a few kilometres', () => {
    expect(haversineM(origin, offsetMetres(origin, 3000, 4000))).toBeCloseTo(5000, 0);
    const [east, north] = toLocalMetres(origin, offsetMetres(origin, -1200, 800));
    expect(east).toBeCloseTo(-1200, 6);
    expect(north).toBeCloseTo(800, 6);
  });

  it('sums line legs and gives 0 for a single point', () => {
    const line = [origin, offsetMetres(origin, 1000, 0), offsetMetres(origin, 1000, 1000)];
    expect(lineLengthM(line)).toBeCloseTo(2000, 0);
    expect(lineLengthM([origin])).toBe(0);
  });

  it('reports compass bearings clockwise from north', () => {
    expect(bearingDeg(origin, offsetMetres(origin, 0, 100))).toBeCloseTo(0, 6);
    expect(bearingDeg(origin, offsetMetres(origin, 100, 0))).toBeCloseTo(90, 6);
    expect(bearingDeg(origin, offsetMetres(origin, -100, 0))).toBeCloseTo(270, 6);
  });

  it('measures the distance from a point to a line', () => {
    const line = [origin, offsetMetres(origin, 1000, 0)];
    expect(distanceToLineM(offsetMetres(origin, 500, 30), line)).toBeCloseTo(30, 3);
    expect(distanceToLineM(offsetMetres(origin, -40, 0), line)).toBeCloseTo(40, 3);
  });
});

describe('areas and boxes', () => {
  it('gives a 100 m square an area of 10,000 m², positive when counter-clockwise', () => {
    const sq = square(origin, 100);
    expect(polygonAreaM2(sq)).toBeCloseTo(10_000, 0);
    const ring = sq.coordinates[0] ?? [];
    expect(ringSignedAreaM2(ring)).toBeGreaterThan(0);
    expect(ringSignedAreaM2([...ring].reverse())).toBeLessThan(0);
  });

  it('subtracts holes', () => {
    const outer = square(origin, 100).coordinates[0] ?? [];
    const hole = square(offsetMetres(origin, 25, 25), 50).coordinates[0] ?? [];
    expect(polygonAreaM2({ type: 'Polygon', coordinates: [outer, hole] })).toBeCloseTo(7_500, 0);
  });

  it('boxes points, lines and polygons', () => {
    expect(bboxOf({ type: 'Point', coordinates: [1, 2] })).toEqual([1, 2, 1, 2]);
    expect(
      bboxOf({
        type: 'LineString',
        coordinates: [
          [3, 1],
          [1, 4],
        ],
      }),
    ).toEqual([1, 1, 3, 4]);
    expect(
      bboxOf({
        type: 'MultiPolygon',
        coordinates: [
          [
            [
              [0, 0],
              [2, 0],
              [2, 5],
              [0, 0],
            ],
          ],
        ],
      }),
    ).toEqual([0, 0, 2, 5]);
    expect(() => bboxOf({ type: 'LineString', coordinates: [] })).toThrow(/empty/);
  });
});

describe('walking along a line', () => {
  const line = [origin, offsetMetres(origin, 1000, 0), offsetMetres(origin, 1000, 1000)];

  it('interpolates positions by distance and clamps at the ends', () => {
    expect(haversineM(interpolateAlong(line, 1500), offsetMetres(origin, 1000, 500))).toBeLessThan(0.5);
    expect(interpolateAlong(line, -5)).toEqual(origin);
    expect(interpolateAlong(line, 99_999)).toEqual(line[2]);
  });

  it('slices a contiguous sub-line of the requested length, keeping inner vertices', () => {
    const part = sliceLine(line, 500, 1700);
    expect(lineLengthM(part)).toBeCloseTo(1200, 0);
    expect(part).toHaveLength(3);
    expect(part[1]).toEqual(line[1]);
  });

  it('samples a route every step metres including both ends', () => {
    const points = sampleAlong(line, 250);
    expect(points).toHaveLength(9);
    expect(points.at(-1)).toEqual(line[2]);
    expect(() => sampleAlong(line, 0)).toThrow(/positive/);
  });
});
