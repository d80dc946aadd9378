import type { BBox } from '@wardmap/geo';
import type { TileCoordinates } from './tile-sql.ts';

/** Longitude of a tile column's west edge (XYZ scheme). */
const lonOf = (x: number, z: number) => (x / 2 ** z) * 360 - 180;

/** Latitude of a tile row's north edge (XYZ scheme, Web Mercator). */
function latOf(y: number, z: number): number {
  const n = Math.PI - (2 * Math.PI * y) / 2 ** z;
  return (180 / Math.PI) * Math.atan(Math.sinh(n));
}

/** A tile's bounds in lon/lat: `[west, south, east, north]`. */
export function tileBBox({ z, x, y }: TileCoordinates): BBox {
  return [lonOf(x, z), latOf(y + 1, z), lonOf(x + 1, z), latOf(y, z)];
}

/** Whether two boxes overlap (edges touching count). */
export function bboxesOverlap(a: BBox, b: BBox): boolean {
  return a[0] <= b[2] && b[0] <= a[2] && a[1] <= b[3] && b[1] <= a[3];
}

/** Grows a box by a fraction of its size on every side. */
export function growBBox(b: BBox, fraction: number): BBox {
  const dx = (b[2] - b[0]) * fraction;
  const dy = (b[3] - b[1]) * fraction;
  return [b[0] - dx, b[1] - dy, b[2] + dx, b[3] + dy];
}

/** The tile containing a lon/lat at a zoom. */
export function tileAt(lon: number, lat: number, z: number): TileCoordinates {
  const n = 2 ** z;
  const x = Math.min(n - 1, Math.floor(((lon + 180) / 360) * n));
  const r = (lat * Math.PI) / 180;
  const y = Math.min(n - 1, Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n));
  return { z, x, y };
}
