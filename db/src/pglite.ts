import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { PGlite } from '@electric-sql/pglite';
import { postgis } from '@electric-sql/pglite-postgis';
import type { Db, Queryable, QueryResult } from './types.ts';

// int8 and numeric come back as strings by default; our counts and sums are small enough for
// numbers, and both backends must return the same JS types.
const PARSERS = { 20: (v: string) => Number(v), 1700: (v: string) => Number(v) };

/** Creates a raw PGlite instance with PostGIS, optionally persisted in `dataDir` or loaded from a dump. */
export async function createPglite(opts: { dataDir?: string; loadDataDir?: Blob } = {}): Promise<PGlite> {
  if (opts.dataDir) await mkdir(opts.dataDir, { recursive: true });
  return PGlite.create({
    ...(opts.dataDir ? { dataDir: opts.dataDir } : {}),
    ...(opts.loadDataDir ? { loadDataDir: opts.loadDataDir } : {}),
    extensions: { postgis },
    parsers: PARSERS,
    relaxedDurability: false,
  });
}

/** True when `dataDir` already holds an initialised PGlite cluster. */
export function isPgliteDataDir(dataDir: string): boolean {
  return existsSync(`${dataDir}/PG_VERSION`);
}

function wrap(q: Pick<PGlite, 'query' | 'exec'>): Queryable {
  return {
    async exec(sql: string) {
      await q.exec(sql);
    },
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const res = await q.query<T>(sql, params as unknown[]);
      return { rows: res.rows, rowCount: res.rows.length || res.affectedRows || 0 };
    },
  };
}

/** Wraps a PGlite instance as a `Db`. PGlite is one backend: its queries are serialised. */
export function pgliteDb(pg: PGlite): Db {
  const base = wrap(pg);
  return {
    kind: 'pglite',
    hasAsMvt: false,
    query: base.query,
    exec: base.exec,
    transaction(fn) {
      return pg.transaction((tx) => fn(wrap(tx)));
    },
    async listen(channel, onPayload) {
      const unlisten = await pg.listen(channel, onPayload);
      return async () => {
        if (!pg.closed) await unlisten();
      };
    },
    async close() {
      if (!pg.closed) await pg.close();
    },
  };
}
