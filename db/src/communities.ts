import type { Queryable } from './types.ts';

/** The key of data that belongs to no community (people without a grid, orphan cameras). */
export const NO_COMMUNITY = '';

/**
 * The communities the data of these owners counts for, from the reference data: a person's (their
 * grid's), a camera's (its police post's; by id or Frigate name), a river segment's (its chief's
 * grid's); `NO_COMMUNITY` for an owner without one. Distinct and sorted. Ingest's write turns are
 * keyed by it, and the API publishes HTTP check-ins under it, so both agree on an owner's community.
 */
export async function ownerCommunities(
  q: Queryable,
  owners: { people?: readonly string[]; cameras?: readonly string[]; segments?: readonly string[] },
): Promise<string[]> {
  const people = owners.people ?? [];
  const cameras = owners.cameras ?? [];
  const segments = owners.segments ?? [];
  if (people.length + cameras.length + segments.length === 0) return [];
  const r = await q.query<{ k: string }>(
    `SELECT DISTINCT coalesce(k, '') AS k FROM (
       SELECT g.community_id AS k FROM unnest($1::text[]) AS x(id)
         LEFT JOIN people p ON p.id = x.id LEFT JOIN grids g ON g.id = p.grid_id
       UNION ALL
       SELECT pp.community_id FROM unnest($2::text[]) AS x(id)
         LEFT JOIN cameras c ON c.id = x.id OR c.frigate_name = x.id
         LEFT JOIN police_posts pp ON pp.id = c.police_post_id
       UNION ALL
       SELECT g.community_id FROM unnest($3::text[]) AS x(id)
         LEFT JOIN river_segments s ON s.id = x.id LEFT JOIN people p ON p.id = s.chief_id
         LEFT JOIN grids g ON g.id = p.grid_id
     ) keys ORDER BY 1`,
    [[...people], [...cameras], [...segments]],
  );
  return r.rows.map((row) => row.k);
}
