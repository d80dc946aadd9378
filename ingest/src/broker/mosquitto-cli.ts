// `npm run mosquitto:acl -- --out <dir>`: writes Mosquitto's `passwd` and `acl` files from the
// database (DATABASE_URL, or the embedded one in WARDMAP_DATA_DIR). WARDMAP_ADMIN_TOKEN, when set,
// becomes the password of user `admin`.
import { chmod, mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { openDatabase } from '@wardmap/db';
import { databaseLocation, envVars, parseEnv } from '@wardmap/geo/config';
import { buildMosquittoFiles } from './mosquitto-files.ts';

const { values } = parseArgs({ options: { out: { type: 'string', default: 'deploy/mosquitto' } } });
const out = values.out as string;
try {
  const env = parseEnv(envVars('DATABASE_URL', 'WARDMAP_DATA_DIR', 'WARDMAP_ADMIN_TOKEN'));
  const db = await openDatabase(databaseLocation(env));
  try {
    const files = await buildMosquittoFiles(db, { adminToken: env.WARDMAP_ADMIN_TOKEN });
    await mkdir(out, { recursive: true });
    for (const [name, text] of [
      ['passwd', files.passwd],
      ['acl', files.acl],
    ] as const) {
      // Write then rename, so a broker reloading meanwhile never reads half a file.
      const tmp = join(out, `.${name}.tmp`);
      await writeFile(tmp, text);
      await chmod(tmp, 0o644);
      await rename(tmp, join(out, name));
    }
    console.log(`wrote ${join(out, 'passwd')} (${files.users} users) and ${join(out, 'acl')}`);
    if (!env.WARDMAP_ADMIN_TOKEN) console.log('WARDMAP_ADMIN_TOKEN is not set: user admin cannot log in');
  } finally {
    await db.close();
  }
} catch (err) {
  console.error(`mosquitto:acl: ${(err as Error).message}`);
  process.exit(1);
}
