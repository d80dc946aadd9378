import { inBounds, isoUtc, type LayerDef } from './layer.ts';

/** Latest position per person inside the time window (default: the last day), with its age. */
export const positionsLayer: LayerDef = {
  name: 'positions',
  changes: ['positions'],
  ttlMs: 30_000,
  pointLike: true,
  maxAgeS: 5,
  areaScoped: true,
  // Area (as `canSee`): the caller's own position, anyone in the caller's grid or communities
  // (where the point is, or the person's home grid), or of the caller's police post.
  sql: `
    SELECT p.person_id AS id, p.geom,
           jsonb_build_object('id', p.person_id, 'name', pe.name, 'roles', array_to_string(pe.roles, ','),
             'gridId', p.grid_id, 'at', ${isoUtc('p.at')}, 'ageS', round(extract(epoch FROM :now - p.at))::int,
             'online', p.online, 'battery', p.battery, 'accuracy', p.accuracy,
             'onDuty', EXISTS (SELECT 1 FROM patrols pt WHERE pt.person_id = p.person_id AND pt.status = 'open')) AS props
      FROM positions p LEFT JOIN people pe ON pe.id = p.person_id
     WHERE ${inBounds('p.geom')} AND p.at >= :since AND p.at <= :until
       AND (:areaAll OR p.person_id = :areaPerson OR p.grid_id = :areaGrid OR pe.police_post_id = :areaPost
            OR EXISTS (SELECT 1 FROM grids g WHERE g.id IN (p.grid_id, pe.grid_id)
                         AND g.community_id = ANY(:areaCommunities)))
     ORDER BY p.person_id LIMIT :limit`,
};
