import { toLocalMetres } from './offset.ts';
import type { LonLat, PolygonGeometry } from './types.ts';

/** Signed area of a ring in m² (positive when counter-clockwise), projected around its first vertex. */
export function ringSignedAreaM2(ring: readonly LonLat[]): number {
  const origin = ring[0];
  if (!origin || ring.length < 3) return 0;
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const [x1, y1] = toLocalMetres(origin, ring[i] as LonLat);
    const [x2, y2] = toLocalMetres(origin, ring[(i + 1) % ring.length] as LonLat);
    sum += x1 * y2 - x2 * y1;
  }
  return sum / 2;
}

/** Area of a polygon in m² (exterior minus holes), local equirectangular approximation. */
export function polygonAreaM2(polygon: PolygonGeometry): number {
  const [outer, ...holes] = polygon.coordinates;
  if (!outer) return 0;
  return holes.reduce(
    (acc, hole) => acc - Math.abs(ringSignedAreaM2(hole)),
    Math.abs(ringSignedAreaM2(outer)),
  );
}
