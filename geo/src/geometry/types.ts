// Plain GeoJSON-like shapes used by the geometry helpers and the reference generator.
// Deliberately independent of the zod schemas so geometry stays a leaf module.

/** A WGS-84 position as `[lon, lat]` in degrees. */
export type LonLat = [number, number];

/** `[minLon, minLat, maxLon, maxLat]`. */
export type BBox = [number, number, number, number];

export interface PointGeometry {
  type: 'Point';
  coordinates: LonLat;
}

export interface LineStringGeometry {
  type: 'LineString';
  coordinates: LonLat[];
}

export interface PolygonGeometry {
  type: 'Polygon';
  /** Exterior ring first, then holes; every ring closed (first position equals last). */
  coordinates: LonLat[][];
}

export interface MultiLineStringGeometry {
  type: 'MultiLineString';
  coordinates: LonLat[][];
}

export interface MultiPolygonGeometry {
  type: 'MultiPolygon';
  coordinates: LonLat[][][];
}

export type Geometry =
  | PointGeometry
  | LineStringGeometry
  | PolygonGeometry
  | MultiLineStringGeometry
  | MultiPolygonGeometry;
