import { describe, expect, it } from 'vitest';
import { generateReference } from './generate.ts';
import { REFERENCE_LAYERS, referenceToGeoJSON } from './geojson.ts';

describe('referenceToGeoJSON', () => {
  const ref = generateReference();
  const layers = referenceToGeoJSON(ref);

  it('emits every layer as a FeatureCollection with one feature per record', () => {
    expect(Object.keys(layers).sort()).toEqual([...REFERENCE_LAYERS].sort());
    expect(layers.lake.features).toHaveLength(1);
    expect(layers.communities.features).toHaveLength(ref.communities.length);
    expect(layers.grids.features).toHaveLength(ref.grids.length);
    expect(layers['river-segments'].features).toHaveLength(ref.riverSegments.length);
    expect(layers.cameras.features).toHaveLength(ref.cameras.length);
    for (const layer of Object.values(layers)) {
      expect(layer.type).toBe('FeatureCollection');
      for (const f of layer.features) {
        expect(f.type).toBe('Feature');
        expect(f.properties.id).toBe(f.id);
        expect(f.properties).not.toHaveProperty('geometry');
        expect(f.properties).not.toHaveProperty('location');
      }
    }
  });

  it('keeps camelCase properties the tiles and API rely on', () => {
    const grid = layers.grids.features[0];
    expect(grid?.geometry.type).toBe('Polygon');
    expect(grid?.properties).toMatchObject({
      households: ref.grids[0]?.households,
      communityId: ref.grids[0]?.communityId,
    });
    const segment = layers['river-segments'].features[0];
    expect(segment?.geometry.type).toBe('LineString');
    expect(segment?.properties).toMatchObject({
      chiefId: ref.riverSegments[0]?.chiefId,
      level: ref.riverSegments[0]?.level,
      lengthM: ref.riverSegments[0]?.lengthM,
      riverId: ref.riverSegments[0]?.riverId,
    });
  });

  it('turns locations into Point geometries', () => {
    const camera = layers.cameras.features[0];
    expect(camera?.geometry).toEqual({ type: 'Point', coordinates: ref.cameras[0]?.location });
    expect(camera?.properties).toMatchObject({
      policePostId: ref.cameras[0]?.policePostId,
      heading: ref.cameras[0]?.heading,
    });
    expect(layers['police-posts'].features[0]?.geometry.type).toBe('Point');
    expect(layers.villages.features[0]?.geometry.type).toBe('Point');
  });
});
