import { inBounds, isoUtc, type LayerDef, OPEN_INCIDENT } from './layer.ts';

/** Open incidents (whenever created) plus any created in the time window, with SLA state. */
export const incidentsLayer: LayerDef = {
  name: 'incidents',
  changes: ['incidents'],
  ttlMs: 30_000,
  pointLike: true,
  maxAgeS: 5,
  areaScoped: true,
  // Area as `GET /api/incidents/:id`: the caller's communities, grid, river segments, police post,
  // or reported by the caller.
  sql: `
    SELECT i.id, i.geom,
           jsonb_build_object('id', i.id, 'title', i.title, 'category', i.category, 'severity', i.severity,
             'level', i.level, 'state', i.state, 'source', i.source, 'gridId', i.grid_id,
             'segmentId', i.segment_id, 'cameraId', i.camera_id, 'policePostId', i.police_post_id,
             'createdAt', ${isoUtc('i.created_at')}, 'slaDueAt', ${isoUtc('i.sla_due_at')},
             'slaOverdue', (i.${OPEN_INCIDENT} AND i.sla_due_at IS NOT NULL AND i.sla_due_at < :now),
             'escalations', i.escalations) AS props
      FROM incidents i
     WHERE i.geom IS NOT NULL AND ${inBounds('i.geom')}
       AND (i.${OPEN_INCIDENT} OR (i.created_at >= :since AND i.created_at <= :until))
       AND (:areaAll OR i.community_id = ANY(:areaCommunities) OR i.grid_id = :areaGrid
            OR i.segment_id = ANY(:areaSegments) OR i.police_post_id = :areaPost OR i.reported_by = :areaPerson)
     ORDER BY i.created_at DESC, i.id LIMIT :limit`,
};
