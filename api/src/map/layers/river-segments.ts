import { ageHours, ruleFor, SETTINGS, seasonOf, statusOf } from '../../compliance/compliance-sql.ts';
import { inBounds, isoUtc, type LayerDef, OPEN_INCIDENT } from './layer.ts';

/**
 * River segments with their chief's compliance: the rule for the chief level and season, the last
 * valid patrol, its coverage of the segment, due / overdue, and open issues. The compliance routes
 * read the same rows (properties without geometry).
 */
export const riverSegmentsLayer: LayerDef = {
  name: 'river-segments',
  changes: ['patrols', 'incidents', 'river_reports'],
  ttlMs: 60_000,
  pointLike: false,
  maxAgeS: 30,
  assessesPatrols: true,
  sql: `
    SELECT s.id, s.geom,
           jsonb_build_object('id', s.id, 'name', s.name, 'riverId', s.river_id, 'chiefId', s.chief_id,
             'chiefName', chief.name, 'level', s.level, 'lengthM', round(s.length_m::numeric, 1),
             'season', ${seasonOf(':now')}, 'ruleId', r.id, 'intervalH', r.min_interval_hours,
             'lastPatrolId', lp.id, 'lastPatrolAt', ${isoUtc('lp.ended_at')}, 'lastPatrolAgeH', ${ageHours('lp.ended_at')},
             'coveragePct', round((lp.coverage * 100)::numeric, 1),
             'dueAt', ${isoUtc("lp.ended_at + r.min_interval_hours * interval '1 hour'")},
             'status', ${statusOf('lp.ended_at', 'r.min_interval_hours')},
             'openIssues', oi.n) AS props
      FROM river_segments s
      CROSS JOIN ${SETTINGS} cs
      LEFT JOIN people chief ON chief.id = s.chief_id
      ${ruleFor('s.level', ':now')}
      LEFT JOIN LATERAL (
        SELECT p.id, p.ended_at, p.coverage FROM patrols p
         WHERE p.segment_id = s.id AND p.kind = 'river' AND p.valid AND p.ended_at <= :now
         ORDER BY p.ended_at DESC LIMIT 1) lp ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM incidents i WHERE i.segment_id = s.id AND i.${OPEN_INCIDENT}) oi ON true
     WHERE ${inBounds('s.geom')}
     ORDER BY s.id LIMIT :limit`,
};
