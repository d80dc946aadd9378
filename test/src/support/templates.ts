import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import {
  createPglite,
  DEFAULT_DEMO_PASSWORD,
  loadMigrations,
  migrate,
  migrationsDigest,
  pgliteDb,
  pgliteTemplate,
  postgresDb,
  seedDemoIfEmpty,
  templateCacheDir,
} from '@wardmap/db';
import { generateReference } from '@wardmap/geo';
import pg from 'pg';

export interface PreparedDatabases {
  backend: 'pglite' | 'postgres';
  /** PGlite: path of a gzipped data dir; postgres: name of a template database. */
  emptyTemplate: string;
  demoTemplate: string;
  teardown: () => Promise<void>;
}

function digest(): Promise<string> {
  return loadMigrations().then((m) => {
    const ref = createHash('sha256').update(JSON.stringify(generateReference())).digest('hex').slice(0, 8);
    return `${migrationsDigest(m)}_${ref}`;
  });
}

/** Builds (or reuses) an empty and a demo-loaded template for the backend the environment selects. */
export async function prepareTestDatabases(log: (line: string) => void): Promise<PreparedDatabases> {
  const url = process.env.DATABASE_URL;
  const key = await digest();
  if (!url) {
    const empty = `${templateCacheDir()}/pglite-postgis-${migrationsDigest(await loadMigrations())}.tgz`;
    await pgliteTemplate({ log });
    const demo = `${templateCacheDir()}/pglite-demo-${key}.tgz`;
    if (!existsSync(demo)) {
      log('building demo-geography template');
      const pgl = await createPglite({ loadDataDir: new Blob([await readFile(empty)]) });
      const db = pgliteDb(pgl);
      await migrate(db);
      await seedDemoIfEmpty(db, { password: DEFAULT_DEMO_PASSWORD, log });
      const dump = await pgl.dumpDataDir('gzip');
      const tmp = `${demo}.${process.pid}.tmp`;
      await writeFile(tmp, new Uint8Array(await dump.arrayBuffer()));
      await rename(tmp, demo);
      await pgl.close();
    }
    return { backend: 'pglite', emptyTemplate: empty, demoTemplate: demo, teardown: async () => {} };
  }

  // Real PostgreSQL: two template databases; each test file clones one (CREATE DATABASE … TEMPLATE).
  const admin = new pg.Client({ connectionString: url });
  try {
    await admin.connect();
  } catch (err) {
    throw new Error(`DATABASE_URL is set but PostgreSQL is unreachable: ${(err as Error).message}`);
  }
  const names = { empty: `wardmap_tpl_empty_${key}`, demo: `wardmap_tpl_demo_${key}` };
  try {
    // Several test runs (and developers) may share one server: build each template once, in turn.
    await admin.query(`SELECT pg_advisory_lock(hashtext('wardmap_test_templates'))`);
    for (const [kind, name] of Object.entries(names)) {
      const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
      if (exists.rowCount) continue;
      log(`creating template database ${name}`);
      const building = `${name}_building`;
      await admin.query(`DROP DATABASE IF EXISTS ${building}`);
      await admin.query(`CREATE DATABASE ${building}`);
      const db = postgresDb(withDatabase(url, building), { max: 2 });
      try {
        await migrate(db); // creates the postgis extension; fails loudly if PostGIS is not installed
        if (kind === 'demo') await seedDemoIfEmpty(db, { password: DEFAULT_DEMO_PASSWORD, log });
      } finally {
        await db.close();
      }
      await admin.query(`ALTER DATABASE ${building} RENAME TO ${name}`);
    }
  } finally {
    await admin.end();
  }
  return {
    backend: 'postgres',
    emptyTemplate: names.empty,
    demoTemplate: names.demo,
    teardown: async () => {},
  };
}

/** The same connection string pointing at another database. */
export function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}
