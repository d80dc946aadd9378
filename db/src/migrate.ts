import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import type { Db } from './types.ts';

/** The folder holding the numbered SQL migrations: the schema's one home. */
export const MIGRATIONS_DIR = fileURLToPath(new URL('../migrations/', import.meta.url));

export interface Migration {
  name: string;
  sql: string;
}

const NAME = /^\d{4}_[a-z0-9_]+\.sql$/;

/** Reads the migrations in order; rejects misnamed files instead of silently skipping them. */
export async function loadMigrations(dir = MIGRATIONS_DIR): Promise<Migration[]> {
  const files = (await readdir(dir)).filter((f) => f.endsWith('.sql')).sort();
  const bad = files.filter((f) => !NAME.test(f));
  if (bad.length)
    throw new Error(`migration file names must look like 0001_verb_object.sql: ${bad.join(', ')}`);
  return Promise.all(files.map(async (name) => ({ name, sql: await readFile(`${dir}/${name}`, 'utf8') })));
}

/** A digest of all migrations: names a database template built from them. */
export function migrationsDigest(migrations: Migration[]): string {
  const h = createHash('sha256');
  for (const m of migrations) h.update(m.name).update('\0').update(m.sql).update('\0');
  return h.digest('hex').slice(0, 16);
}

// Any constant shared by every process that migrates the same database.
const LOCK_KEY = 0x77617264;

/**
 * Applies the migrations not yet applied, each in its own transaction, forward only.
 * Safe to run from several processes at once (advisory lock) and to run again (no-op).
 */
export async function migrate(
  db: Db,
  opts: { migrations?: Migration[]; log?: (line: string) => void } = {},
): Promise<string[]> {
  const migrations = opts.migrations ?? (await loadMigrations());
  await db.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
    name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())`);
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [m.name]);
      if (seen.rowCount > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (name) VALUES ($1)', [m.name]);
      return true;
    });
    if (done) {
      applied.push(m.name);
      opts.log?.(`migrated ${m.name}`);
    }
  }
  return applied;
}
