import type { Queryable } from '@wardmap/db';
import type { LayerWindow } from '../db/layer-query.ts';
import type { LayerDef } from '../db/layers/index.ts';
import { encodeTile } from './encode-tile.ts';
import { mvtSql, type TileCoordinates, tileGeoJsonSql } from './tile-sql.ts';

/**
 * Renders one layer's tile: `ST_AsMVT` on real PostGIS, the clip-and-scale statement plus the JS
 * encoder on PGlite. Null when the tile has no features.
 */
export async function renderTile(
  db: Queryable & { hasAsMvt: boolean },
  def: LayerDef,
  t: TileCoordinates,
  w: LayerWindow,
): Promise<Uint8Array | null> {
  if (db.hasAsMvt) {
    const { text, params } = mvtSql(def, t, w);
    const res = await db.query<{ mvt: Uint8Array | null }>(text, params);
    const mvt = res.rows[0]?.mvt;
    return mvt && mvt.length > 0 ? new Uint8Array(mvt.buffer, mvt.byteOffset, mvt.byteLength) : null;
  }
  const { text, params } = tileGeoJsonSql(def, t, w);
  const res = await db.query<{ gj: string; props: Record<string, unknown> }>(text, params);
  return encodeTile(def.name, res.rows);
}
