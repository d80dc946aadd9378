import type { Queryable } from '@wardmap/db';
import type { Principal } from '../auth/principal.ts';

/** A replay window: check-ins and incidents between `since` and `until`, in the caller's area. */
export interface TrackWindow {
  since: Date;
  until: Date;
  personId: string | null;
  /** Undefined or admin: every area. */
  principal: Principal | undefined;
}

const isAdmin = (p: Principal | undefined) => !p || p.roles.includes('admin');

/** Check-ins of the caller's area: their own, their communities', their block's (params from `$n`). */
function checkinArea(p: Principal | undefined, n: number): { sql: string; params: unknown[] } {
  if (isAdmin(p)) return { sql: 'true', params: [] };
  return {
    sql: `(c.person_id = $${n} OR c.community_id = ANY($${n + 1}::text[]) OR c.grid_id = $${n + 2})`,
    params: [p!.id, p!.communityIds, p!.gridId],
  };
}

/** Incidents of the caller's area (communities, block, river segments, police post). */
function incidentArea(p: Principal | undefined, n: number): { sql: string; params: unknown[] } {
  if (isAdmin(p)) return { sql: 'true', params: [] };
  return {
    sql: `(i.community_id = ANY($${n}::text[]) OR i.grid_id = $${n + 1} OR i.segment_id = ANY($${n + 2}::text[]) OR i.police_post_id = $${n + 3})`,
    params: [p!.communityIds, p!.gridId, p!.segmentIds, p!.policePostId],
  };
}

/** The check-in condition of a window and its parameters ($1..$3 and the area's). */
function checkinScope(w: TrackWindow) {
  const ck = checkinArea(w.principal, 4);
  return {
    params: [w.since.toISOString(), w.until.toISOString(), w.personId, ...ck.params],
    sql: `c.at >= $1 AND c.at < $2 AND ($3::text IS NULL OR c.person_id = $3) AND ${ck.sql}`,
  };
}

/** How many people checked in during the window. */
export async function countTrackedPeople(q: Queryable, w: TrackWindow): Promise<number> {
  const scope = checkinScope(w);
  const people = await q.query<{ n: number }>(
    `SELECT count(DISTINCT c.person_id)::int AS n FROM checkins c WHERE ${scope.sql}`,
    scope.params,
  );
  return people.rows[0]?.n ?? 0;
}

/** Everyone's check-in path in the window, one point per `bucketS` seconds (the latest of each). */
export async function thinnedTracks(q: Queryable, w: TrackWindow, bucketS: number, maxPeople: number) {
  const scope = checkinScope(w);
  const res = await q.query<{
    id: string;
    name: string | null;
    roles: string[] | null;
    path: unknown;
  }>(
    `WITH thinned AS (
       SELECT DISTINCT ON (c.person_id, b) c.person_id, c.geom, c.at
         FROM checkins c
         CROSS JOIN LATERAL (SELECT floor(extract(epoch FROM c.at - $1::timestamptz) / $${scope.params.length + 1})::bigint AS b) k
        WHERE ${scope.sql}
        ORDER BY c.person_id, b, c.at DESC
     )
     SELECT t.person_id AS id, p.name, p.roles,
            json_agg(json_build_array(round(ST_X(t.geom)::numeric, 6), round(ST_Y(t.geom)::numeric, 6),
                                      (extract(epoch FROM t.at) * 1000)::bigint) ORDER BY t.at) AS path
       FROM thinned t LEFT JOIN people p ON p.id = t.person_id
      GROUP BY t.person_id, p.name, p.roles
      ORDER BY t.person_id LIMIT ${maxPeople}`,
    [...scope.params, bucketS],
  );
  return res.rows;
}

/** Incidents alive during the window, with their state changes up to its end. */
export async function incidentsOfWindow(q: Queryable, w: TrackWindow, maxIncidents: number) {
  const inc = incidentArea(w.principal, 3);
  const res = await q.query<{
    id: string;
    title: string;
    lon: number;
    lat: number;
    level: string;
    state: string;
    created_at: Date;
    sla_due_at: Date | null;
    changes: unknown;
  }>(
    `SELECT i.id, i.title, ST_X(i.geom) AS lon, ST_Y(i.geom) AS lat, i.level, i.state, i.created_at, i.sla_due_at,
            coalesce((SELECT json_agg(json_build_object('at', e.at, 'state', e.to_state, 'level', e.to_level)
                                      ORDER BY e.at, e.id)
                        FROM incident_events e WHERE e.incident_id = i.id AND e.at < $2), '[]'::json) AS changes
       FROM incidents i
      WHERE i.geom IS NOT NULL AND i.created_at < $2
        AND (i.closed_at IS NULL OR i.closed_at >= $1) AND (i.resolved_at IS NULL OR i.resolved_at >= $1)
        AND ${inc.sql}
      ORDER BY i.created_at LIMIT ${maxIncidents}`,
    [w.since.toISOString(), w.until.toISOString(), ...inc.params],
  );
  return res.rows;
}
