import { appendFile, cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMigrations, MIGRATIONS_DIR, migrate, migrationChecksum } from '@wardmap/db';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBlankDb, openTestDb, type TestDb } from '../support/db.ts';

describe('migrations', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openBlankDb();
  });
  afterAll(() => db?.dispose());

  it('build the whole schema on an empty database, then apply nothing the second time', async () => {
    const all = (await loadMigrations()).map((m) => m.name);
    expect(all.length).toBeGreaterThanOrEqual(2);
    expect(await migrate(db)).toEqual(all);
    expect(await migrate(db)).toEqual([]);
    const recorded = await db.query<{ name: string }>('SELECT name FROM schema_migrations ORDER BY name');
    expect(recorded.rows.map((r) => r.name)).toEqual(all);
    // A cold PostGIS plus every migration: over a minute on a busy two-core machine.
  }, 180_000);

  it('create every table of the domain with SRID 4326 geometry columns', async () => {
    const tables = await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = 'public'`,
    );
    const names = new Set(tables.rows.map((r) => r.table_name));
    for (const t of [
      'communities',
      'grids',
      'buildings',
      'organisations',
      'police_posts',
      'cameras',
      'rivers',
      'river_segments',
      'people',
      'patrol_rules',
      'checkins',
      'camera_alerts',
      'river_reports',
      'patrols',
      'incidents',
      'incident_events',
      'dead_letters',
      'positions',
      'sla_rules',
    ]) {
      expect(names, `table ${t}`).toContain(t);
    }
    const srids = await db.query<{ f_table_name: string; srid: number }>(
      `SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'public'`,
    );
    expect(srids.rows.length).toBeGreaterThan(10);
    for (const r of srids.rows) expect(r.srid, r.f_table_name).toBe(4326);
  });

  it('give every geometry column a GiST index', async () => {
    const res = await db.query<{ f_table_name: string; f_geometry_column: string }>(
      `SELECT g.f_table_name, g.f_geometry_column FROM geometry_columns g
        WHERE g.f_table_schema = 'public' AND g.f_table_name NOT LIKE 'checkins\\_%'
          AND NOT EXISTS (
            SELECT 1 FROM pg_indexes i
             WHERE i.tablename = g.f_table_name AND i.indexdef ILIKE '%gist%' AND i.indexdef LIKE '%(' || g.f_geometry_column || ')%')`,
    );
    expect(res.rows).toEqual([]);
  });

  it('are safe to run from two processes at once', async () => {
    const [a, b] = await Promise.all([migrate(db), migrate(db)]);
    expect([...a, ...b]).toEqual([]);
  });

  it('route check-ins into monthly partitions and keep the message id unique per device time', async () => {
    await db.query(`SELECT wardmap_ensure_checkin_partitions('2026-01-01', '2026-03-01')`);
    const ins = `INSERT INTO checkins (message_id, person_id, geom, at)
                 VALUES ($1, 'p-1', ST_SetSRID(ST_MakePoint(121.6, 29.7), 4326), $2) ON CONFLICT DO NOTHING`;
    expect((await db.query(ins, ['m-1', '2026-02-03T10:00:00Z'])).rowCount).toBe(1);
    expect((await db.query(ins, ['m-1', '2026-02-03T10:00:00Z'])).rowCount).toBe(0);
    const part = await db.query<{ p: string }>(
      `SELECT tableoid::regclass::text AS p FROM checkins WHERE message_id = 'm-1'`,
    );
    expect(part.rows[0]?.p).toBe('checkins_202602');
  });
});

describe('migration checksums', () => {
  let db: TestDb;
  let dir: string;
  beforeAll(async () => {
    db = await openTestDb({ demo: false });
    dir = await mkdtemp(join(tmpdir(), 'wardmap-migrations-'));
    await cp(MIGRATIONS_DIR, dir, { recursive: true });
  });
  afterAll(async () => {
    await db?.dispose();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('record a sha256 per applied file', async () => {
    await appendFile(join(dir, '9999_add_later_table.sql'), 'CREATE TABLE later_table (id int);\n');
    const migrations = await loadMigrations(dir);
    expect(await migrate(db, { migrations })).toEqual(['9999_add_later_table.sql']);
    const rows = await db.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM schema_migrations ORDER BY name',
    );
    expect(rows.rows).toEqual(migrations.map((m) => ({ name: m.name, checksum: migrationChecksum(m.sql) })));
    expect(rows.rows[0]?.checksum).toMatch(/^[0-9a-f]{64}$/);
  });

  it('backfill a database recorded without checksums once, accepting the files as they are', async () => {
    await db.query('UPDATE schema_migrations SET checksum = NULL');
    const lines: string[] = [];
    expect(await migrate(db, { migrations: await loadMigrations(dir), log: (l) => lines.push(l) })).toEqual(
      [],
    );
    expect(lines.join('\n')).toMatch(/recorded the checksums of \d+ migrations/);
    const missing = await db.query('SELECT name FROM schema_migrations WHERE checksum IS NULL');
    expect(missing.rows).toEqual([]);
    lines.length = 0;
    await migrate(db, { migrations: await loadMigrations(dir), log: (l) => lines.push(l) });
    expect(lines).toEqual([]);
  });

  it('refuse a database whose applied file changed, naming the file, and apply nothing', async () => {
    const edited = (await loadMigrations(dir))[1]!.name;
    await appendFile(join(dir, edited), '\n-- edited after it was applied\n');
    await appendFile(join(dir, '9999_add_other_table.sql'), 'CREATE TABLE other_table (id int);\n');
    const err = await migrate(db, { migrations: await loadMigrations(dir) }).catch((e: Error) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(edited);
    expect((err as Error).message).toMatch(/Never edit an applied migration/);
    const other = await db.query(`SELECT 1 FROM schema_migrations WHERE name = '9999_add_other_table.sql'`);
    expect(other.rowCount).toBe(0);
  });

  it('do not count a CRLF checkout as an edit', () => {
    expect(migrationChecksum('SELECT 1;\r\nSELECT 2;\r\n')).toBe(migrationChecksum('SELECT 1;\nSELECT 2;\n'));
  });
});
