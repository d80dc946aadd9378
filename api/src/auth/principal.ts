import type { FeedScope, Queryable } from '@wardmap/db';
import type { PersonRole } from '@wardmap/geo';

/** Who is calling, with the area their roles cover; the admin token yields an admin without a person row. */
export interface Principal {
  id: string;
  name: string;
  roles: PersonRole[];
  gridId: string | null;
  policePostId: string | null;
  /** Communities of the person's grid and police post. */
  communityIds: string[];
  /** River segments the person is chief of. */
  segmentIds: string[];
}

/** Where a row (incident, alert, stream event) sits, for area checks. */
export interface AreaRef {
  personId?: string | null;
  communityId?: string | null;
  gridId?: string | null;
  segmentId?: string | null;
  policePostId?: string | null;
}

export const ADMIN_PRINCIPAL: Principal = {
  id: 'admin',
  name: 'admin',
  roles: ['admin'],
  gridId: null,
  policePostId: null,
  communityIds: [],
  segmentIds: [],
};

export const isAdmin = (p: Principal): boolean => p.roles.includes('admin');

/** Loads an active person with their area; null when there is no such active person. */
export async function loadPrincipal(q: Queryable, personId: string): Promise<Principal | null> {
  const res = await q.query<{
    id: string;
    name: string;
    roles: PersonRole[];
    grid_id: string | null;
    police_post_id: string | null;
    communities: string[] | null;
    segments: string[] | null;
  }>(
    `SELECT p.id, p.name, p.roles, p.grid_id, p.police_post_id,
            ARRAY(SELECT DISTINCT c FROM unnest(ARRAY[g.community_id, pp.community_id]) AS c WHERE c IS NOT NULL) AS communities,
            ARRAY(SELECT s.id FROM river_segments s WHERE s.chief_id = p.id ORDER BY s.id) AS segments
       FROM people p
       LEFT JOIN grids g ON g.id = p.grid_id
       LEFT JOIN police_posts pp ON pp.id = p.police_post_id
      WHERE p.id = $1 AND p.active`,
    [personId],
  );
  const row = res.rows[0];
  if (!row) return null;
  return {
    id: row.id,
    name: row.name,
    roles: row.roles,
    gridId: row.grid_id,
    policePostId: row.police_post_id,
    communityIds: row.communities ?? [],
    segmentIds: row.segments ?? [],
  };
}

/**
 * Whether `p` may see something in `area`: admins everything; everyone else what lies in their
 * community (patrollers, liaisons, police), their police post, their river segments, or is their own.
 */
export function canSee(p: Principal, area: AreaRef): boolean {
  if (isAdmin(p)) return true;
  if (area.personId && area.personId === p.id) return true;
  if (area.communityId && p.communityIds.includes(area.communityId)) return true;
  if (area.gridId && area.gridId === p.gridId) return true;
  if (area.segmentId && p.segmentIds.includes(area.segmentId)) return true;
  if (area.policePostId && area.policePostId === p.policePostId) return true;
  return false;
}

/**
 * The change-feed scope of what `p` may see, for reading the feed in SQL: `null` (everything) for
 * admins, else exactly the lists {@link canSee} tests against (plus `resync`, which every stream
 * carries). Keep the two in step: test/src/api/stream-scope.test.ts compares them.
 */
export function feedScopeOf(p: Principal): FeedScope | null {
  if (isAdmin(p)) return null;
  return {
    personIds: [p.id],
    communityIds: p.communityIds,
    gridIds: p.gridId ? [p.gridId] : [],
    segmentIds: p.segmentIds,
    policePostIds: p.policePostId ? [p.policePostId] : [],
  };
}
