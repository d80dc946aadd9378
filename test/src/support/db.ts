import { readFile } from 'node:fs/promises';
import { createPglite, type Db, migrate, pgliteDb, postgresDb } from '@wardmap/db';
import pg from 'pg';
import { inject } from 'vitest';
import { withDatabase } from './templates.ts';

export interface TestDb extends Db {
  /** Connection string of the cloned database (postgres backend only). */
  readonly url?: string;
  /** Closes the connection and drops the cloned database. */
  dispose(): Promise<void>;
}

let counter = 0;

/**
 * A fresh database for one test file, cloned from the template the global setup built: the
 * demo geography loaded (`demo: true`, default) or just the schema. Same bodies on both backends.
 */
export async function openTestDb(
  opts: { demo?: boolean; plausibility?: 'fixtures' | 'default' } = {},
): Promise<TestDb> {
  const prepared = inject('wardmapTestDb');
  const template = opts.demo === false ? prepared.emptyTemplate : prepared.demoTemplate;
  if (prepared.backend === 'pglite') {
    const db = pgliteDb(await createPglite({ loadDataDir: new Blob([await readFile(template)]) }));
    await migrate(db);
    if (opts.plausibility !== 'default') await widenOfflineHorizon(db);
    return { ...db, dispose: () => db.close() };
  }
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('global setup prepared postgres templates but DATABASE_URL is gone');
  const name = `wardmap_t_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name} TEMPLATE ${template}`);
  } finally {
    await admin.end();
  }
  const dbUrl = withDatabase(url, name);
  const db = postgresDb(dbUrl, { max: 8 });
  await migrate(db);
  if (opts.plausibility !== 'default') await widenOfflineHorizon(db);
  return {
    ...db,
    url: dbUrl,
    async dispose() {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * Test fixtures carry fixed device times (2024-06-01...) while ingest compares them with the real
 * clock: accept any past time in them. Plausibility tests open their database with
 * `plausibility: 'default'` to get the shipped bounds.
 */
async function widenOfflineHorizon(db: Db): Promise<void> {
  await db.query(`UPDATE ingest_settings SET value = 3153600000 WHERE key = 'max_age_s'`);
}

/**
 * A database with nothing in it, not even PostGIS: a cold PGlite, or a new PostgreSQL database from
 * template0. For proving that migrations build everything from empty.
 */
export async function openBlankDb(): Promise<TestDb> {
  const prepared = inject('wardmapTestDb');
  if (prepared.backend === 'pglite') {
    const db = pgliteDb(await createPglite());
    return { ...db, dispose: () => db.close() };
  }
  const url = process.env.DATABASE_URL!;
  const name = `wardmap_blank_${process.pid}_${Date.now().toString(36)}_${counter++}`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name} TEMPLATE template0`).finally(() => admin.end());
  const dbUrl = withDatabase(url, name);
  const db = postgresDb(dbUrl, { max: 4 });
  return {
    ...db,
    url: dbUrl,
    async dispose() {
      await db.close();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).finally(() => a.end());
    },
  };
}
