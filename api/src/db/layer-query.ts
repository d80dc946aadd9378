import type { Queryable } from '@wardmap/db';
import type { BBox } from '@wardmap/geo';
import { type BoundSql, bindNamed, type Typed, typed } from './bind.ts';
import { binLatticeFor, hexSizeForZoom, type LayerDef } from './layers/index.ts';

/** What a layer query is asked for besides the area: the clock's now, a time window, a row cap, a zoom. */
export interface LayerWindow {
  now: Date;
  since: Date;
  until: Date;
  limit: number;
  /** Tile zoom (drives hex binning and minimum zooms); -1 means "GeoJSON, everything". */
  zoom: number;
}

/** The placeholders every layer statement may use, typed once here. */
export function layerParams(w: LayerWindow): Record<string, Typed> {
  return {
    now: typed(w.now.toISOString(), 'timestamptz'),
    since: typed(w.since.toISOString(), 'timestamptz'),
    until: typed(w.until.toISOString(), 'timestamptz'),
    limit: typed(w.limit, 'int'),
    zoom: typed(w.zoom, 'int'),
    lattice: typed(binLatticeFor(w.zoom), 'int'),
    hexSize: typed(hexSizeForZoom(binLatticeFor(w.zoom)), 'float8'),
  };
}

const WORLD: BBox = [-180, -90, 180, 90];

/** The GeoJSON statement of a layer within a bbox (the whole world when none is given). */
export function layerGeoJsonSql(def: LayerDef, bbox: BBox | null, w: LayerWindow): BoundSql {
  const [minLon, minLat, maxLon, maxLat] = bbox ?? WORLD;
  return bindNamed(
    `SELECT f.id, ST_AsGeoJSON(f.geom, 7) AS gj, f.props FROM (${def.sql}) f`,
    {
      ...layerParams(w),
      minLon: typed(minLon, 'float8'),
      minLat: typed(minLat, 'float8'),
      maxLon: typed(maxLon, 'float8'),
      maxLat: typed(maxLat, 'float8'),
    },
    { bounds: 'ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)' },
  );
}

export interface Feature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: Record<string, unknown>;
}

/** Runs a layer for GeoJSON: a FeatureCollection's features, in the layer's order. */
export async function queryLayerFeatures(
  db: Queryable,
  def: LayerDef,
  bbox: BBox | null,
  w: LayerWindow,
): Promise<Feature[]> {
  const { text, params } = layerGeoJsonSql(def, bbox, w);
  const res = await db.query<{ id: string; gj: string; props: Record<string, unknown> }>(text, params);
  return res.rows.map((r) => ({
    type: 'Feature',
    id: r.id,
    geometry: JSON.parse(r.gj),
    properties: r.props,
  }));
}
