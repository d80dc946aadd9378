import type { Queryable } from '@wardmap/db';
import { buildChangeNotice, type ChangeKind, encodeChangeNotice } from '@wardmap/geo';
import type { ChangeSet } from './types.ts';

/** NOTIFY channel the api listens on. */
export const CHANGES_CHANNEL = 'wardmap_changes';

/**
 * Queues one compact notice per kind inside the transaction: PostgreSQL delivers NOTIFY only on
 * commit, so listeners never hear about rows that were rolled back.
 */
export async function sendNotices(
  q: Queryable,
  changes: ChangeSet,
  at: Date,
  nextSeq: () => number,
): Promise<number> {
  const payloads: string[] = [];
  for (const [kind, ids] of changes.ids as Map<ChangeKind, string[]>) {
    const unique = [...new Set(ids)];
    const box = changes.boxes.get(kind);
    const notice = buildChangeNotice(kind, unique, at, { seq: nextSeq(), ...(box ? { bbox: box } : {}) });
    payloads.push(encodeChangeNotice({ ...notice, count: notice.count + (changes.unlisted.get(kind) ?? 0) }));
  }
  if (payloads.length === 0) return 0;
  await q.query(`SELECT pg_notify('${CHANGES_CHANNEL}', n) FROM unnest($1::text[]) AS n`, [payloads]);
  return payloads.length;
}
