import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import {
  AreaGeometrySchema,
  FeatureCollectionSchema,
  GeometrySchema,
  LineGeometrySchema,
} from './geojson.ts';

const square = [
  [
    [121.6, 29.7],
    [121.7, 29.7],
    [121.7, 29.8],
    [121.6, 29.8],
    [121.6, 29.7],
  ],
];

describe('GeometrySchema', () => {
  it('accepts each supported geometry type', () => {
    const geometries = [
      { type: 'Point', coordinates: [121.64, 29.77] },
      { type: 'Point', coordinates: [121.64, 29.77, 4.2] },
      {
        type: 'LineString',
        coordinates: [
          [121.6, 29.7],
          [121.61, 29.71],
        ],
      },
      {
        type: 'MultiLineString',
        coordinates: [
          [
            [121.6, 29.7],
            [121.61, 29.71],
          ],
        ],
      },
      { type: 'Polygon', coordinates: square },
      { type: 'MultiPolygon', coordinates: [square, square] },
    ];
    for (const g of geometries) expect(GeometrySchema.parse(g)).toEqual(g);
  });

  it('rejects an unclosed ring, naming the ring', () => {
    const open = [square[0]!.slice(0, 4)];
    const r = parseOrReason(GeometrySchema, {
      type: 'Polygon',
      coordinates: [[...open[0]!, [121.6, 29.75]]],
    });
    expect(r).toEqual({
      ok: false,
      reason: 'coordinates.0: a polygon ring must be closed (first and last positions equal)',
    });
  });

  it('rejects latitude 95 deep inside a multipolygon, naming the full path', () => {
    const bad = [
      [
        [121.6, 29.7],
        [121.7, 29.7],
        [121.7, 95],
        [121.6, 29.7],
      ],
    ];
    const r = parseOrReason(GeometrySchema, { type: 'MultiPolygon', coordinates: [square, bad] });
    expect(!r.ok && r.reason).toBe('coordinates.1.0.2.1: latitude must be between -90 and 90 (got 95)');
  });

  it('rejects a one-point line and an unknown geometry type', () => {
    expect(GeometrySchema.safeParse({ type: 'LineString', coordinates: [[121.6, 29.7]] }).success).toBe(
      false,
    );
    const r = parseOrReason(GeometrySchema, { type: 'GeometryCollection', geometries: [] });
    expect(!r.ok && r.reason).toContain('type: unsupported geometry type "GeometryCollection"');
  });

  it('restricts area and line geometries to their types', () => {
    expect(
      AreaGeometrySchema.safeParse({
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      }).success,
    ).toBe(false);
    expect(LineGeometrySchema.safeParse({ type: 'Polygon', coordinates: square }).success).toBe(false);
  });
});

describe('FeatureCollectionSchema', () => {
  it('accepts features with properties, null properties and ids', () => {
    const fc = FeatureCollectionSchema.parse({
      type: 'FeatureCollection',
      features: [
        {
          type: 'Feature',
          id: 7,
          geometry: { type: 'Point', coordinates: [121.64, 29.77] },
          properties: { name: '岗亭' },
        },
        { type: 'Feature', geometry: { type: 'Polygon', coordinates: square }, properties: null },
      ],
    });
    expect(fc.features[1]?.properties).toEqual({});
  });

  it('rejects a feature with a null geometry, naming features.0.geometry', () => {
    const r = parseOrReason(FeatureCollectionSchema, {
      type: 'FeatureCollection',
      features: [{ type: 'Feature', geometry: null, properties: {} }],
    });
    expect(!r.ok && r.reason).toMatch(/^features\.0\.geometry: /);
  });
});
