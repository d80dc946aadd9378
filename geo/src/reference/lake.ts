import type { Rng } from '../geometry/prng.ts';
import { bearingOf, closed, polar, unit, type XY } from './frame.ts';

/** The lake in the local frame: a star-shaped ring around the centre, so every ray from the centre leaves it once. */
export interface LakeShape {
  /** Open ring, counter-clockwise, metres. */
  ring: XY[];
  /** Distance from the centre to the shore along a compass bearing (exact for the polygon). */
  shoreRadius(bearingDeg: number): number;
  /** Open ring pushed radially outward by `metres` (still star-shaped, so still simple). */
  grown(metres: number): XY[];
}

const VERTICES = 120;
const SEMI_EAST = 2000; // ~4 km east-west
const SEMI_NORTH = 3000; // ~6 km north-south

/** Build a lake outline: an ellipse with smooth seeded harmonics for bays and headlands (~19 km²). */
export function buildLake(rng: Rng): LakeShape {
  const harmonics = [2, 3, 4, 5, 7].map((k) => ({
    k,
    amp: rng.range(0.012, 0.04),
    phase: rng.range(0, Math.PI * 2),
  }));
  const ring: XY[] = [];
  for (let i = 0; i < VERTICES; i++) {
    const bearing = 360 - (360 * i) / VERTICES; // decreasing bearing = counter-clockwise in east/north axes
    const [ux, uy] = unit(bearing);
    const ellipse = (SEMI_EAST * SEMI_NORTH) / Math.hypot(SEMI_NORTH * ux, SEMI_EAST * uy);
    const t = (bearing * Math.PI) / 180;
    const wobble = harmonics.reduce((acc, h) => acc + h.amp * Math.cos(h.k * t + h.phase), 0);
    ring.push(polar(bearing % 360, ellipse * (1 + wobble)));
  }
  const edges = closed(ring);

  const shoreRadius = (bearingDeg: number): number => {
    const [dx, dy] = unit(bearingDeg);
    let best = 0;
    for (let i = 1; i < edges.length; i++) {
      const [px, py] = edges[i - 1] as XY;
      const [qx, qy] = edges[i] as XY;
      const ex = qx - px;
      const ey = qy - py;
      const denom = dx * ey - dy * ex;
      if (denom === 0) continue;
      // Solve t*d = p + s*e for the ray parameter t and the edge parameter s.
      const t = (px * ey - py * ex) / denom;
      const s = (px * dy - py * dx) / denom;
      if (s >= -1e-9 && s <= 1 + 1e-9 && t > best) best = t;
    }
    return best;
  };

  const grown = (metres: number): XY[] =>
    ring.map((p) => polar(bearingOf(p), Math.hypot(p[0], p[1]) + metres));

  return { ring, shoreRadius, grown };
}
