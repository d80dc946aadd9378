import type { BBox, Geometry, LonLat } from './types.ts';

function positionsOf(geometry: Geometry): LonLat[] {
  switch (geometry.type) {
    case 'Point':
      return [geometry.coordinates];
    case 'LineString':
      return geometry.coordinates;
    case 'Polygon':
    case 'MultiLineString':
      return geometry.coordinates.flat();
    case 'MultiPolygon':
      return geometry.coordinates.flat(2);
  }
}

/** Bounding box `[minLon, minLat, maxLon, maxLat]` of a geometry; throws for a geometry with no positions. */
export function bboxOf(geometry: Geometry): BBox {
  const positions = positionsOf(geometry);
  if (positions.length === 0) throw new Error(`cannot take the bbox of an empty ${geometry.type}`);
  const box: BBox = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [lon, lat] of positions) {
    box[0] = Math.min(box[0], lon);
    box[1] = Math.min(box[1], lat);
    box[2] = Math.max(box[2], lon);
    box[3] = Math.max(box[3], lat);
  }
  return box;
}
