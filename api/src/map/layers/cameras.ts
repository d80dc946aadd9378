import { inBounds, isoUtc, type LayerDef } from './layer.ts';

const cameraProps = `jsonb_build_object('id', c.id, 'name', c.name, 'online', c.online, 'heading', c.heading,
  'fov', c.fov, 'policePostId', c.police_post_id, 'lastSeenAt', ${isoUtc('c.last_seen_at')},
  'openAlerts', (SELECT count(*) FROM camera_alerts a WHERE a.camera_id = c.id AND a.state <> 'end'))`;

/** Cameras as points with online/offline, heading and field-of-view angle. */
export const camerasLayer: LayerDef = {
  name: 'cameras',
  changes: ['cameras', 'camera_alerts'],
  ttlMs: 60_000,
  pointLike: true,
  maxAgeS: 10,
  sql: `
    SELECT c.id, c.geom, ${cameraProps} AS props
      FROM cameras c
     WHERE ${inBounds('c.geom')}
     ORDER BY c.id LIMIT :limit`,
};

// Field-of-view sectors: 60 m along the heading, fov degrees wide (a full circle without heading).
// ST_Project works on the spheroid, so the sector keeps its metric size at any latitude.
const VIEW_M = 60;

/** Cameras' fields of view as sector polygons (same properties as `cameras`). */
export const cameraViewsLayer: LayerDef = {
  name: 'camera-views',
  changes: ['cameras', 'camera_alerts'],
  ttlMs: 60_000,
  pointLike: true,
  maxAgeS: 10,
  sql: `
    SELECT c.id, v.geom, ${cameraProps} AS props
      FROM cameras c
      CROSS JOIN LATERAL (
        SELECT ST_MakePolygon(ST_MakeLine(ARRAY[c.geom] || ARRAY(
                 SELECT ST_Project(c.geom::geography, ${VIEW_M},
                          radians(coalesce(c.heading, 0) - coalesce(c.fov, 360) / 2 + coalesce(c.fov, 360) * k / 12.0))::geometry
                   FROM generate_series(0, 12) AS k ORDER BY k) || ARRAY[c.geom])) AS geom) v
     WHERE c.geom && ST_Expand(:bounds, 0.001) AND ${inBounds('v.geom')}
     ORDER BY c.id LIMIT :limit`,
};
