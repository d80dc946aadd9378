import type { Queryable } from '@wardmap/db';

/**
 * The community a device message counts for, as ingest's write turns key it (ingest/src/write/shards.ts):
 * a person's grid's community; a river segment's chief's. Null when there is none (then the message
 * is published without the community level).
 */
export async function messageCommunity(
  q: Queryable,
  of: { personId: string } | { segmentId: string },
): Promise<string | null> {
  const r =
    'personId' in of
      ? await q.query<{ community_id: string }>(
          `SELECT g.community_id FROM people p JOIN grids g ON g.id = p.grid_id WHERE p.id = $1`,
          [of.personId],
        )
      : await q.query<{ community_id: string }>(
          `SELECT g.community_id FROM river_segments s JOIN people p ON p.id = s.chief_id
             JOIN grids g ON g.id = p.grid_id WHERE s.id = $1`,
          [of.segmentId],
        );
  return r.rows[0]?.community_id ?? null;
}
