import type { Queryable } from '@wardmap/db';
import { queryLayerFeatures } from '../map/layer-query.ts';
import { gridsLayer } from '../map/layers/grids.ts';
import { riverSegmentsLayer } from '../map/layers/river-segments.ts';
import { bindNamed, typed } from '../sql/bind.ts';
import { iso } from '../sql/iso.ts';
import { SETTINGS } from './compliance-sql.ts';
import { assessAllPending } from './patrol-assessment.ts';

const ALL = 100_000;

/** Every feature's properties of a status layer, now (pending patrols assessed first). */
async function layerCompliance(
  q: Queryable,
  layer: typeof gridsLayer | typeof riverSegmentsLayer,
  now: Date,
): Promise<Record<string, unknown>[]> {
  await assessAllPending(q, now);
  const features = await queryLayerFeatures(q, layer, null, {
    now,
    since: now,
    until: now,
    limit: ALL,
    zoom: -1,
  });
  return features.map((f) => f.properties);
}

/** Per-segment compliance: the river-segments layer's properties, so map and list never disagree. */
export function segmentCompliance(q: Queryable, now: Date): Promise<Record<string, unknown>[]> {
  return layerCompliance(q, riverSegmentsLayer, now);
}

/** Per-grid patrol status and coverage: the grids layer's properties. */
export function gridCompliance(q: Queryable, now: Date): Promise<Record<string, unknown>[]> {
  return layerCompliance(q, gridsLayer, now);
}

export interface OutsideGridAlert {
  personId: string;
  personName: string | null;
  gridId: string;
  patrolId: string;
  patrolStartedAt: string;
  lastInsideAt: string | null;
  lastSeenAt: string | null;
  lastPosition: [number, number] | null;
  minutesOutside: number;
  thresholdMin: number;
}

// On duty = an open grid patrol. The patroller's grid is the patrol's, else their own. The alert
// fires when no check-in since the patrol started (and within the clock's now) lies inside that
// grid for outside_grid_alert_min minutes — including a silent phone: no evidence of being inside.
const OUTSIDE = `
  SELECT p.person_id AS "personId", pe.name AS "personName", g.id AS "gridId", p.id AS "patrolId",
         p.started_at AS "patrolStartedAt", li.at AS "lastInsideAt", ls.at AS "lastSeenAt",
         CASE WHEN ls.geom IS NULL THEN NULL ELSE json_build_array(ST_X(ls.geom), ST_Y(ls.geom)) END AS "lastPosition",
         floor(extract(epoch FROM :now - coalesce(li.at, p.started_at)) / 60)::int AS "minutesOutside",
         cs.outside_min AS "thresholdMin"
    FROM patrols p
    CROSS JOIN ${SETTINGS} cs
    LEFT JOIN people pe ON pe.id = p.person_id
    JOIN grids g ON g.id = coalesce(p.grid_id, pe.grid_id)
    LEFT JOIN LATERAL (
      SELECT max(c.at) AS at FROM checkins c
       WHERE c.person_id = p.person_id AND c.at >= p.started_at AND c.at <= :now
         AND c.geom && g.geom AND ST_Intersects(c.geom, g.geom)) li ON true
    LEFT JOIN LATERAL (
      SELECT c.at, c.geom FROM checkins c
       WHERE c.person_id = p.person_id AND c.at >= p.started_at AND c.at <= :now
       ORDER BY c.at DESC LIMIT 1) ls ON true
   WHERE p.status = 'open' AND p.kind = 'grid' AND p.started_at <= :now
     AND coalesce(li.at, p.started_at) <= :now - cs.outside_min * interval '1 minute'
   ORDER BY 9 DESC, 1
   LIMIT 1000`;

/** "On-duty patroller not inside the grid for N minutes" alerts at the clock's now. */
export async function outsideGridAlerts(q: Queryable, now: Date): Promise<OutsideGridAlert[]> {
  const { text, params } = bindNamed(OUTSIDE, { now: typed(now.toISOString(), 'timestamptz') });
  const res = await q.query<
    OutsideGridAlert & { patrolStartedAt: unknown; lastInsideAt: unknown; lastSeenAt: unknown }
  >(text, params);
  return res.rows.map((r) => ({
    ...r,
    patrolStartedAt: iso(r.patrolStartedAt) as string,
    lastInsideAt: iso(r.lastInsideAt),
    lastSeenAt: iso(r.lastSeenAt),
  }));
}

export interface PatrolFilter {
  since: Date;
  until: Date;
  personId?: string | undefined;
  segmentId?: string | undefined;
  gridId?: string | undefined;
  limit: number;
}

/** Patrols that started in a window, with their assessment (coverage, flags, valid). */
export async function listPatrols(
  q: Queryable,
  now: Date,
  f: PatrolFilter,
): Promise<Record<string, unknown>[]> {
  await assessAllPending(q, now);
  const res = await q.query<Record<string, unknown>>(
    `SELECT id, person_id AS "personId", kind, grid_id AS "gridId", segment_id AS "segmentId",
            started_at AS "startedAt", ended_at AS "endedAt", status, distance_m AS "distanceM",
            duration_s AS "durationS", round((coverage * 100)::numeric, 1) AS "coveragePct", flags, valid,
            assessed_at AS "assessedAt"
       FROM patrols
      WHERE started_at >= $1 AND started_at <= $2
        AND ($3::text IS NULL OR person_id = $3) AND ($4::text IS NULL OR segment_id = $4)
        AND ($5::text IS NULL OR grid_id = $5)
      ORDER BY started_at DESC, id LIMIT $6`,
    [
      f.since.toISOString(),
      f.until.toISOString(),
      f.personId ?? null,
      f.segmentId ?? null,
      f.gridId ?? null,
      f.limit,
    ],
  );
  return res.rows.map((r) => ({
    ...r,
    startedAt: iso(r.startedAt),
    endedAt: iso(r.endedAt),
    assessedAt: iso(r.assessedAt),
  }));
}

/** The rules and settings in force (rules are data; this shows them). */
export async function complianceRules(q: Queryable): Promise<{
  patrolRules: Record<string, unknown>[];
  settings: Record<string, number>;
}> {
  const rules = await q.query<Record<string, unknown>>(
    `SELECT id, chief_level AS "chiefLevel", season, warning_level AS "warningLevel",
            min_interval_hours AS "minIntervalHours", min_duration_min AS "minDurationMin",
            min_distance_m AS "minDistanceM", max_speed_kmh AS "maxSpeedKmh"
       FROM patrol_rules ORDER BY chief_level, season NULLS FIRST, id`,
  );
  const settings = await q.query<{ key: string; value: number }>(
    'SELECT key, value FROM compliance_settings ORDER BY key',
  );
  return {
    patrolRules: rules.rows,
    settings: Object.fromEntries(settings.rows.map((r) => [r.key, r.value])),
  };
}
