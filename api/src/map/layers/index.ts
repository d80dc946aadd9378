import { basemapLayer } from './basemap.ts';
import { camerasLayer, cameraViewsLayer } from './cameras.ts';
import { checkinsLayer } from './checkins.ts';
import { communitiesLayer } from './communities.ts';
import { gridsLayer } from './grids.ts';
import { incidentsLayer } from './incidents.ts';
import type { LayerDef } from './layer.ts';
import { policePostsLayer } from './police-posts.ts';
import { positionsLayer } from './positions.ts';
import { riverSegmentsLayer } from './river-segments.ts';

export { binLatticeFor, CHECKIN_RAW_MIN_ZOOM, hexSizeForZoom } from './checkins.ts';
export type { LayerDef } from './layer.ts';

/** Every layer served as GeoJSON and as vector tiles, by URL name. */
export const LAYERS: ReadonlyMap<string, LayerDef> = new Map(
  [
    communitiesLayer,
    gridsLayer,
    riverSegmentsLayer,
    policePostsLayer,
    camerasLayer,
    cameraViewsLayer,
    positionsLayer,
    checkinsLayer,
    incidentsLayer,
    basemapLayer,
  ].map((l) => [l.name, l]),
);
