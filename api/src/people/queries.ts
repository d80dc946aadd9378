import { type Db, type PersonRow, upsertPeople } from '@wardmap/db';

export type PersonWrite = Omit<PersonRow, 'passwordHash'>;

/**
 * Creates or updates a person with both password hashes, reactivates them and ends every session
 * of the old password, in one transaction. Resolves to whether the person existed before.
 */
export async function savePerson(
  db: Db,
  person: PersonWrite,
  hashes: { passwordHash: string; mqttHash: string },
): Promise<boolean> {
  return db.transaction(async (tx) => {
    const before = await tx.query('SELECT 1 FROM people WHERE id = $1', [person.id]);
    await upsertPeople(tx, [{ ...person, passwordHash: hashes.passwordHash }]);
    await tx.query('UPDATE people SET mqtt_password_hash = $2, active = true WHERE id = $1', [
      person.id,
      hashes.mqttHash,
    ]);
    // A new password ends every session of the old one.
    await tx.query('DELETE FROM api_tokens WHERE person_id = $1', [person.id]);
    return before.rowCount > 0;
  });
}

/** Everyone, as the admin list shows them (bounded). */
export async function listPeople(db: Db) {
  const res = await db.query(
    `SELECT id, name, roles, phone, grid_id AS "gridId", organisation_id AS "organisationId",
            police_post_id AS "policePostId", active FROM people ORDER BY id LIMIT 5000`,
  );
  return res.rows;
}

/** Deactivates a person and ends their sessions; false when there is no such person. */
export async function deactivatePerson(db: Db, id: string): Promise<boolean> {
  const res = await db.transaction(async (tx) => {
    await tx.query('DELETE FROM api_tokens WHERE person_id = $1', [id]);
    return tx.query('UPDATE people SET active = false WHERE id = $1', [id]);
  });
  return res.rowCount > 0;
}
