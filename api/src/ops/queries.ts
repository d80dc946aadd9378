import type { Queryable } from '@wardmap/db';

/** Round trip to the database; rejects when it does not answer. */
export async function pingDatabase(q: Queryable): Promise<void> {
  await q.query('SELECT 1');
}
