import type { Geometry, LonLat } from '../geometry/types.ts';
import type { ReferenceGeography } from './types.ts';

/** A GeoJSON Feature with a string id and camelCase properties. */
export interface ReferenceFeature {
  type: 'Feature';
  id: string;
  geometry: Geometry;
  properties: Record<string, unknown>;
}

/** A GeoJSON FeatureCollection. */
export interface ReferenceFeatureCollection {
  type: 'FeatureCollection';
  features: ReferenceFeature[];
}

/** Layer names produced by referenceToGeoJSON, matching the API's layer names. */
export const REFERENCE_LAYERS = [
  'lake',
  'communities',
  'grids',
  'buildings',
  'villages',
  'roads',
  'rivers',
  'river-segments',
  'police-posts',
  'cameras',
] as const;
export type ReferenceLayerName = (typeof REFERENCE_LAYERS)[number];

type WithGeometry = { id: string; geometry: Geometry };
type WithLocation = { id: string; location: LonLat };

function fromShapes(items: readonly WithGeometry[]): ReferenceFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: items.map(({ geometry, ...properties }) => ({
      type: 'Feature',
      id: properties.id,
      geometry,
      properties,
    })),
  };
}

function fromPoints(items: readonly WithLocation[]): ReferenceFeatureCollection {
  return {
    type: 'FeatureCollection',
    features: items.map(({ location, ...properties }) => ({
      type: 'Feature',
      id: properties.id,
      geometry: { type: 'Point', coordinates: [location[0], location[1]] },
      properties,
    })),
  };
}

/** Turn the reference geography into one GeoJSON FeatureCollection per map layer (properties keep their camelCase names). */
export function referenceToGeoJSON(
  ref: ReferenceGeography,
): Record<ReferenceLayerName, ReferenceFeatureCollection> {
  return {
    lake: fromShapes([ref.lake]),
    communities: fromShapes(ref.communities),
    grids: fromShapes(ref.grids),
    buildings: fromShapes(ref.buildings),
    villages: fromPoints(ref.villages),
    roads: fromShapes(ref.roads),
    rivers: fromShapes(ref.rivers),
    'river-segments': fromShapes(ref.riverSegments),
    'police-posts': fromPoints(ref.policePosts),
    cameras: fromPoints(ref.cameras),
  };
}
