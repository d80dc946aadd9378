// The generator works in a flat local frame (metres east, north of the lake centre) where layout
// arithmetic is simple, and converts to WGS-84 [lon, lat] only when emitting geometry.
import { offsetMetres } from '../geometry/offset.ts';
import type { LonLat, PolygonGeometry } from '../geometry/types.ts';

/** A point in the local frame: metres east and north of the lake centre. */
export type XY = [number, number];

/** Lake centre, the origin of the local frame. */
export const LAKE_CENTER: LonLat = [121.64, 29.77];

const DEG = Math.PI / 180;

// 1e-7 degrees is about 1 cm: enough for a map, and keeps emitted JSON short and exactly reproducible.
const round7 = (v: number) => Math.round(v * 1e7) / 1e7;

/** Convert a local-frame point to a rounded `[lon, lat]`. */
export function toLonLat(p: XY): LonLat {
  const [lon, lat] = offsetMetres(LAKE_CENTER, p[0], p[1]);
  return [round7(lon), round7(lat)];
}

/** Unit vector of a compass bearing (0 = north, clockwise) in the local frame. */
export function unit(bearingDeg: number): XY {
  return [Math.sin(bearingDeg * DEG), Math.cos(bearingDeg * DEG)];
}

/** The point at a bearing and distance from the lake centre. */
export function polar(bearingDeg: number, distance: number): XY {
  const [x, y] = unit(bearingDeg);
  return [x * distance, y * distance];
}

/** Compass bearing of a local-frame point as seen from the lake centre, in [0, 360). */
export function bearingOf(p: XY): number {
  const deg = Math.atan2(p[0], p[1]) / DEG;
  return deg < 0 ? deg + 360 : deg;
}

/** a + s*b, componentwise. */
export function addScaled(a: XY, b: XY, s: number): XY {
  return [a[0] + b[0] * s, a[1] + b[1] * s];
}

function signedArea(ring: readonly XY[]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i++) {
    const a = ring[i] as XY;
    const b = ring[(i + 1) % ring.length] as XY;
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

/** Close an open local-frame ring, wind it counter-clockwise (RFC 7946) and emit a GeoJSON-like Polygon. */
export function toPolygon(open: readonly XY[]): PolygonGeometry {
  const ordered = signedArea(open) >= 0 ? [...open] : [...open].reverse();
  const ring = ordered.map(toLonLat);
  const first = ring[0];
  if (!first) throw new Error('cannot build a polygon from an empty ring');
  ring.push([first[0], first[1]]);
  return { type: 'Polygon', coordinates: [ring] };
}

/** An oriented rectangle in the local frame: centre, half sizes along its two axes. */
export interface Rect {
  center: XY;
  /** Unit vector of the "across" axis (half size `halfW`). */
  across: XY;
  /** Unit vector of the "depth" axis (half size `halfH`), pointing away from the lake for communities. */
  depth: XY;
  halfW: number;
  halfH: number;
}

/** The point at rectangle coordinates (s across, t in depth) measured from the rectangle centre. */
export function rectPoint(rect: Rect, s: number, t: number): XY {
  return addScaled(addScaled(rect.center, rect.across, s), rect.depth, t);
}

/** The open ring of a rectangle grown (or shrunk, when negative) by `pad` metres on every side. */
export function rectRing(rect: Rect, pad = 0): XY[] {
  const w = rect.halfW + pad;
  const h = rect.halfH + pad;
  return [rectPoint(rect, -w, -h), rectPoint(rect, w, -h), rectPoint(rect, w, h), rectPoint(rect, -w, h)];
}

/** A closed copy of an open ring, for the overlap helpers that walk closed rings. */
export function closed(ring: readonly XY[]): XY[] {
  const first = ring[0];
  return first ? [...ring, [first[0], first[1]]] : [];
}
