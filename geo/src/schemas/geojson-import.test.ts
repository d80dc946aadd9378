import { describe, expect, it } from 'vitest';
import { CameraSchema } from './camera.ts';
import { parseOrReason } from './errors.ts';
import { GeoJsonImportQuerySchema, GeoJsonImportSchema, importFeatureInput } from './geojson-import.ts';
import { GridSchema } from './grid.ts';

const gridFeature = {
  type: 'Feature',
  id: 'grid-07',
  geometry: {
    type: 'Polygon',
    coordinates: [
      [
        [121.63, 29.76],
        [121.64, 29.76],
        [121.64, 29.77],
        [121.63, 29.76],
      ],
    ],
  },
  properties: { layer: 'grids', name: '第七网格', communityId: 'c-yinxue', households: 296 },
};
const cameraFeature = {
  type: 'Feature',
  geometry: { type: 'Point', coordinates: [121.641, 29.781, 12] },
  properties: { id: 'cam-1', name: '北岸码头' },
};

describe('GeoJsonImportSchema', () => {
  it('accepts a collection mixing features with and without a layer', () => {
    const body = GeoJsonImportSchema.parse({
      type: 'FeatureCollection',
      features: [gridFeature, cameraFeature],
    });
    expect(body.features).toHaveLength(2);
  });

  it('rejects an unknown layer, naming features.0.properties.layer', () => {
    const bad = { ...gridFeature, properties: { ...gridFeature.properties, layer: 'roads' } };
    const r = parseOrReason(GeoJsonImportSchema, { type: 'FeatureCollection', features: [bad] });
    expect(!r.ok && r.reason).toMatch(/^features\.0\.properties\.layer: /);
  });

  it('rejects an empty collection and a lone Feature', () => {
    expect(GeoJsonImportSchema.safeParse({ type: 'FeatureCollection', features: [] }).success).toBe(false);
    expect(GeoJsonImportSchema.safeParse(gridFeature).success).toBe(false);
  });

  it('parses the layer query parameter', () => {
    expect(GeoJsonImportQuerySchema.parse({ layer: 'cameras' })).toEqual({ layer: 'cameras' });
    expect(GeoJsonImportQuerySchema.safeParse({ layer: 'roads' }).success).toBe(false);
  });
});

describe('importFeatureInput', () => {
  const body = GeoJsonImportSchema.parse({
    type: 'FeatureCollection',
    features: [gridFeature, cameraFeature],
  });
  const [grid, camera] = body.features;

  it('builds a grid input from properties, geometry and the feature id', () => {
    const out = importFeatureInput(grid!);
    expect(out?.layer).toBe('grids');
    expect(GridSchema.parse(out?.input)).toMatchObject({ id: 'grid-07', households: 296 });
  });

  it('uses the query layer and turns a Point into a location', () => {
    const out = importFeatureInput(camera!, 'cameras');
    expect(out?.input.location).toEqual([121.641, 29.781]);
    expect(CameraSchema.parse(out?.input)).toMatchObject({ id: 'cam-1' });
  });

  it('prefers the feature layer over the query layer, and returns undefined with neither', () => {
    expect(importFeatureInput(grid!, 'cameras')?.layer).toBe('grids');
    expect(importFeatureInput(camera!)).toBeUndefined();
  });
});
