import type { Queryable } from '@wardmap/db';
import type { CheckinItem } from '../items.ts';
import { gridAtLateral, point } from './sql.ts';

/** Opens (or re-finds) grid patrols for `start` check-ins; returns their ids. */
export async function openGridPatrols(
  q: Queryable,
  starts: ReadonlyArray<CheckinItem & { patrolId: string }>,
): Promise<string[]> {
  // ON CONFLICT DO UPDATE may touch a row once per statement: one row per patrol id.
  const byId = new Map<string, CheckinItem & { patrolId: string }>();
  for (const s of starts) {
    const prev = byId.get(s.patrolId);
    if (!prev || s.at < prev.at) byId.set(s.patrolId, s);
  }
  const list = [...byId.values()];
  const res = await q.query<{ id: string }>(
    `INSERT INTO patrols AS p (id, person_id, kind, grid_id, started_at, status)
     SELECT s.id, s.person_id, 'grid', g.id, s.at, 'open'
       FROM (SELECT t.*, ${point('t.lon', 't.lat')} AS geom
               FROM unnest($1::text[], $2::text[], $3::timestamptz[], $4::float8[], $5::float8[])
                 AS t(id, person_id, at, lon, lat)) s
       ${gridAtLateral('s.geom')}
     ON CONFLICT (id) DO UPDATE SET started_at = LEAST(p.started_at, excluded.started_at)
     RETURNING id`,
    [
      list.map((s) => s.patrolId),
      list.map((s) => s.personId),
      list.map((s) => s.at),
      list.map((s) => s.lon),
      list.map((s) => s.lat),
    ],
  );
  return res.rows.map((r) => r.id);
}

/**
 * Closes grid patrols for `end` check-ins: the named patrol, else the person's latest patrol
 * started before the end. The earliest end wins, so a late duplicate never extends a patrol.
 */
export async function closeGridPatrols(q: Queryable, ends: readonly CheckinItem[]): Promise<string[]> {
  const res = await q.query<{ id: string }>(
    `WITH e AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::timestamptz[]) AS e(patrol_id, person_id, at)
     ), t AS (
       SELECT coalesce(e.patrol_id, (
                SELECT p.id FROM patrols p
                 WHERE p.person_id = e.person_id AND p.kind = 'grid' AND p.started_at <= e.at
                 ORDER BY p.started_at DESC LIMIT 1)) AS id, e.at
         FROM e
     )
     UPDATE patrols p SET ended_at = t.at, status = 'closed'
       FROM (SELECT id, min(at) AS at FROM t WHERE id IS NOT NULL GROUP BY id) t
      WHERE p.id = t.id AND p.kind = 'grid' AND (p.ended_at IS NULL OR p.ended_at > t.at)
     RETURNING p.id`,
    [ends.map((e) => e.patrolId), ends.map((e) => e.personId), ends.map((e) => e.at)],
  );
  return res.rows.map((r) => r.id);
}

/**
 * Recomputes track, distance and duration of grid patrols from their stored check-ins, so the
 * result does not depend on arrival order. Patrols just opened first adopt an `end` that arrived
 * before their start, and the person's unassigned check-ins inside their time window.
 */
export async function rebuildGridPatrols(q: Queryable, ids: string[], opened: string[]): Promise<string[]> {
  if (opened.length) {
    await q.query(
      `UPDATE patrols p SET ended_at = x.at, status = 'closed'
         FROM (SELECT p.id, min(c.at) AS at FROM patrols p
                 JOIN checkins c ON c.person_id = p.person_id AND c.kind = 'end' AND c.at >= p.started_at
                                AND (c.patrol_id IS NULL OR c.patrol_id = p.id)
                WHERE p.id = ANY($1::text[]) AND p.ended_at IS NULL GROUP BY p.id) x
        WHERE p.id = x.id`,
      [opened],
    );
    await q.query(
      `UPDATE checkins c SET patrol_id = p.id
         FROM patrols p
        WHERE p.id = ANY($1::text[]) AND c.person_id = p.person_id AND c.patrol_id IS NULL
          AND c.at >= p.started_at AND c.at <= coalesce(p.ended_at, 'infinity')`,
      [opened],
    );
  }
  const res = await q.query<{ id: string }>(
    `UPDATE patrols p
        SET track = s.track,
            distance_m = coalesce(ST_Length(s.track::geography), 0),
            duration_s = greatest(0, extract(epoch FROM coalesce(p.ended_at, s.last_at) - p.started_at))
       FROM (SELECT c.patrol_id AS id,
                    CASE WHEN count(*) >= 2 THEN ST_MakeLine(c.geom ORDER BY c.at, c.message_id) END AS track,
                    max(c.at) AS last_at
               FROM checkins c WHERE c.patrol_id = ANY($1::text[]) GROUP BY c.patrol_id) s
      WHERE p.id = s.id AND p.kind = 'grid'
     RETURNING p.id`,
    [ids],
  );
  return res.rows.map((r) => r.id);
}
