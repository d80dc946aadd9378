import type { LonLat, PolygonGeometry } from './types.ts';

/** Whether a point lies inside a ring (even-odd ray casting; points exactly on an edge may go either way). */
export function pointInRing(point: LonLat, ring: readonly LonLat[]): boolean {
  const [x, y] = point;
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i] as LonLat;
    const [xj, yj] = ring[j] as LonLat;
    if (yi > y !== yj > y && x < ((xj - xi) * (y - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside;
}

/** Whether a point lies inside a polygon: inside the exterior ring and outside every hole. */
export function pointInPolygon(point: LonLat, polygon: PolygonGeometry): boolean {
  const [outer, ...holes] = polygon.coordinates;
  if (!outer || !pointInRing(point, outer)) return false;
  return holes.every((hole) => !pointInRing(point, hole));
}
