// Decoding and tile arithmetic for the tile tests: assert on features, never on bytes.
import { VectorTile } from '@mapbox/vector-tile';
import type { BBox } from '@wardmap/geo';
import Pbf from 'pbf';

export interface DecodedFeature {
  type: number;
  properties: Record<string, unknown>;
  /** Geometry in tile units (extent 4096). */
  rings: { x: number; y: number }[][];
}

/** Decodes one layer of an MVT; an absent layer is an empty list. */
export function decodeLayer(body: ArrayBuffer, layer: string): DecodedFeature[] {
  const tile = new VectorTile(new Pbf(new Uint8Array(body)));
  const l = tile.layers[layer];
  if (!l) return [];
  const out: DecodedFeature[] = [];
  for (let i = 0; i < l.length; i++) {
    const f = l.feature(i);
    out.push({ type: f.type, properties: f.properties, rings: f.loadGeometry() });
  }
  return out;
}

/** The XYZ tile containing a lon/lat. */
export function tileAt(lon: number, lat: number, z: number): { z: number; x: number; y: number } {
  const n = 2 ** z;
  const x = Math.floor(((lon + 180) / 360) * n);
  const r = (lat * Math.PI) / 180;
  const y = Math.floor(((1 - Math.log(Math.tan(r) + 1 / Math.cos(r)) / Math.PI) / 2) * n);
  return { z, x, y };
}

/** A tile's lon/lat bounds. */
export function tileBBox({ z, x, y }: { z: number; x: number; y: number }): BBox {
  const lon = (i: number) => (i / 2 ** z) * 360 - 180;
  const lat = (j: number) => (180 / Math.PI) * Math.atan(Math.sinh(Math.PI - (2 * Math.PI * j) / 2 ** z));
  return [lon(x), lat(y + 1), lon(x + 1), lat(y)];
}

/** Properties without nulls (MVT does not carry nulls). */
export function withoutNulls(p: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(p).filter(([, v]) => v !== null && v !== undefined));
}
