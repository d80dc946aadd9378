import type { Db } from '@wardmap/db';
import type { Clock } from '@wardmap/geo';
import { id as idSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AuthEnv } from '../auth/middleware.ts';
import type { Principal } from '../auth/principal.ts';
import { parseQuery, windowQuery } from '../http/query-params.ts';

/** Longest window one request may replay. */
export const TRACKS_MAX_WINDOW_H = 7 * 24;
/** Points in one answer at most (spread over the people in the window), and per person. */
export const TRACKS_MAX_POINTS = 200_000;
const PER_PERSON_MAX = 2_000;
const PER_PERSON_MIN = 50;
const MAX_PEOPLE = 5_000;
const MAX_INCIDENTS = 1_000;

const TracksQuerySchema = windowQuery(MAX_PEOPLE, MAX_PEOPLE).extend({ personId: idSchema.optional() });

/**
 * `GET /api/tracks?since=&until=&personId=` for replay (回放): every person's check-ins in the
 * window as `[lon, lat, epochMs]` paths, thinned to one point per time bucket so an answer never
 * exceeds {@link TRACKS_MAX_POINTS} points, plus the incidents of the window with their state
 * changes, so a replay can show them appear and change colour when they did. Window: default the
 * clock's last 24 h, at most 7 days. Non-admins get the people and incidents of their own area.
 */
export function trackRoutes(deps: { db: Db; clock: Clock }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  app.get('/tracks', async (c) => {
    const q = parseQuery(TracksQuerySchema, c.req.query());
    const until = q.until ? new Date(q.until) : deps.clock.now();
    const since = q.since ? new Date(q.since) : new Date(until.getTime() - 24 * 3_600_000);
    const spanMs = until.getTime() - since.getTime();
    if (spanMs <= 0)
      throw new HTTPException(400, { message: 'bad_request', cause: 'since must be before until' });
    if (spanMs > TRACKS_MAX_WINDOW_H * 3_600_000) {
      throw new HTTPException(400, {
        message: 'bad_request',
        cause: `the window may span at most ${TRACKS_MAX_WINDOW_H} hours`,
      });
    }
    const principal = c.get('principal') as Principal | undefined;
    const ck = checkinArea(principal, 4);
    const params = [since.toISOString(), until.toISOString(), q.personId ?? null, ...ck.params];
    const scope = `c.at >= $1 AND c.at < $2 AND ($3::text IS NULL OR c.person_id = $3) AND ${ck.sql}`;
    const inc = incidentArea(principal, 3);
    const people = await deps.db.query<{ n: number }>(
      `SELECT count(DISTINCT c.person_id)::int AS n FROM checkins c WHERE ${scope}`,
      params,
    );
    const n = Math.max(1, Math.min(MAX_PEOPLE, people.rows[0]?.n ?? 0));
    const perPerson = Math.max(PER_PERSON_MIN, Math.min(PER_PERSON_MAX, Math.floor(TRACKS_MAX_POINTS / n)));
    const bucketS = Math.max(1, spanMs / 1000 / perPerson);
    const tracks = await deps.db.query<{
      id: string;
      name: string | null;
      roles: string[] | null;
      path: unknown;
    }>(
      `WITH thinned AS (
         SELECT DISTINCT ON (c.person_id, b) c.person_id, c.geom, c.at
           FROM checkins c
           CROSS JOIN LATERAL (SELECT floor(extract(epoch FROM c.at - $1::timestamptz) / $${params.length + 1})::bigint AS b) k
          WHERE ${scope}
          ORDER BY c.person_id, b, c.at DESC
       )
       SELECT t.person_id AS id, p.name, p.roles,
              json_agg(json_build_array(round(ST_X(t.geom)::numeric, 6), round(ST_Y(t.geom)::numeric, 6),
                                        (extract(epoch FROM t.at) * 1000)::bigint) ORDER BY t.at) AS path
         FROM thinned t LEFT JOIN people p ON p.id = t.person_id
        GROUP BY t.person_id, p.name, p.roles
        ORDER BY t.person_id LIMIT ${MAX_PEOPLE}`,
      [...params, bucketS],
    );
    const incidents = await deps.db.query<{
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
        ORDER BY i.created_at LIMIT ${MAX_INCIDENTS}`,
      [since.toISOString(), until.toISOString(), ...inc.params],
    );
    return c.json({
      since: since.toISOString(),
      until: until.toISOString(),
      bucketS: Math.round(bucketS * 1000) / 1000,
      tracks: tracks.rows.map((r) => ({
        personId: r.id,
        name: r.name,
        roles: r.roles ?? [],
        path: typeof r.path === 'string' ? JSON.parse(r.path) : r.path,
      })),
      incidents: incidents.rows.map((r) => ({
        id: r.id,
        title: r.title,
        location: [r.lon, r.lat],
        level: r.level,
        state: r.state,
        createdAt: new Date(r.created_at).toISOString(),
        slaDueAt: r.sla_due_at ? new Date(r.sla_due_at).toISOString() : null,
        changes: typeof r.changes === 'string' ? JSON.parse(r.changes) : r.changes,
      })),
    });
  });
  return app;
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
