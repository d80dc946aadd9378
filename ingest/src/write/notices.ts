import type { Queryable } from '@wardmap/db';
import { buildChangeNotices, type ChangeKind, encodeChangeNotice } from '@wardmap/geo';
import type { ChangeSet } from './types.ts';

/** NOTIFY channel the api listens on. */
export const CHANGES_CHANNEL = 'wardmap_changes';

/**
 * Queues compact notices inside the transaction: PostgreSQL delivers NOTIFY only on commit, so
 * listeners never hear about rows that were rolled back. Every changed id is carried: a kind with
 * more ids than one notice holds gets several notices (the stream builds events from the ids).
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
    const notices = buildChangeNotices(kind, unique, at, {
      nextSeq,
      ...(box ? { bbox: box } : {}),
      unlisted: changes.unlisted.get(kind) ?? 0,
    });
    for (const n of notices) payloads.push(encodeChangeNotice(n));
  }
  if (payloads.length === 0) return 0;
  await q.query(`SELECT pg_notify('${CHANGES_CHANNEL}', n) FROM unnest($1::text[]) AS n`, [payloads]);
  return payloads.length;
}
