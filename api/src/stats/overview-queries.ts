import type { Queryable } from '@wardmap/db';
import { ruleFor, SETTINGS } from '../compliance/compliance-sql.ts';
import { assessAllPending } from '../compliance/patrol-assessment.ts';
import { bindNamed, type Typed, typed } from '../sql/bind.ts';
import { iso } from '../sql/iso.ts';

// Reads of the four-in-one overview (社区总览) for a period [from, to]: incidents by level and by
// partner, escalations that reached the community, time to acknowledge / close against the SLA,
// and patrol compliance (应巡 vs 已巡) per block and per river segment. Incidents count in the
// period they were created in, exactly as `/api/stats` counts them, so the two always agree.

export interface OverviewRequest {
  from: Date;
  to: Date;
  now: Date;
  /** The partner organisation whose view this is (its community, its river chiefs); null = all. */
  organisationId: string | null;
}

export interface Organisation {
  id: string;
  name: string;
  kind: 'party' | 'police' | 'property' | 'resident_unit';
  communityId: string | null;
}

const num = (v: unknown) => (v === null || v === undefined ? null : Number(v));

// The incidents in scope: created in the period, inside the organisation's community when it has one.
const SCOPE = `SELECT i.* FROM incidents i
  WHERE i.created_at >= :from AND i.created_at <= :to
    AND (:community IS NULL OR i.community_id = :community)`;

const BY_LEVEL = `
  WITH s AS (${SCOPE})
  SELECT l.level, count(s.id)::int AS incidents,
         count(s.id) FILTER (WHERE s.state IN ('open', 'acknowledged', 'dispatched', 'resolved'))::int AS open,
         count(s.id) FILTER (WHERE s.state IN ('verified', 'closed'))::int AS done,
         count(s.id) FILTER (WHERE s.escalations > 0)::int AS escalated
    FROM (VALUES ('building', 1), ('block', 2), ('community', 3)) AS l(level, ord)
    LEFT JOIN s ON s.level = l.level
   GROUP BY l.level, l.ord ORDER BY l.ord`;

// A partner "handled" an incident when one of its people recorded a transition on it; incidents
// nobody has touched yet count as unhandled. One incident may count for several partners: that is
// the four-in-one network working the same case.
const BY_PARTNER = `
  WITH s AS (${SCOPE}),
  acted AS (
    SELECT DISTINCT e.incident_id, o.kind, o.id AS org_id
      FROM incident_events e JOIN s ON s.id = e.incident_id
      JOIN people pe ON pe.id = e.actor JOIN organisations o ON o.id = pe.organisation_id
  )
  SELECT k.kind, count(DISTINCT a.incident_id)::int AS incidents,
         (SELECT count(*)::int FROM incident_events e JOIN s ON s.id = e.incident_id
            JOIN people pe ON pe.id = e.actor JOIN organisations o ON o.id = pe.organisation_id
           WHERE o.kind = k.kind) AS actions
    FROM (VALUES ('party', 1), ('police', 2), ('property', 3), ('resident_unit', 4)) AS k(kind, ord)
    LEFT JOIN acted a ON a.kind = k.kind
   GROUP BY k.kind, k.ord
  UNION ALL
  SELECT 'none', count(*)::int, 0 FROM s WHERE NOT EXISTS (SELECT 1 FROM acted a WHERE a.incident_id = s.id)`;

const BY_ORGANISATION = `
  WITH s AS (${SCOPE})
  SELECT o.id, o.name, o.kind, count(DISTINCT e.incident_id)::int AS incidents, count(e.id)::int AS actions
    FROM incident_events e JOIN s ON s.id = e.incident_id
    JOIN people pe ON pe.id = e.actor JOIN organisations o ON o.id = pe.organisation_id
   GROUP BY o.id, o.name, o.kind ORDER BY 4 DESC, o.id LIMIT 100`;

// Incidents that reached the community level (要事妥善提交) in the period, with the time since.
const ESCALATIONS = `
  SELECT i.id, i.title, i.category, i.severity, i.state, i.community_id AS "communityId", c.name AS "communityName",
         e.at AS "reachedAt", e.actor, e.note,
         round((extract(epoch FROM :now - e.at) / 60)::numeric, 1) AS "ageMin"
    FROM incident_events e JOIN incidents i ON i.id = e.incident_id
    LEFT JOIN communities c ON c.id = i.community_id
   WHERE e.to_level = 'community' AND coalesce(e.from_level, '') <> 'community'
     AND e.at >= :from AND e.at <= :to
     AND (:community IS NULL OR i.community_id = :community)
   ORDER BY e.at DESC LIMIT 500`;

// Minutes from creation to acknowledgement and to closing, per (current) level, against the SLA
// of each incident's own level and severity.
const TIMINGS = `
  WITH s AS (${SCOPE}),
  t AS (
    SELECT s.level,
           extract(epoch FROM s.acknowledged_at - s.created_at) / 60 AS ack_min,
           extract(epoch FROM s.closed_at - s.created_at) / 60 AS close_min,
           r.ack_minutes, r.resolve_minutes
      FROM s LEFT JOIN sla_rules r ON r.level = s.level AND r.severity = s.severity
  )
  SELECT l.level,
         count(t.ack_min)::int AS "ackCount",
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.ack_min)::numeric, 1) AS "ackMedianMin",
         round(percentile_cont(0.9) WITHIN GROUP (ORDER BY t.ack_min)::numeric, 1) AS "ackP90Min",
         round(100.0 * count(*) FILTER (WHERE t.ack_min <= t.ack_minutes) / nullif(count(t.ack_min), 0), 1) AS "ackWithinSlaPct",
         count(t.close_min)::int AS "closeCount",
         round(percentile_cont(0.5) WITHIN GROUP (ORDER BY t.close_min)::numeric, 1) AS "closeMedianMin",
         round(percentile_cont(0.9) WITHIN GROUP (ORDER BY t.close_min)::numeric, 1) AS "closeP90Min",
         round(100.0 * count(*) FILTER (WHERE t.close_min <= t.resolve_minutes) / nullif(count(t.close_min), 0), 1) AS "closeWithinSlaPct",
         (SELECT r.ack_minutes FROM sla_rules r WHERE r.level = l.level AND r.severity = 'medium') AS "ackSlaMin",
         (SELECT r.resolve_minutes FROM sla_rules r WHERE r.level = l.level AND r.severity = 'medium') AS "resolveSlaMin"
    FROM (VALUES ('building', 1), ('block', 2), ('community', 3)) AS l(level, ord)
    LEFT JOIN t ON t.level = l.level
   GROUP BY l.level, l.ord ORDER BY l.ord`;

// 应巡 (required) = the period's length over the rule's interval, rounded up (7 whole days of a
// daily rule: 7), at least one; 已巡 (done) = valid
// patrols that ended in the period. Distance and time are those valid patrols' sums.
const GRIDS = `
  SELECT g.id AS "gridId", g.name, g.community_id AS "communityId", c.name AS "communityName",
         greatest(1, ceil(extract(epoch FROM :to - :from) / 3600 / cs.grid_interval_h - 0.001))::int AS required,
         count(p.id)::int AS done,
         round(coalesce(sum(p.distance_m), 0)::numeric) AS "distanceM",
         round((coalesce(sum(p.duration_s), 0) / 60)::numeric, 1) AS "durationMin"
    FROM grids g CROSS JOIN ${SETTINGS} cs
    LEFT JOIN communities c ON c.id = g.community_id
    LEFT JOIN patrols p ON p.grid_id = g.id AND p.kind = 'grid' AND p.valid
         AND p.ended_at >= :from AND p.ended_at <= :to
   WHERE (:community IS NULL OR g.community_id = :community)
   GROUP BY g.id, g.name, g.community_id, c.name, cs.grid_interval_h
   ORDER BY g.community_id, g.id`;

const SEGMENTS = `
  SELECT s.id AS "segmentId", s.name, s.level AS "chiefLevel", s.chief_id AS "chiefId", pe.name AS "chiefName",
         round(s.length_m::numeric) AS "lengthM",
         CASE WHEN r.id IS NULL THEN NULL
              ELSE greatest(1, ceil(extract(epoch FROM :to - :from) / 3600 / r.min_interval_hours - 0.001))::int END AS required,
         (SELECT count(*)::int FROM patrols p WHERE p.segment_id = s.id AND p.kind = 'river' AND p.valid
             AND p.ended_at >= :from AND p.ended_at <= :to) AS done,
         (SELECT round(coalesce(sum(p.distance_m), 0)::numeric) FROM patrols p WHERE p.segment_id = s.id
             AND p.kind = 'river' AND p.valid AND p.ended_at >= :from AND p.ended_at <= :to) AS "distanceM",
         (SELECT round((coalesce(sum(p.duration_s), 0) / 60)::numeric, 1) FROM patrols p WHERE p.segment_id = s.id
             AND p.kind = 'river' AND p.valid AND p.ended_at >= :from AND p.ended_at <= :to) AS "durationMin"
    FROM river_segments s CROSS JOIN ${SETTINGS} cs
    LEFT JOIN people pe ON pe.id = s.chief_id
    ${ruleFor('s.level', ':to')}
   WHERE (:org IS NULL OR NOT EXISTS (SELECT 1 FROM people x WHERE x.organisation_id = :org AND 'river_chief' = ANY(x.roles))
          OR pe.organisation_id = :org)
   ORDER BY s.id`;

const pct = (done: number, required: number | null) =>
  required ? Math.round(Math.min(100, (100 * done) / required) * 10) / 10 : null;

/** Everything the overview page shows for one period and partner view. */
export async function queryOverview(q: Queryable, r: OverviewRequest) {
  await assessAllPending(q, r.now);
  const orgs = await q.query<Organisation>(
    `SELECT id, name, kind, community_id AS "communityId" FROM organisations ORDER BY kind, id`,
  );
  const org = r.organisationId ? (orgs.rows.find((o) => o.id === r.organisationId) ?? null) : null;
  if (r.organisationId && !org) return null;
  const params: Record<string, Typed> = {
    from: typed(r.from.toISOString(), 'timestamptz'),
    to: typed(r.to.toISOString(), 'timestamptz'),
    now: typed(r.now.toISOString(), 'timestamptz'),
    community: typed(org?.communityId ?? null, 'text'),
    org: typed(org?.id ?? null, 'text'),
  };
  const run = async (sql: string) => {
    const used = Object.fromEntries(Object.entries(params).filter(([k]) => sql.includes(`:${k}`)));
    const b = bindNamed(sql, used);
    return (await q.query<Record<string, unknown>>(b.text, b.params)).rows;
  };
  const [byLevel, byPartner, byOrganisation, escalations, timings, grids, segments] = [
    await run(BY_LEVEL),
    await run(BY_PARTNER),
    await run(BY_ORGANISATION),
    await run(ESCALATIONS),
    await run(TIMINGS),
    await run(GRIDS),
    await run(SEGMENTS),
  ];
  const numbers = (row: Record<string, unknown>, keys: string[]) => {
    const out: Record<string, unknown> = { ...row };
    for (const k of keys) out[k] = num(row[k]);
    return out;
  };
  return {
    from: r.from.toISOString(),
    to: r.to.toISOString(),
    at: r.now.toISOString(),
    organisation: org,
    organisations: orgs.rows,
    byLevel,
    byPartner,
    byOrganisation,
    escalations: escalations.map((e) => ({ ...numbers(e, ['ageMin']), reachedAt: iso(e.reachedAt) })),
    timings: timings.map((t) =>
      numbers(t, [
        'ackMedianMin',
        'ackP90Min',
        'ackWithinSlaPct',
        'closeMedianMin',
        'closeP90Min',
        'closeWithinSlaPct',
        'ackSlaMin',
        'resolveSlaMin',
      ]),
    ),
    grids: grids.map((g) => {
      const row = numbers(g, ['distanceM', 'durationMin']);
      return { ...row, compliancePct: pct(Number(g.done), Number(g.required)) };
    }),
    segments: segments.map((s) => {
      const row = numbers(s, ['distanceM', 'durationMin', 'lengthM']);
      return { ...row, compliancePct: pct(Number(s.done), s.required === null ? null : Number(s.required)) };
    }),
  };
}
