import { generateReference } from '@wardmap/geo';
import { hashPassword, mosquittoPasswordHash } from './passwords.ts';
import { isReferenceEmpty, loadReference } from './reference.ts';
import type { Db } from './types.ts';

/** Password of every demo account (people and cameras) unless `WARDMAP_DEMO_PASSWORD` says otherwise. */
export const DEFAULT_DEMO_PASSWORD = 'wardmap-demo';

/**
 * Loads the Dongqian Lake demo geography into an empty database, in one transaction.
 * Returns the row counts, or null when reference data already exists (nothing is touched).
 */
/** The demo's Frigate NVR identity (user name on the broker, demo password). */
export const DEMO_NVR_ID = 'nvr-demo';

export async function seedDemoIfEmpty(
  db: Db,
  opts: { password?: string; seed?: number; log?: (line: string) => void } = {},
): Promise<Record<string, number> | null> {
  if (!(await isReferenceEmpty(db))) return null;
  const ref = generateReference(opts.seed);
  const password = opts.password ?? DEFAULT_DEMO_PASSWORD;
  const passwordHash = await hashPassword(password);
  const mqttHash = await mosquittoPasswordHash(password);
  const counts = await db.transaction(async (tx) => {
    // Re-check inside the transaction: ingest and api may start together on one database.
    if (!(await isReferenceEmpty(tx))) return null;
    const loaded = await loadReference(tx, ref, { passwordHash });
    // The same demo password, in Mosquitto's format, for `npm run mosquitto:acl`.
    await tx.query('UPDATE people SET mqtt_password_hash = $1 WHERE mqtt_password_hash IS NULL', [mqttHash]);
    await tx.query('UPDATE cameras SET mqtt_password_hash = $1 WHERE mqtt_password_hash IS NULL', [mqttHash]);
    // The demo's Frigate NVR: the only identity that may publish Frigate events, for any demo camera
    // (the simulator decides which cameras report through Frigate).
    await tx.query(
      `INSERT INTO nvrs (id, name, password_hash, mqtt_password_hash) VALUES ($1, 'Demo Frigate NVR', $2, $3)
       ON CONFLICT (id) DO NOTHING`,
      [DEMO_NVR_ID, passwordHash, mqttHash],
    );
    await tx.query('UPDATE cameras SET nvr_id = $1 WHERE nvr_id IS NULL', [DEMO_NVR_ID]);
    return loaded;
  });
  if (counts) {
    opts.log?.(
      `loaded demo geography "${ref.meta.name}": ${counts.communities} communities, ${counts.grids} blocks, ` +
        `${counts.riverSegments} river segments, ${counts.cameras} cameras, ${counts.people} people`,
    );
  }
  return counts;
}
