import type { LonLat } from './types.ts';

/** Mean Earth radius in metres (IUGG), shared by every metric helper so lengths agree. */
export const EARTH_RADIUS_M = 6_371_008.8;

const toRad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in metres between two `[lon, lat]` positions (haversine). */
export function haversineM(a: LonLat, b: LonLat): number {
  const dLat = toRad(b[1] - a[1]);
  const dLon = toRad(b[0] - a[0]);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(toRad(a[1])) * Math.cos(toRad(b[1])) * Math.sin(dLon / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length in metres of a line given as `[lon, lat]` positions (sum of haversine legs). */
export function lineLengthM(line: readonly LonLat[]): number {
  let total = 0;
  for (let i = 1; i < line.length; i++) {
    total += haversineM(line[i - 1] as LonLat, line[i] as LonLat);
  }
  return total;
}
