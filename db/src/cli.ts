// Database command line: `npm run migrate`, `npm run geo:export -- <dir>`,
// `npm run import -- [--replace] [--layer grids] <file.geojson>...`.
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { generateReference, ImportLayerSchema, referenceToGeoJSON } from '@wardmap/geo';
import { databaseLocation, envVars, parseEnv } from '@wardmap/geo/config';
import { importGeoJson } from './import.ts';
import { openDatabase } from './open.ts';
import { clearReference } from './reference.ts';

const [command, ...args] = process.argv.slice(2);
const log = (line: string) => console.log(line);
const dbOptions = () => ({
  ...databaseLocation(parseEnv(envVars('DATABASE_URL', 'WARDMAP_DATA_DIR'))),
  log,
});

async function main(): Promise<number> {
  switch (command) {
    case 'migrate': {
      const db = await openDatabase(dbOptions());
      await db.close();
      log('schema is up to date');
      return 0;
    }
    case 'export-reference': {
      const dir = args[0] ?? 'data/reference';
      await mkdir(dir, { recursive: true });
      const layers = referenceToGeoJSON(generateReference());
      for (const [name, fc] of Object.entries(layers)) {
        await writeFile(join(dir, `${name}.geojson`), JSON.stringify(fc));
        log(`wrote ${join(dir, `${name}.geojson`)} (${fc.features.length} features)`);
      }
      return 0;
    }
    case 'import': {
      const replace = args.includes('--replace');
      const li = args.indexOf('--layer');
      const layer = li >= 0 ? ImportLayerSchema.parse(args[li + 1]) : undefined;
      const files = args.filter((a, i) => !a.startsWith('--') && (li < 0 || i !== li + 1));
      if (files.length === 0) {
        console.error('usage: npm run import -- [--replace] [--layer <layer>] <file.geojson>...');
        return 2;
      }
      const db = await openDatabase(dbOptions());
      try {
        const failed = await db
          .transaction(async (tx) => {
            if (replace) {
              await clearReference(tx);
              log('removed existing reference data (demo geography)');
            }
            for (const file of files) {
              const res = await importGeoJson(tx, JSON.parse(await readFile(file, 'utf8')), layer);
              if (!res.ok) {
                console.error(`${file}: rejected\n  ${res.errors.slice(0, 20).join('\n  ')}`);
                throw new Error('import rejected; nothing was written');
              }
              log(`${file}: ${JSON.stringify(res.counts)}`);
            }
            return false;
          })
          .catch((err: Error) => {
            console.error(err.message);
            return true;
          });
        return failed ? 1 : 0;
      } finally {
        await db.close();
      }
    }
    default:
      console.error(
        'usage: cli.ts migrate | export-reference [dir] | import [--replace] [--layer L] <files>',
      );
      return 2;
  }
}

process.exit(
  await main().catch((err: Error) => {
    console.error(err.message);
    return 1;
  }),
);
