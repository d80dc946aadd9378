import type { Queryable } from '@wardmap/db';
import { buildChangeNotice, type ChangeKind, encodeChangeNotice } from '@wardmap/geo';

/** The channel ingest and api both notify on after a commit. */
export const CHANGES_CHANNEL = 'wardmap_changes';

/**
 * Queues a change notice inside the caller's transaction: PostgreSQL delivers NOTIFY only on
 * commit, so listeners never hear of a write that was rolled back.
 */
export async function notifyChange(tx: Queryable, kind: ChangeKind, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  await tx.query('SELECT pg_notify($1, $2)', [
    CHANGES_CHANNEL,
    encodeChangeNotice(buildChangeNotice(kind, ids, at)),
  ]);
}
