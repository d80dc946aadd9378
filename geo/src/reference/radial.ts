import { segmentsIntersect } from '../geometry/intersect.ts';
import { lineIntersectsRing } from '../geometry/overlap.ts';
import { pointInRing } from '../geometry/point-in-polygon.ts';
import { polar, type XY } from './frame.ts';
import type { LakeShape } from './lake.ts';

/** How a line leaving the lake wanders: lateral waves (metres) and a slow turn (degrees over its span). */
export interface Wander {
  waves: { amp: number; wavelength: number; phase: number }[];
  driftDeg: number;
}

/**
 * A line leaving the lake along a bearing, from `fromD` to `toD` metres beyond the shore, vertices
 * every `step` metres, ordered outward. Each vertex sits `d` metres radially outside the shore at its
 * own bearing, so no vertex is ever inside the (star-shaped) lake.
 */
export function radialLine(
  lake: LakeShape,
  bearing: number,
  fromD: number,
  toD: number,
  step: number,
  wander: Wander,
): XY[] {
  const base = lake.shoreRadius(bearing);
  const out: XY[] = [];
  const count = Math.max(1, Math.ceil((toD - fromD) / step));
  for (let i = 0; i <= count; i++) {
    const d = fromD + ((toD - fromD) * i) / count;
    // Fade the waves in over the first 400 m so the line leaves the shore head-on.
    const fade = Math.min(1, d / 400);
    const lateral =
      fade *
      wander.waves.reduce((acc, w) => acc + w.amp * Math.sin((2 * Math.PI * d) / w.wavelength + w.phase), 0);
    const angle =
      bearing + (wander.driftDeg * d) / Math.max(1, toD) + ((lateral / (base + d)) * 180) / Math.PI;
    out.push(polar(angle, lake.shoreRadius(angle) + d));
  }
  return out;
}

/** Whether two open polylines share any point. */
export function linesCross(a: readonly XY[], b: readonly XY[]): boolean {
  for (let i = 1; i < a.length; i++) {
    for (let j = 1; j < b.length; j++) {
      if (segmentsIntersect(a[i - 1] as XY, a[i] as XY, b[j - 1] as XY, b[j] as XY)) return true;
    }
  }
  return false;
}

/** Whether a line enters or touches any of the closed rings. */
export function lineHitsRings(line: readonly XY[], rings: readonly XY[][]): boolean {
  const first = line[0];
  return rings.some((ring) => lineIntersectsRing(line, ring) || (!!first && pointInRing(first, ring)));
}

/** Try bearings near `bearing` (0, +3, -3, +6, ...) until `build` gives a line `blocked` accepts. */
export function findFreeLine(
  bearing: number,
  build: (b: number) => XY[],
  blocked: (line: XY[]) => boolean,
): XY[] {
  for (let k = 0; k <= 40; k++) {
    const offset = k === 0 ? 0 : (k % 2 === 1 ? 1 : -1) * 3 * Math.ceil(k / 2);
    const line = build((bearing + offset + 360) % 360);
    if (!blocked(line)) return line;
  }
  throw new Error(`no free corridor near bearing ${bearing}`);
}
