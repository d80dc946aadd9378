import { inBounds, type LayerDef, OPEN_INCIDENT } from './layer.ts';

export const policePostsLayer: LayerDef = {
  name: 'police-posts',
  changes: ['incidents', 'cameras'],
  ttlMs: 60_000,
  pointLike: true,
  maxAgeS: 30,
  sql: `
    SELECT pp.id, pp.geom,
           jsonb_build_object('id', pp.id, 'name', pp.name, 'communityId', pp.community_id,
             'openIncidents', (SELECT count(*) FROM incidents i WHERE i.police_post_id = pp.id AND i.${OPEN_INCIDENT}),
             'camerasOffline', (SELECT count(*) FROM cameras cam WHERE cam.police_post_id = pp.id AND NOT cam.online)) AS props
      FROM police_posts pp
     WHERE ${inBounds('pp.geom')}
     ORDER BY pp.id LIMIT :limit`,
};
