// vt-pbf has no type declarations; this is the slice of its API Wardmap uses.
// @ts-expect-error untyped CommonJS module
import vtpbf from 'vt-pbf';
import { EXTENT } from './tile-sql.ts';

type Ring = [number, number][];

/** A feature in tile units, as vt-pbf's geojson-vt input: type 1 point, 2 line, 3 polygon. */
interface TileFeature {
  type: 1 | 2 | 3;
  geometry: Ring | Ring[];
  tags: Record<string, unknown>;
}

interface GeoJsonGeometry {
  type: string;
  coordinates: unknown;
}

// MVT wants exterior rings clockwise in tile space (y down), i.e. positive shoelace area, and
// holes the other way; GeoJSON from PostGIS promises no winding, so rings are put right here.
function shoelace(ring: Ring): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const a = ring[j] as [number, number];
    const b = ring[i] as [number, number];
    sum += a[0] * b[1] - b[0] * a[1];
  }
  return sum / 2;
}

function orient(ring: Ring, exterior: boolean): Ring {
  const area = shoelace(ring);
  return (exterior ? area < 0 : area > 0) ? [...ring].reverse() : ring;
}

function toTileFeature(geometry: GeoJsonGeometry, tags: Record<string, unknown>): TileFeature | null {
  const c = geometry.coordinates;
  switch (geometry.type) {
    case 'Point':
      return { type: 1, geometry: [c as [number, number]], tags };
    case 'MultiPoint':
      return { type: 1, geometry: c as Ring, tags };
    case 'LineString':
      return { type: 2, geometry: [c as Ring], tags };
    case 'MultiLineString':
      return { type: 2, geometry: c as Ring[], tags };
    case 'Polygon':
      return { type: 3, geometry: (c as Ring[]).map((r, i) => orient(r, i === 0)), tags };
    case 'MultiPolygon':
      return {
        type: 3,
        geometry: (c as Ring[][]).flatMap((poly) => poly.map((r, i) => orient(r, i === 0))),
        tags,
      };
    default:
      return null;
  }
}

/** Drops null properties: ST_AsMVT does not encode them either. */
function tagsOf(props: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(props)) if (v !== null && v !== undefined) out[k] = v;
  return out;
}

/**
 * Encodes one layer of tile-space GeoJSON rows (from the PGlite tile statement) as an MVT.
 * Returns null when nothing is left, so the route answers 204 like it does for an empty ST_AsMVT.
 */
export function encodeTile(
  layerName: string,
  rows: readonly { gj: string; props: Record<string, unknown> }[],
): Uint8Array | null {
  const features: TileFeature[] = [];
  for (const row of rows) {
    const f = toTileFeature(JSON.parse(row.gj) as GeoJsonGeometry, tagsOf(row.props));
    if (f) features.push(f);
  }
  if (features.length === 0) return null;
  const buf: Uint8Array = vtpbf.fromGeojsonVt({ [layerName]: { features } }, { version: 2, extent: EXTENT });
  return buf;
}
