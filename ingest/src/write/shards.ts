import { ownerCommunities, type Queryable } from '@wardmap/db';
import type { IngestItem } from '../items.ts';

/** First key of the two-key advisory locks writers take per community ('wshd'). */
export const SHARD_LOCK_SPACE = 0x77736864;

/**
 * The communities a batch writes to, from the reference data (`ownerCommunities`): a person's, a
 * camera's, a river segment's. Rows of one person, one camera or one segment always map to the same
 * key, which is what the derived state needs.
 */
export async function batchCommunities(q: Queryable, items: readonly IngestItem[]): Promise<string[]> {
  const people = new Set<string>();
  const cameras = new Set<string>();
  const segments = new Set<string>();
  for (const it of items) {
    if (it.type === 'checkin' || it.type === 'device-offline') people.add(it.personId);
    else if (it.type === 'camera-alert') cameras.add(it.cameraName);
    else if (it.type === 'river-report') segments.add(it.segmentId);
  }
  return ownerCommunities(q, { people: [...people], cameras: [...cameras], segments: [...segments] });
}

/**
 * Takes the write turn of each community the batch touches, in one sorted order (so two writers
 * cannot deadlock), held until the commit. Batches of different communities are written side by
 * side; batches that share a community take turns, because derived state (patrol tracks, alert
 * folding into incidents, grid patrol compliance) reads rows other batches of that community write.
 * What needs no turn: the processed-message claim (its primary key), the live position's
 * never-backwards rule (a conditional upsert under the row lock), dead letters (their dedup key).
 */
export async function takeCommunityTurns(
  q: Queryable,
  communities: readonly string[],
  opts: { everything?: boolean } = {},
): Promise<void> {
  // A write whose extent is not known per community (an NVR's availability flips every camera it
  // serves) takes the whole table's turn: exclusive on key 0, which every other batch holds shared.
  if (opts.everything) {
    await q.query('SELECT pg_advisory_xact_lock($1, 0)', [SHARD_LOCK_SPACE]);
    return;
  }
  await q.query('SELECT pg_advisory_xact_lock_shared($1, 0)', [SHARD_LOCK_SPACE]);
  if (communities.length === 0) return;
  await q.query(
    `SELECT pg_advisory_xact_lock($1, hashtext(k))
       FROM (SELECT k FROM unnest($2::text[]) AS k ORDER BY k) sorted`,
    [SHARD_LOCK_SPACE, [...communities].sort()],
  );
}
