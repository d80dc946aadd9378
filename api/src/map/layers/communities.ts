import { inBounds, type LayerDef, OPEN_INCIDENT } from './layer.ts';

export const communitiesLayer: LayerDef = {
  name: 'communities',
  changes: ['incidents'],
  ttlMs: 60_000,
  pointLike: false,
  maxAgeS: 60,
  sql: `
    SELECT c.id, c.geom,
           jsonb_build_object('id', c.id, 'name', c.name, 'kind', c.kind, 'residents', c.residents,
             'households', c.households,
             'openIncidents', (SELECT count(*) FROM incidents i WHERE i.community_id = c.id AND i.${OPEN_INCIDENT})) AS props
      FROM communities c
     WHERE ${inBounds('c.geom')}
     ORDER BY c.id LIMIT :limit`,
};
