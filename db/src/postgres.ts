import pg from 'pg';
import type { Db, Queryable, QueryResult } from './types.ts';

// Same JS types as PGlite: int8 and numeric as numbers.
const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === 20 || oid === 1700) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format as 'text');
  },
};

function wrap(q: pg.Pool | pg.PoolClient): Queryable {
  return {
    async exec(sql: string) {
      await q.query(sql);
    },
    async query<T>(sql: string, params: unknown[] = []): Promise<QueryResult<T>> {
      const res = await q.query(sql, params);
      return { rows: res.rows as T[], rowCount: res.rowCount ?? res.rows.length };
    },
  };
}

/** Opens a pool to PostgreSQL + PostGIS at `url`. `max` caps concurrent connections. */
export function postgresDb(url: string, opts: { max?: number; applicationName?: string } = {}): Db {
  const pool = new pg.Pool({
    connectionString: url,
    max: opts.max ?? 10,
    types,
    application_name: opts.applicationName ?? 'wardmap',
    // Wardmap's statements are short (a tile, a batch): PostGIS functions carry high cost
    // estimates, so the JIT compiles them for ~8 ms to save microseconds. Off for our sessions.
    options: '-c jit=off',
  });
  // An idle client dying (server restart) must not crash the process; the pool replaces it.
  pool.on('error', () => {});
  const listeners = new Set<pg.Client>();
  const base = wrap(pool);
  return {
    kind: 'postgres',
    hasAsMvt: true,
    query: base.query,
    exec: base.exec,
    async transaction(fn) {
      const client = await pool.connect();
      // A session terminated mid-transaction (server restart, pg_terminate_backend) rejects the
      // running query and then emits 'error' on the checked-out client; without a listener that
      // event would crash the process. The pool drops the broken client on release.
      const onError = () => {};
      client.on('error', onError);
      try {
        await client.query('BEGIN');
        const out = await fn(wrap(client));
        await client.query('COMMIT');
        return out;
      } catch (err) {
        await client.query('ROLLBACK').catch(() => {});
        throw err;
      } finally {
        client.off('error', onError);
        client.release();
      }
    },
    async listen(channel, onPayload) {
      // LISTEN needs one connection of its own for as long as it lasts.
      const client = new pg.Client({ connectionString: url, types });
      client.on('error', () => {});
      await client.connect();
      client.on('notification', (msg) => {
        if (msg.channel === channel) onPayload(msg.payload ?? '');
      });
      await client.query(`LISTEN ${pg.escapeIdentifier(channel)}`);
      listeners.add(client);
      return async () => {
        listeners.delete(client);
        await client.end().catch(() => {});
      };
    },
    async close() {
      await Promise.all([...listeners].map((c) => c.end().catch(() => {})));
      listeners.clear();
      await pool.end();
    },
  };
}
