import { migrate } from './migrate.ts';
import { createPglite, isPgliteDataDir, pgliteDb } from './pglite.ts';
import { postgresDb } from './postgres.ts';
import { pgliteTemplate } from './template.ts';
import type { Db } from './types.ts';

export interface OpenDatabaseOptions {
  /** PostgreSQL + PostGIS connection string; without it PostGIS runs embedded (PGlite). */
  databaseUrl?: string | undefined;
  /** Where embedded PGlite keeps its files; without it the embedded database lives in memory. */
  dataDir?: string | undefined;
  /** Cap on pooled connections to real PostgreSQL. */
  maxConnections?: number;
  applicationName?: string;
  log?: (line: string) => void;
}

/** Opens the database the configuration names and brings its schema up to date. */
export async function openDatabase(opts: OpenDatabaseOptions = {}): Promise<Db> {
  let db: Db;
  if (opts.databaseUrl) {
    db = postgresDb(opts.databaseUrl, {
      ...(opts.maxConnections ? { max: opts.maxConnections } : {}),
      ...(opts.applicationName ? { applicationName: opts.applicationName } : {}),
    });
    try {
      await db.query('SELECT 1');
    } catch (err) {
      await db.close();
      throw new Error(
        `cannot reach DATABASE_URL (${redactUrl(opts.databaseUrl)}): ${(err as Error).message}`,
      );
    }
  } else if (opts.dataDir && isPgliteDataDir(opts.dataDir)) {
    db = pgliteDb(await createPglite({ dataDir: opts.dataDir }));
  } else {
    const template = await pgliteTemplate(opts.log ? { log: opts.log } : {});
    db = pgliteDb(
      await createPglite({ ...(opts.dataDir ? { dataDir: opts.dataDir } : {}), loadDataDir: template }),
    );
  }
  try {
    await migrate(db, opts.log ? { log: opts.log } : {});
  } catch (err) {
    await db.close();
    throw err;
  }
  return db;
}

/** Hides the password of a connection string for messages and logs. */
export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:/@]+):[^@]*@/, '//$1:***@');
}
