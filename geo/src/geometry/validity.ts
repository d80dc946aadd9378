import { segmentsIntersect } from './intersect.ts';
import type { LonLat, PolygonGeometry } from './types.ts';

/** Whether a ring is closed: at least 4 positions and the last equals the first. */
export function isRingClosed(ring: readonly LonLat[]): boolean {
  const first = ring[0];
  const last = ring[ring.length - 1];
  return ring.length >= 4 && !!first && !!last && first[0] === last[0] && first[1] === last[1];
}

/** Why a ring is not a simple closed ring (unclosed, non-finite, repeated point, self-intersection), or null if it is. */
export function ringProblem(ring: readonly LonLat[]): string | null {
  if (!isRingClosed(ring)) return 'ring is not closed or has fewer than 4 positions';
  if (ring.some((p) => !Number.isFinite(p[0]) || !Number.isFinite(p[1])))
    return 'ring has a non-finite position';
  const n = ring.length - 1; // number of edges
  for (let i = 0; i < n; i++) {
    const a = ring[i] as LonLat;
    const b = ring[i + 1] as LonLat;
    if (a[0] === b[0] && a[1] === b[1]) return `ring repeats position ${i}`;
  }
  for (let i = 0; i < n; i++) {
    const a1 = ring[i] as LonLat;
    const a2 = ring[i + 1] as LonLat;
    for (let j = i + 1; j < n; j++) {
      // Neighbouring edges share a vertex by construction; only non-adjacent edges may not touch.
      if (j === i + 1 || (i === 0 && j === n - 1)) continue;
      if (segmentsIntersect(a1, a2, ring[j] as LonLat, ring[j + 1] as LonLat)) {
        return `ring edges ${i} and ${j} intersect`;
      }
    }
  }
  return null;
}

/** Why a polygon is invalid (first failing ring and reason), or null when every ring is simple and closed. */
export function polygonProblem(polygon: PolygonGeometry): string | null {
  if (polygon.coordinates.length === 0) return 'polygon has no rings';
  for (const [index, ring] of polygon.coordinates.entries()) {
    const problem = ringProblem(ring);
    if (problem) return `ring ${index}: ${problem}`;
  }
  return null;
}

/** Whether a polygon's rings are all closed and free of self-intersections. */
export function isValidPolygon(polygon: PolygonGeometry): boolean {
  return polygonProblem(polygon) === null;
}
