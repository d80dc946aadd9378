import type { Db } from '@wardmap/db';
import { type Clock, TRACKS_MAX_PEOPLE, TracksQuerySchema, TracksSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { AuthEnv } from '../auth/middleware.ts';
import type { Principal } from '../auth/principal.ts';
import { parseQuery } from '../http/query-params.ts';
import { routes } from '../openapi/registry.ts';
import { countTrackedPeople, incidentsOfWindow, thinnedTracks } from './track-queries.ts';

/** Longest window one request may replay. */
export const TRACKS_MAX_WINDOW_H = 7 * 24;
/** Points in one answer at most (spread over the people in the window), and per person. */
export const TRACKS_MAX_POINTS = 200_000;
const PER_PERSON_MAX = 2_000;
const PER_PERSON_MIN = 50;
const MAX_PEOPLE = TRACKS_MAX_PEOPLE;
const MAX_INCIDENTS = 1_000;

/**
 * `GET /api/tracks?since=&until=&personId=` for replay (回放): every person's check-ins in the
 * window as `[lon, lat, epochMs]` paths, thinned to one point per time bucket so an answer never
 * exceeds {@link TRACKS_MAX_POINTS} points, plus the incidents of the window with their state
 * changes, so a replay can show them appear and change colour when they did. Window: default the
 * clock's last 24 h, at most 7 days. Non-admins get the people and incidents of their own area.
 */
export function trackRoutes(deps: { db: Db; clock: Clock }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  r.get(
    '/tracks',
    {
      summary:
        "Replay: everyone's thinned check-in paths and the incidents of a window (since, until <= 7 days, personId)",
      tag: 'reads',
      auth: 'required',
      query: TracksQuerySchema,
      response: TracksSchema,
    },
    async (c) => {
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
      const window = {
        since,
        until,
        personId: q.personId ?? null,
        principal: c.get('principal') as Principal | undefined,
      };
      const n = Math.max(1, Math.min(MAX_PEOPLE, await countTrackedPeople(deps.db, window)));
      const perPerson = Math.max(PER_PERSON_MIN, Math.min(PER_PERSON_MAX, Math.floor(TRACKS_MAX_POINTS / n)));
      const bucketS = Math.max(1, spanMs / 1000 / perPerson);
      const tracks = await thinnedTracks(deps.db, window, bucketS, MAX_PEOPLE);
      const incidents = await incidentsOfWindow(deps.db, window, MAX_INCIDENTS);
      return c.json({
        since: since.toISOString(),
        until: until.toISOString(),
        bucketS: Math.round(bucketS * 1000) / 1000,
        tracks: tracks.map((r) => ({
          personId: r.id,
          name: r.name,
          roles: r.roles ?? [],
          path: typeof r.path === 'string' ? JSON.parse(r.path) : r.path,
        })),
        incidents: incidents.map((r) => ({
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
    },
  );
  return app;
}
