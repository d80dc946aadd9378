import type { Queryable } from '@wardmap/db';
import { buildChangeNotices, type ChangeKind, encodeChangeNotice } from '@wardmap/geo';

/** The channel ingest and api both notify on after a commit. */
export const CHANGES_CHANNEL = 'wardmap_changes';

/**
 * Queues a change notice inside the caller's transaction: PostgreSQL delivers NOTIFY only on
 * commit, so listeners never hear of a write that was rolled back.
 */
export async function notifyChange(tx: Queryable, kind: ChangeKind, ids: string[], at: Date): Promise<void> {
  if (ids.length === 0) return;
  const payloads = buildChangeNotices(kind, ids, at).map(encodeChangeNotice);
  await tx.query('SELECT pg_notify($1, n) FROM unnest($2::text[]) AS n', [CHANGES_CHANNEL, payloads]);
}
