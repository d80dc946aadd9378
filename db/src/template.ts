import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { envVars, parseEnv } from '@wardmap/geo/config';
import { loadMigrations, type Migration, migrate, migrationsDigest } from './migrate.ts';
import { createPglite, pgliteDb } from './pglite.ts';

// A cold PGlite+PostGIS initdb costs 8-17 s; loading a dump of an already-initialised,
// already-migrated cluster costs ~2.5-5 s. The dump is cached by migration digest.
const DEFAULT_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/wardmap/', import.meta.url));

/** Where initialised PGlite templates are cached (`WARDMAP_CACHE_DIR` overrides). */
export function templateCacheDir(): string {
  return parseEnv(envVars('WARDMAP_CACHE_DIR')).WARDMAP_CACHE_DIR ?? DEFAULT_CACHE_DIR;
}

/** Returns a gzipped data-dir dump of PGlite + PostGIS with every migration applied, building it once. */
export async function pgliteTemplate(
  opts: { migrations?: Migration[]; log?: (line: string) => void } = {},
): Promise<Blob> {
  const migrations = opts.migrations ?? (await loadMigrations());
  const dir = templateCacheDir();
  const file = `${dir}/pglite-postgis-${migrationsDigest(migrations)}.tgz`;
  if (existsSync(file)) return new Blob([await readFile(file)]);
  opts.log?.('initialising embedded PostGIS template (first run only, ~15 s)…');
  const pg = await createPglite();
  try {
    await migrate(pgliteDb(pg), { migrations });
    const dump = await pg.dumpDataDir('gzip');
    const bytes = new Uint8Array(await dump.arrayBuffer());
    await mkdir(dir, { recursive: true });
    // Written then renamed, so a concurrent reader never sees half a file.
    const tmp = `${file}.${process.pid}.tmp`;
    await writeFile(tmp, bytes);
    await rename(tmp, file);
    return new Blob([bytes]);
  } finally {
    await pg.close();
  }
}
