import type { Db } from '@wardmap/db';
import pg from 'pg';
import type { TestDb } from '../support/db.ts';
import { connectionRefused, faultyDb, sessionTerminated } from './faulty-db.ts';

/** A database that can be taken away and brought back; `db` is what ingest is given. */
export interface Outage {
  readonly db: Db;
  /** 'server' when the real server refuses this database, 'injected' when a wrapper pretends. */
  readonly how: 'server' | 'injected';
  begin(): Promise<void>;
  end(): Promise<void>;
}

/**
 * PostgreSQL: really takes the test's database away: new connections are refused
 * (`ALLOW_CONNECTIONS false`: FATAL 55000 at connect) and every open session is terminated
 * (57P01 for a running statement, "Connection terminated" for idle pooled ones). `end()` lets
 * connections in again; call it in a `finally`.
 * PGlite runs in-process, so there is no server to take away: the real PGlite sits behind a
 * wrapper that throws what the pg driver would (ECONNREFUSED when a transaction starts, 57P01
 * for a statement of a transaction already running) while the outage lasts.
 */
export function databaseOutage(db: TestDb): Outage {
  if (db.kind === 'postgres') {
    const dbUrl = db.url;
    const adminUrl = process.env.DATABASE_URL;
    if (!dbUrl || !adminUrl) throw new Error('a postgres test database needs its url and DATABASE_URL');
    const name = decodeURIComponent(new URL(dbUrl).pathname.slice(1));
    const admin = async (sql: string) => {
      const c = new pg.Client({ connectionString: adminUrl });
      await c.connect();
      try {
        await c.query(sql);
      } finally {
        await c.end();
      }
    };
    const ident = pg.escapeIdentifier(name);
    return {
      db,
      how: 'server',
      async begin() {
        await admin(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS false`);
        await admin(
          `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
            WHERE datname = ${pg.escapeLiteral(name)} AND pid <> pg_backend_pid()`,
        );
      },
      end: () => admin(`ALTER DATABASE ${ident} ALLOW_CONNECTIONS true`),
    };
  }
  let down = false;
  return {
    db: faultyDb(db, (p) => {
      if (!down) return undefined;
      return p.at === 'connect' ? connectionRefused() : sessionTerminated();
    }),
    how: 'injected',
    async begin() {
      down = true;
    },
    async end() {
      down = false;
    },
  };
}
