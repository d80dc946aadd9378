import type { Queryable } from '@wardmap/db';
import { bindNamed, typed } from '../sql/bind.ts';
import { INVALIDATING_FLAGS, ruleFor, SETTINGS } from './compliance-sql.ts';

// Patrols are assessed once, when closed, and the result is stored on the row (coverage, flags,
// valid, assessed_at): coverage is a buffer/intersection on the spheroid that is too costly to
// recompute on every map tile, and the stored flags are what a chief sees and can dispute. Rule
// changes apply to patrols closed afterwards; `reassessPatrols` re-opens the assessment.
//
// - coverage (river patrols): length of the segment within river_coverage_buffer_m of the track
//   divided by the segment length; ST_Buffer on geography works in metres, the intersection is
//   taken in 4326 and measured back on the spheroid.
// - thresholds: the chief level's rule for the season the patrol started in; grid patrols (and
//   river patrols without a rule) use the grid_* settings.
// - clock: the start message's device time against its server receive time. Device time ahead
//   of the server is a wrong clock (clock_skew, invalid); far behind is an offline upload
//   (late_upload, informational): patrollers may legitimately work offline.
const ASSESS = `
  WITH todo AS (
    SELECT id FROM patrols WHERE status = 'closed' AND assessed_at IS NULL ORDER BY ended_at LIMIT :batch
  ), calc AS (
    SELECT p.id,
           CASE WHEN p.kind = 'river' AND s.length_m > 0 AND p.track IS NOT NULL THEN
             least(1.0, ST_Length(ST_Intersection(s.geom, ST_Buffer(p.track::geography, cs.river_buf_m)::geometry)::geography)
                        / s.length_m) END AS coverage,
           array_remove(ARRAY[
             CASE WHEN p.track IS NULL THEN 'no_track' END,
             CASE WHEN p.duration_s < coalesce(r.min_duration_min, cs.grid_min_duration_min) * 60 THEN 'too_short_time' END,
             CASE WHEN p.distance_m < coalesce(r.min_distance_m, cs.grid_min_distance_m) THEN 'too_short_distance' END,
             CASE WHEN p.duration_s > 0
                   AND p.distance_m / p.duration_s * 3.6 > coalesce(r.max_speed_kmh, cs.grid_max_speed_kmh)
                  THEN 'impossible_speed' END,
             CASE WHEN st.skew_s > cs.max_skew_s THEN 'clock_skew' END,
             CASE WHEN st.skew_s < -cs.late_upload_s THEN 'late_upload' END
           ]::text[], NULL) AS flags
      FROM todo JOIN patrols p USING (id)
      CROSS JOIN ${SETTINGS} cs
      LEFT JOIN river_segments s ON p.kind = 'river' AND s.id = p.segment_id
      ${ruleFor('s.level', 'p.started_at')}
      LEFT JOIN LATERAL (
        SELECT extract(epoch FROM m.at - m.received_at) AS skew_s FROM (
          SELECT rr.at, rr.received_at FROM river_reports rr
           WHERE rr.segment_id = p.segment_id AND rr.patrol_id = p.id AND rr.type = 'patrol_start'
          UNION ALL
          SELECT c.at, c.received_at FROM checkins c
           WHERE c.person_id = p.person_id AND c.patrol_id = p.id AND c.kind = 'start'
             AND c.at BETWEEN p.started_at - interval '1 day' AND p.started_at + interval '1 day'
        ) m ORDER BY m.at LIMIT 1) st ON true
  )
  UPDATE patrols p
     SET coverage = calc.coverage,
         flags = ARRAY(SELECT DISTINCT f FROM unnest(p.flags || calc.flags) AS f ORDER BY f),
         valid = NOT (calc.flags && :invalidating),
         assessed_at = :now
    FROM calc WHERE p.id = calc.id
  RETURNING p.id`;

/**
 * Assesses closed patrols not yet assessed (up to `batch`); returns how many. Cheap when there
 * are none (partial index), so readers call it before answering.
 */
export async function assessPatrols(q: Queryable, now: Date, batch = 500): Promise<number> {
  const { text, params } = bindNamed(ASSESS, {
    batch: typed(batch, 'int'),
    now: typed(now.toISOString(), 'timestamptz'),
    invalidating: typed(INVALIDATING_FLAGS, 'text[]'),
  });
  const res = await q.query(text, params);
  return res.rowCount;
}

/** Marks patrols for re-assessment (after a rule or setting change), optionally those ended since an instant. */
export async function reassessPatrols(q: Queryable, since?: Date): Promise<number> {
  const res = await q.query(
    `UPDATE patrols SET assessed_at = NULL, valid = NULL, coverage = NULL,
            flags = ARRAY(SELECT f FROM unnest(flags) AS f WHERE f <> ALL ($2::text[]))
      WHERE status = 'closed' AND ($1::timestamptz IS NULL OR ended_at >= $1)`,
    [since ? since.toISOString() : null, [...INVALIDATING_FLAGS, 'late_upload']],
  );
  return res.rowCount;
}

/** Ensures everything closed has been assessed (loops over batches), for readers. */
export async function assessAllPending(q: Queryable, now: Date): Promise<void> {
  for (let i = 0; i < 20; i++) if ((await assessPatrols(q, now)) < 500) return;
}
