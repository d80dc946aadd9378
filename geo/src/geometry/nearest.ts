import { toLocalMetres } from './offset.ts';
import type { LonLat } from './types.ts';

/** Shortest distance in metres from a point to a polyline (or ring), local equirectangular approximation. */
export function distanceToLineM(point: LonLat, line: readonly LonLat[]): number {
  let best = Infinity;
  for (let i = 1; i < line.length; i++) {
    const [ax, ay] = toLocalMetres(point, line[i - 1] as LonLat);
    const [bx, by] = toLocalMetres(point, line[i] as LonLat);
    const dx = bx - ax;
    const dy = by - ay;
    const len2 = dx * dx + dy * dy;
    // Project the origin (the point itself) onto the leg, clamped to its ends.
    const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, -(ax * dx + ay * dy) / len2));
    best = Math.min(best, Math.hypot(ax + t * dx, ay + t * dy));
  }
  return best;
}
