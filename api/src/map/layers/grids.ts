import { ageHours, SETTINGS, statusOf } from '../../compliance/compliance-sql.ts';
import { inBounds, isoUtc, type LayerDef, OPEN_INCIDENT } from './layer.ts';

/**
 * Management blocks with their patrol status: last valid grid patrol vs the grid interval,
 * coverage (share of the block's area within the buffer of valid tracks of the coverage window),
 * open incidents by level, and patrollers on duty (an open grid patrol) for the block.
 */
export const gridsLayer: LayerDef = {
  name: 'grids',
  changes: ['patrols', 'incidents'],
  ttlMs: 60_000,
  pointLike: false,
  maxAgeS: 30,
  assessesPatrols: true,
  sql: `
    SELECT g.id, g.geom,
           jsonb_build_object('id', g.id, 'name', g.name, 'communityId', g.community_id,
             'households', g.households, 'liaisonId', g.liaison_id,
             'intervalH', cs.grid_interval_h, 'lastPatrolAt', ${isoUtc('lp.ended_at')},
             'lastPatrolAgeH', ${ageHours('lp.ended_at')},
             'status', ${statusOf('lp.ended_at', 'cs.grid_interval_h')},
             'coveragePct', round((coalesce(ST_Area(ST_Intersection(g.geom, tr.u)::geography)
                                   / nullif(ST_Area(g.geom::geography), 0), 0) * 100)::numeric, 1),
             'openBuilding', oi.building, 'openBlock', oi.block, 'openCommunity', oi.community,
             'onDuty', od.n) AS props
      FROM grids g
      CROSS JOIN ${SETTINGS} cs
      LEFT JOIN LATERAL (
        SELECT p.ended_at FROM patrols p
         WHERE p.grid_id = g.id AND p.kind = 'grid' AND p.valid AND p.ended_at <= :now
         ORDER BY p.ended_at DESC LIMIT 1) lp ON true
      LEFT JOIN LATERAL (
        -- Buffers on geography are metric; the union is back in 4326 to intersect with the block.
        SELECT ST_Union(ST_Buffer(p.track::geography, cs.grid_buf_m)::geometry) AS u FROM patrols p
         WHERE p.grid_id = g.id AND p.kind = 'grid' AND p.valid AND p.track IS NOT NULL
           AND p.ended_at <= :now AND p.ended_at > :now - cs.grid_window_h * interval '1 hour') tr ON true
      LEFT JOIN LATERAL (
        SELECT count(*) FILTER (WHERE i.level = 'building') AS building,
               count(*) FILTER (WHERE i.level = 'block') AS block,
               count(*) FILTER (WHERE i.level = 'community') AS community
          FROM incidents i WHERE i.grid_id = g.id AND i.${OPEN_INCIDENT}) oi ON true
      LEFT JOIN LATERAL (
        SELECT count(*) AS n FROM patrols p LEFT JOIN people pe ON pe.id = p.person_id
         WHERE p.status = 'open' AND p.kind = 'grid' AND p.started_at <= :now
           AND coalesce(p.grid_id, pe.grid_id) = g.id) od ON true
     WHERE ${inBounds('g.geom')}
     ORDER BY g.id LIMIT :limit`,
};
