import { segmentsIntersect } from './intersect.ts';
import { pointInRing } from './point-in-polygon.ts';
import type { LonLat } from './types.ts';

/** Whether a line (open polyline) touches or crosses any edge of a ring. */
export function lineIntersectsRing(line: readonly LonLat[], ring: readonly LonLat[]): boolean {
  for (let i = 1; i < line.length; i++) {
    for (let j = 1; j < ring.length; j++) {
      if (
        segmentsIntersect(line[i - 1] as LonLat, line[i] as LonLat, ring[j - 1] as LonLat, ring[j] as LonLat)
      ) {
        return true;
      }
    }
  }
  return false;
}

/** Whether two simple closed rings overlap or touch: their edges meet, or one contains the other. */
export function ringsOverlap(a: readonly LonLat[], b: readonly LonLat[]): boolean {
  if (lineIntersectsRing(a, b)) return true;
  const a0 = a[0];
  const b0 = b[0];
  return (!!a0 && pointInRing(a0, b)) || (!!b0 && pointInRing(b0, a));
}
