import { EARTH_RADIUS_M } from './distance.ts';
import type { LonLat } from './types.ts';

const DEG = 180 / Math.PI;

/** Move a `[lon, lat]` position by metres east and north (local equirectangular approximation). */
export function offsetMetres(origin: LonLat, east: number, north: number): LonLat {
  const cosLat = Math.cos(origin[1] / DEG);
  return [origin[0] + (east / (EARTH_RADIUS_M * cosLat)) * DEG, origin[1] + (north / EARTH_RADIUS_M) * DEG];
}

/** Metres `[east, north]` of a position relative to an origin (inverse of offsetMetres). */
export function toLocalMetres(origin: LonLat, point: LonLat): [number, number] {
  const cosLat = Math.cos(origin[1] / DEG);
  return [
    ((point[0] - origin[0]) / DEG) * EARTH_RADIUS_M * cosLat,
    ((point[1] - origin[1]) / DEG) * EARTH_RADIUS_M,
  ];
}

/** Compass bearing in degrees (0 = north, clockwise) from one position to another, local approximation. */
export function bearingDeg(from: LonLat, to: LonLat): number {
  const [east, north] = toLocalMetres(from, to);
  const deg = Math.atan2(east, north) * DEG;
  return deg < 0 ? deg + 360 : deg;
}
