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

/**
 * The sha256 a migration is recorded with. Line endings are normalised, so a checkout that turns
 * LF into CRLF does not count as an edit.
 */
export function migrationChecksum(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n')).digest('hex');
}

/** A database was migrated with files that have changed since: refuse it rather than drift silently. */
export class MigrationChangedError extends Error {
  constructor(readonly files: string[]) {
    super(
      `migration file${files.length > 1 ? 's' : ''} changed after being applied to this database: ` +
        `${files.join(', ')}. Never edit an applied migration: restore the file and add a new ` +
        'migration with the change (see db/migrations/README.md)',
    );
    this.name = 'MigrationChangedError';
  }
}

// Any constant shared by every process that migrates the same database.
const LOCK_KEY = 0x77617264;

/**
 * Applies the migrations not yet applied, each in its own transaction, forward only.
 * Safe to run from several processes at once (advisory lock) and to run again (no-op).
 *
 * Every applied file is recorded with its sha256. Before applying anything, the recorded checksums
 * are compared with the files: a database whose applied file changed is refused
 * ({@link MigrationChangedError}, naming the files). Rows recorded before checksums were kept get
 * the current file's checksum once (the content on disk is taken as what was applied).
 */
export async function migrate(
  db: Db,
  opts: { migrations?: Migration[]; log?: (line: string) => void } = {},
): Promise<string[]> {
  const migrations = opts.migrations ?? (await loadMigrations());
  const checksums = new Map(migrations.map((m) => [m.name, migrationChecksum(m.sql)]));
  await db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
    await tx.exec(`CREATE TABLE IF NOT EXISTS schema_migrations (
      name text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now());
      ALTER TABLE schema_migrations ADD COLUMN IF NOT EXISTS checksum text`);
    const recorded = await tx.query<{ name: string; checksum: string | null }>(
      'SELECT name, checksum FROM schema_migrations ORDER BY name',
    );
    const changed: string[] = [];
    let backfilled = 0;
    for (const row of recorded.rows) {
      const current = checksums.get(row.name);
      if (current === undefined) continue; // applied by a newer or other branch; nothing to compare
      if (row.checksum === null) {
        await tx.query('UPDATE schema_migrations SET checksum = $2 WHERE name = $1', [row.name, current]);
        backfilled++;
      } else if (row.checksum !== current) changed.push(row.name);
    }
    if (changed.length) throw new MigrationChangedError(changed);
    if (backfilled)
      opts.log?.(`recorded the checksums of ${backfilled} migrations applied before checksums were kept`);
  });
  const applied: string[] = [];
  for (const m of migrations) {
    const done = await db.transaction(async (tx) => {
      await tx.query('SELECT pg_advisory_xact_lock($1)', [LOCK_KEY]);
      const seen = await tx.query('SELECT 1 FROM schema_migrations WHERE name = $1', [m.name]);
      if (seen.rowCount > 0) return false;
      await tx.exec(m.sql);
      await tx.query('INSERT INTO schema_migrations (name, checksum) VALUES ($1, $2)', [
        m.name,
        checksums.get(m.name),
      ]);
      return true;
    });
    if (done) {
      applied.push(m.name);
      opts.log?.(`migrated ${m.name}`);
    }
  }
  return applied;
}
