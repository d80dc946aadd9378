import { type BoundSql, bindNamed, typed } from '../../sql/bind.ts';
import { type LayerWindow, layerParams } from '../layer-query.ts';
import type { LayerDef } from '../layers/index.ts';

/** Tile extent and buffer (tile units), the same for both encoders. */
export const EXTENT = 4096;
export const BUFFER = 64;

export interface TileCoordinates {
  z: number;
  x: number;
  y: number;
}

// The tile envelope is built from bind parameters in EPSG:3857 and transformed to 4326 for the
// layer's `geom && :bounds` so the GiST index on the 4326 column is used.
const BOUNDS = 'ST_Transform(ST_TileEnvelope(:tz, :tx, :ty), 4326)';

function params(t: TileCoordinates, w: LayerWindow) {
  return {
    ...layerParams(w),
    tz: typed(t.z, 'int'),
    tx: typed(t.x, 'int'),
    ty: typed(t.y, 'int'),
  };
}

/** Real PostGIS: the whole tile in one statement, `ST_AsMVTGeom` + `ST_AsMVT`. */
export function mvtSql(def: LayerDef, t: TileCoordinates, w: LayerWindow): BoundSql {
  return bindNamed(
    `WITH f AS (${def.sql})
     SELECT ST_AsMVT(t, :layerName, ${EXTENT}, 'geom') AS mvt FROM (
       SELECT ST_AsMVTGeom(ST_Transform(f.geom, 3857), ST_TileEnvelope(:tz, :tx, :ty), ${EXTENT}, ${BUFFER}, true) AS geom,
              f.props
         FROM f) t
     WHERE t.geom IS NOT NULL`,
    { ...params(t, w), layerName: typed(def.name, 'text') },
    { bounds: BOUNDS },
  );
}

/**
 * PGlite (no ST_AsMVT): the same rows, clipped to the buffered envelope and scaled to tile units in
 * SQL — affine x' = (x - xmin)·k, y' = (ymax - y)·k with k = extent / envelope width (tiles are
 * square in 3857) — snapped to the integer grid like ST_AsMVTGeom, and returned as GeoJSON for the
 * JS encoder. Collapsed geometries (empty after snapping) are dropped, as ST_AsMVTGeom drops them.
 */
export function tileGeoJsonSql(def: LayerDef, t: TileCoordinates, w: LayerWindow): BoundSql {
  return bindNamed(
    `WITH f AS (${def.sql}),
     k AS (SELECT e, ST_XMin(e) AS x0, ST_YMax(e) AS y1, ${EXTENT} / (ST_XMax(e) - ST_XMin(e)) AS s
             FROM (SELECT ST_TileEnvelope(:tz, :tx, :ty) AS e) env)
     SELECT f.props, ST_AsGeoJSON(q.g, 0) AS gj FROM f CROSS JOIN k
       CROSS JOIN LATERAL (
         SELECT ST_CollectionExtract(ST_RemoveRepeatedPoints(ST_SnapToGrid(
                  ST_Affine(ST_ClipByBox2D(ST_Transform(f.geom, 3857), ST_Expand(k.e, ${BUFFER} / k.s)::box2d),
                            k.s, 0, 0, -k.s, -k.x0 * k.s, k.y1 * k.s), 1)),
                  ST_Dimension(f.geom) + 1) AS g) q
      WHERE q.g IS NOT NULL AND NOT ST_IsEmpty(q.g)`,
    params(t, w),
    { bounds: BOUNDS },
  );
}
