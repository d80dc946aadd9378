import type { Queryable } from '@wardmap/db';
import type { LayerWindow } from '../layer-query.ts';
import type { LayerDef } from '../layers/index.ts';
import { encodeTile } from './encode-tile.ts';
import { mvtSql, type TileCoordinates, tileGeoJsonSql } from './tile-sql.ts';

/** A Queryable that may offer transactions (the `Db` of both backends does). */
type MaybeTx = Queryable & { transaction?: <T>(fn: (tx: Queryable) => Promise<T>) => Promise<T> };

/**
 * Runs a tile statement with parallel query off. The check-in tile statement is a UNION of a
 * rollup branch and a raw-points branch of which one never runs at a given zoom; at z10-14 on
 * PostgreSQL the planner still starts a parallel worker for the raw branch, and launching it costs
 * more (15-20 ms) than the whole tile (2-5 ms). A tile reads a few thousand rows at most, so
 * parallelism never pays here. `SET LOCAL` keeps the setting inside this one transaction.
 */
export async function withoutParallelWorkers<T>(db: MaybeTx, fn: (q: Queryable) => Promise<T>): Promise<T> {
  if (!db.transaction) return fn(db);
  return db.transaction(async (tx) => {
    await tx.query('SET LOCAL max_parallel_workers_per_gather = 0');
    return fn(tx);
  });
}

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
    const res = await withoutParallelWorkers(db, (q) => q.query<{ mvt: Uint8Array | null }>(text, params));
    const mvt = res.rows[0]?.mvt;
    return mvt && mvt.length > 0 ? new Uint8Array(mvt.buffer, mvt.byteOffset, mvt.byteLength) : null;
  }
  const { text, params } = tileGeoJsonSql(def, t, w);
  const res = await db.query<{ gj: string; props: Record<string, unknown> }>(text, params);
  return encodeTile(def.name, res.rows);
}
