import { type ChangeGroup, type Queryable, recordChanges } from '@wardmap/db';
import type { ChangeKind } from '@wardmap/geo';
import type { ChangeSet } from './types.ts';

/** NOTIFY channel the api listens on (owned by the change feed in `@wardmap/db`). */
export { CHANGES_CHANNEL } from '@wardmap/db';

/**
 * Records the batch's changes in its transaction: stream events into the change feed (so a crash
 * after the commit loses none) and the notices as the wake-up (delivered on commit). Every changed
 * id is carried. Call it last in the batch: it holds the feed's append lock until the commit.
 */
export async function sendNotices(
  q: Queryable,
  changes: ChangeSet,
  at: Date,
  nextSeq: () => number,
): Promise<number> {
  const groups: ChangeGroup[] = [];
  for (const [kind, ids] of changes.ids as Map<ChangeKind, string[]>) {
    const box = changes.boxes.get(kind);
    groups.push({ kind, ids, ...(box ? { bbox: box } : {}), unlisted: changes.unlisted.get(kind) ?? 0 });
  }
  return (await recordChanges(q, groups, at, { nextSeq })).notices;
}
