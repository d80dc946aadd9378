import { describe, expect, it } from 'vitest';
import { segmentIntersection, segmentsIntersect } from './intersect.ts';
import { lineIntersectsRing, ringsOverlap } from './overlap.ts';
import { pointInPolygon, pointInRing } from './point-in-polygon.ts';
import type { LonLat, PolygonGeometry } from './types.ts';
import { isRingClosed, isValidPolygon, polygonProblem } from './validity.ts';

const box = (x0: number, y0: number, x1: number, y1: number): LonLat[] => [
  [x0, y0],
  [x1, y0],
  [x1, y1],
  [x0, y1],
  [x0, y0],
];

describe('segment intersection', () => {
  it('detects crossing, touching and collinear overlap, and rejects near misses', () => {
    expect(segmentsIntersect([0, 0], [2, 2], [0, 2], [2, 0])).toBe(true);
    expect(segmentsIntersect([0, 0], [1, 1], [1, 1], [2, 0])).toBe(true);
    expect(segmentsIntersect([0, 0], [2, 0], [1, 0], [3, 0])).toBe(true);
    expect(segmentsIntersect([0, 0], [1, 0], [2, 0], [3, 0])).toBe(false);
    expect(segmentsIntersect([0, 0], [1, 1], [0, 1], [0.4, 0.6])).toBe(false);
  });

  it('returns the crossing point, or null for parallel or separate segments', () => {
    expect(segmentIntersection([0, 0], [2, 2], [0, 2], [2, 0])).toEqual([1, 1]);
    expect(segmentIntersection([0, 0], [1, 0], [0, 1], [1, 1])).toBeNull();
    expect(segmentIntersection([0, 0], [1, 1], [3, 0], [2, 1])).toBeNull();
  });
});

describe('point in polygon', () => {
  const withHole: PolygonGeometry = { type: 'Polygon', coordinates: [box(0, 0, 10, 10), box(4, 4, 6, 6)] };

  it('finds points inside the ring and outside holes', () => {
    expect(pointInRing([5, 5], box(0, 0, 10, 10))).toBe(true);
    expect(pointInRing([11, 5], box(0, 0, 10, 10))).toBe(false);
    expect(pointInPolygon([2, 2], withHole)).toBe(true);
    expect(pointInPolygon([5, 5], withHole)).toBe(false);
  });
});

describe('polygon validity', () => {
  it('accepts a closed simple ring', () => {
    expect(isValidPolygon({ type: 'Polygon', coordinates: [box(0, 0, 1, 1)] })).toBe(true);
  });

  it('rejects an unclosed ring, a bow-tie and a repeated vertex with a reason', () => {
    expect(
      isRingClosed([
        [0, 0],
        [1, 0],
        [1, 1],
        [0, 1],
      ]),
    ).toBe(false);
    expect(
      polygonProblem({
        type: 'Polygon',
        coordinates: [
          [
            [0, 0],
            [1, 0],
            [1, 1],
            [0, 1],
          ],
        ],
      }),
    ).toMatch(/closed/);
    const bowTie: LonLat[] = [
      [0, 0],
      [1, 1],
      [1, 0],
      [0, 1],
      [0, 0],
    ];
    expect(polygonProblem({ type: 'Polygon', coordinates: [bowTie] })).toMatch(/intersect/);
    const repeated: LonLat[] = [
      [0, 0],
      [1, 0],
      [1, 0],
      [1, 1],
      [0, 0],
    ];
    expect(polygonProblem({ type: 'Polygon', coordinates: [repeated] })).toMatch(/repeats/);
    expect(polygonProblem({ type: 'Polygon', coordinates: [] })).toMatch(/no rings/);
  });
});

describe('overlap', () => {
  it('detects crossing edges and containment, not separate rings', () => {
    expect(ringsOverlap(box(0, 0, 2, 2), box(1, 1, 3, 3))).toBe(true);
    expect(ringsOverlap(box(0, 0, 10, 10), box(4, 4, 6, 6))).toBe(true);
    expect(ringsOverlap(box(0, 0, 1, 1), box(2, 2, 3, 3))).toBe(false);
    expect(
      lineIntersectsRing(
        [
          [-1, 0.5],
          [0.5, 0.5],
        ],
        box(0, 0, 1, 1),
      ),
    ).toBe(true);
  });
});
