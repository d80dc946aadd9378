import { inBounds, type LayerDef } from './layer.ts';

/**
 * Everything the dashboard draws underneath: lake, rivers, roads, villages (basemap_features),
 * management blocks and, from zoom 14 (or in GeoJSON), buildings. Property `kind` tells them apart.
 */
export const basemapLayer: LayerDef = {
  name: 'basemap',
  changes: [],
  ttlMs: 3_600_000,
  pointLike: false,
  maxAgeS: 3600,
  sql: `
    SELECT * FROM (
      SELECT b.id, b.geom, jsonb_build_object('id', b.id, 'kind', b.kind, 'name', b.name) AS props
        FROM basemap_features b WHERE ${inBounds('b.geom')}
      UNION ALL
      SELECT g.id, g.geom, jsonb_build_object('id', g.id, 'kind', 'block', 'name', g.name)
        FROM grids g WHERE ${inBounds('g.geom')}
      UNION ALL
      SELECT bu.id, bu.geom, jsonb_build_object('id', bu.id, 'kind', 'building', 'name', bu.name)
        FROM buildings bu WHERE (:zoom < 0 OR :zoom >= 14) AND ${inBounds('bu.geom')}
    ) f ORDER BY id LIMIT :limit`,
};
