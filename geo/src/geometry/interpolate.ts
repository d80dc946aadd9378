import { haversineM, lineLengthM } from './distance.ts';
import type { LonLat } from './types.ts';

const lerp = (a: LonLat, b: LonLat, t: number): LonLat => [
  a[0] + (b[0] - a[0]) * t,
  a[1] + (b[1] - a[1]) * t,
];

/** The position `distanceM` metres along a line from its start, clamped to the line's ends. */
export function interpolateAlong(line: readonly LonLat[], distanceM: number): LonLat {
  const first = line[0];
  if (!first) throw new Error('cannot interpolate along an empty line');
  if (distanceM <= 0) return [first[0], first[1]];
  let walked = 0;
  for (let i = 1; i < line.length; i++) {
    const a = line[i - 1] as LonLat;
    const b = line[i] as LonLat;
    const leg = haversineM(a, b);
    if (walked + leg >= distanceM && leg > 0) return lerp(a, b, (distanceM - walked) / leg);
    walked += leg;
  }
  const last = line[line.length - 1] as LonLat;
  return [last[0], last[1]];
}

/** The part of a line between two distances from its start (metres), keeping the vertices in between. */
export function sliceLine(line: readonly LonLat[], startM: number, endM: number): LonLat[] {
  if (line.length < 2) throw new Error('cannot slice a line with fewer than 2 positions');
  const total = lineLengthM(line);
  const from = Math.max(0, Math.min(startM, total));
  const to = Math.max(from, Math.min(endM, total));
  const out: LonLat[] = [interpolateAlong(line, from)];
  let walked = 0;
  for (let i = 1; i < line.length; i++) {
    walked += haversineM(line[i - 1] as LonLat, line[i] as LonLat);
    const vertex = line[i] as LonLat;
    if (walked > from && walked < to) out.push([vertex[0], vertex[1]]);
  }
  out.push(interpolateAlong(line, to));
  return out;
}

/** Evenly spaced positions every `stepM` metres along a line, both ends included (e.g. a walking route). */
export function sampleAlong(line: readonly LonLat[], stepM: number): LonLat[] {
  if (!(stepM > 0)) throw new Error(`step must be positive (got ${stepM})`);
  const total = lineLengthM(line);
  const out: LonLat[] = [];
  for (let d = 0; d < total; d += stepM) out.push(interpolateAlong(line, d));
  out.push(interpolateAlong(line, total));
  return out;
}
