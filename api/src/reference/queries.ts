import type { CameraRow, Db, Queryable } from '@wardmap/db';
import { upsertCameras } from '@wardmap/db';
import { notifyChange } from '../stream/notify.ts';

/** The reference tables admins write, by their URL name. */
export const REFERENCE_TABLES = {
  cameras: 'cameras',
  'police-posts': 'police_posts',
  grids: 'grids',
  'river-segments': 'river_segments',
} as const;

export type ReferenceTable = (typeof REFERENCE_TABLES)[keyof typeof REFERENCE_TABLES];

/** Whether a row with `id` exists in one of the reference tables. */
export async function referenceExists(q: Queryable, table: ReferenceTable, id: string): Promise<boolean> {
  return (await q.query(`SELECT 1 FROM ${table} WHERE id = $1`, [id])).rowCount > 0;
}

/** Deletes a reference row; false when there was none (a foreign-key error when still referred to). */
export async function deleteReference(q: Queryable, table: ReferenceTable, id: string): Promise<boolean> {
  return (await q.query(`DELETE FROM ${table} WHERE id = $1`, [id])).rowCount > 0;
}

/** Upserts a camera (with its MQTT password hash when given) and tells live clients, in one transaction. */
export async function saveCamera(
  db: Db,
  row: CameraRow,
  mqttPasswordHash: string | undefined,
  at: Date,
): Promise<void> {
  await db.transaction(async (tx) => {
    await upsertCameras(tx, [row]);
    if (mqttPasswordHash)
      await tx.query('UPDATE cameras SET mqtt_password_hash = $2 WHERE id = $1', [row.id, mqttPasswordHash]);
    await notifyChange(tx, 'cameras', [row.id], at);
  });
}

/**
 * Creates or updates an NVR identity (reactivated) and makes `cameraIds` exactly the cameras it
 * serves, in one transaction. Resolves to whether the NVR existed before.
 */
export async function saveNvr(
  db: Db,
  nvr: { id: string; name: string; cameraIds: string[] },
  hashes: { passwordHash: string; mqttHash: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const before = await tx.query('SELECT 1 FROM nvrs WHERE id = $1', [nvr.id]);
    await tx.query(
      `INSERT INTO nvrs (id, name, password_hash, mqtt_password_hash, active) VALUES ($1, $2, $3, $4, true)
       ON CONFLICT (id) DO UPDATE SET name = excluded.name, password_hash = excluded.password_hash,
         mqtt_password_hash = excluded.mqtt_password_hash, active = true`,
      [nvr.id, nvr.name, hashes.passwordHash, hashes.mqttHash],
    );
    await tx.query('UPDATE cameras SET nvr_id = NULL WHERE nvr_id = $1 AND NOT (id = ANY($2::text[]))', [
      nvr.id,
      nvr.cameraIds,
    ]);
    await tx.query('UPDATE cameras SET nvr_id = $1 WHERE id = ANY($2::text[])', [nvr.id, nvr.cameraIds]);
    return before.rowCount > 0;
  });
}

/** NVRs with the cameras each serves (bounded). */
export async function listNvrs(q: Queryable) {
  const res = await q.query(
    `SELECT n.id, n.name, n.active,
            coalesce((SELECT array_agg(c.id ORDER BY c.id) FROM cameras c WHERE c.nvr_id = n.id), '{}') AS "cameraIds"
       FROM nvrs n ORDER BY n.id LIMIT 1000`,
  );
  return res.rows;
}
