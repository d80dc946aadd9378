import type { Queryable } from '@wardmap/db';
import type { BBox } from '@wardmap/geo';
import { isAdmin, type Principal } from '../auth/principal.ts';
import { type BoundSql, bindNamed, type Typed, typed } from '../sql/bind.ts';
import { binLatticeFor, hexSizeForZoom, type LayerDef } from './layers/index.ts';

/** What a layer query is asked for besides the area: the clock's now, a time window, a row cap, a zoom. */
export interface LayerWindow {
  now: Date;
  since: Date;
  until: Date;
  limit: number;
  /** Tile zoom (drives hex binning and minimum zooms); -1 means "GeoJSON, everything". */
  zoom: number;
  /**
   * Whose area the personal-data layers (positions, check-ins, incidents) are limited to. Absent
   * means everything: only internal callers (compliance, benchmarks) leave it out; the HTTP routes
   * always pass the caller's {@link areaOf}.
   */
  area?: LayerArea | undefined;
}

/** The area of a caller as bind values, the same rule as `canSee` (admins: all). */
export interface LayerArea {
  all: boolean;
  personId: string | null;
  communityIds: string[];
  gridId: string | null;
  segmentIds: string[];
  policePostId: string | null;
}

/** Everything (admins and internal callers). */
export const ALL_AREA: LayerArea = {
  all: true,
  personId: null,
  communityIds: [],
  gridId: null,
  segmentIds: [],
  policePostId: null,
};

/** A caller's area; no principal (never the case behind the sign-in middleware) sees nothing personal. */
export function areaOf(p: Principal | undefined): LayerArea {
  if (!p) return { ...ALL_AREA, all: false };
  if (isAdmin(p)) return ALL_AREA;
  return {
    all: false,
    personId: p.id,
    communityIds: [...p.communityIds].sort(),
    gridId: p.gridId,
    segmentIds: [...p.segmentIds].sort(),
    policePostId: p.policePostId,
  };
}

/**
 * The tile-cache scope of an area: `all` for admins, otherwise every value the area filter reads,
 * so a tile cached for one caller is only ever served to callers with exactly the same area.
 */
export function areaScope(a: LayerArea): string {
  if (a.all) return 'all';
  return [
    `p=${a.personId ?? ''}`,
    `c=${a.communityIds.join(',')}`,
    `g=${a.gridId ?? ''}`,
    `s=${a.segmentIds.join(',')}`,
    `pp=${a.policePostId ?? ''}`,
  ].join(';');
}

/** The placeholders every layer statement may use, typed once here. */
export function layerParams(w: LayerWindow): Record<string, Typed> {
  return {
    now: typed(w.now.toISOString(), 'timestamptz'),
    since: typed(w.since.toISOString(), 'timestamptz'),
    until: typed(w.until.toISOString(), 'timestamptz'),
    limit: typed(w.limit, 'int'),
    zoom: typed(w.zoom, 'int'),
    lattice: typed(binLatticeFor(w.zoom), 'int'),
    hexSize: typed(hexSizeForZoom(binLatticeFor(w.zoom)), 'float8'),
    ...areaParams(w.area ?? ALL_AREA),
  };
}

/** The area placeholders (`:areaAll`, `:areaPerson`, ...) of the layers' area conditions. */
function areaParams(a: LayerArea): Record<string, Typed> {
  return {
    areaAll: typed(a.all, 'boolean'),
    areaPerson: typed(a.personId, 'text'),
    areaCommunities: typed(a.communityIds, 'text[]'),
    areaGrid: typed(a.gridId, 'text'),
    areaSegments: typed(a.segmentIds, 'text[]'),
    areaPost: typed(a.policePostId, 'text'),
  };
}

const WORLD: BBox = [-180, -90, 180, 90];

/** The GeoJSON statement of a layer within a bbox (the whole world when none is given). */
export function layerGeoJsonSql(def: LayerDef, bbox: BBox | null, w: LayerWindow): BoundSql {
  const [minLon, minLat, maxLon, maxLat] = bbox ?? WORLD;
  return bindNamed(
    `SELECT f.id, ST_AsGeoJSON(f.geom, 7) AS gj, f.props FROM (${def.sql}) f`,
    {
      ...layerParams(w),
      minLon: typed(minLon, 'float8'),
      minLat: typed(minLat, 'float8'),
      maxLon: typed(maxLon, 'float8'),
      maxLat: typed(maxLat, 'float8'),
    },
    { bounds: 'ST_MakeEnvelope(:minLon, :minLat, :maxLon, :maxLat, 4326)' },
  );
}

export interface Feature {
  type: 'Feature';
  id: string;
  geometry: unknown;
  properties: Record<string, unknown>;
}

/** Runs a layer for GeoJSON: a FeatureCollection's features, in the layer's order. */
export async function queryLayerFeatures(
  db: Queryable,
  def: LayerDef,
  bbox: BBox | null,
  w: LayerWindow,
): Promise<Feature[]> {
  const { text, params } = layerGeoJsonSql(def, bbox, w);
  const res = await db.query<{ id: string; gj: string; props: Record<string, unknown> }>(text, params);
  return res.rows.map((r) => ({
    type: 'Feature',
    id: r.id,
    geometry: JSON.parse(r.gj),
    properties: r.props,
  }));
}
