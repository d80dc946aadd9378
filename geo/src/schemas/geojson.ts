import { z } from 'zod';
import { showInput, unknownDiscriminator } from './errors.ts';
import { lat, lon } from './fields.ts';

/** A GeoJSON position `[lon, lat]` or `[lon, lat, altitude]`, range-checked. */
export const position = z.tuple([lon, lat, z.number().optional()], {
  error: (iss) =>
    iss.input === undefined
      ? undefined
      : `expected a position [longitude, latitude] (got ${showInput(iss.input)})`,
});
export type Position = z.infer<typeof position>;

const lineCoords = z.array(position).min(2, { error: 'a line needs at least 2 positions' });

const ring = z
  .array(position)
  .min(4, { error: 'a polygon ring needs at least 4 positions' })
  .refine(
    (r) => {
      const first = r[0];
      const last = r[r.length - 1];
      return first !== undefined && last !== undefined && first[0] === last[0] && first[1] === last[1];
    },
    { error: 'a polygon ring must be closed (first and last positions equal)' },
  );

const polygonCoords = z.array(ring).min(1, { error: 'a polygon needs at least one ring' });

/** GeoJSON Point. */
export const PointSchema = z.object({ type: z.literal('Point'), coordinates: position });
export type Point = z.infer<typeof PointSchema>;

/** GeoJSON LineString (>= 2 positions). */
export const LineStringSchema = z.object({ type: z.literal('LineString'), coordinates: lineCoords });
export type LineString = z.infer<typeof LineStringSchema>;

/** GeoJSON MultiLineString. */
export const MultiLineStringSchema = z.object({
  type: z.literal('MultiLineString'),
  coordinates: z.array(lineCoords).min(1),
});
export type MultiLineString = z.infer<typeof MultiLineStringSchema>;

/** GeoJSON Polygon (closed rings of >= 4 positions; winding order is not checked). */
export const PolygonSchema = z.object({ type: z.literal('Polygon'), coordinates: polygonCoords });
export type Polygon = z.infer<typeof PolygonSchema>;

/** GeoJSON MultiPolygon. */
export const MultiPolygonSchema = z.object({
  type: z.literal('MultiPolygon'),
  coordinates: z.array(polygonCoords).min(1),
});
export type MultiPolygon = z.infer<typeof MultiPolygonSchema>;

/** An area: Polygon or MultiPolygon (communities, grids). */
export const AreaGeometrySchema = z.discriminatedUnion('type', [PolygonSchema, MultiPolygonSchema], {
  error: unknownDiscriminator('area geometry type'),
});
export type AreaGeometry = z.infer<typeof AreaGeometrySchema>;

/** A line: LineString or MultiLineString (river segments). */
export const LineGeometrySchema = z.discriminatedUnion('type', [LineStringSchema, MultiLineStringSchema], {
  error: unknownDiscriminator('line geometry type'),
});
export type LineGeometry = z.infer<typeof LineGeometrySchema>;

/** Any geometry Wardmap stores (GeometryCollection and MultiPoint are not supported). */
export const GeometrySchema = z.discriminatedUnion(
  'type',
  [PointSchema, LineStringSchema, MultiLineStringSchema, PolygonSchema, MultiPolygonSchema],
  { error: unknownDiscriminator('geometry type') },
);
export type Geometry = z.infer<typeof GeometrySchema>;

/** Feature properties: any JSON object (null is normalised to `{}`). */
export const propertiesSchema = z.codec(
  z.record(z.string(), z.unknown()).nullable(),
  z.record(z.string(), z.unknown()),
  {
    decode: (p) => p ?? {},
    encode: (p) => p,
  },
);

/** Builds a GeoJSON Feature schema with the given geometry and properties schemas. */
export function featureOf<G extends z.ZodType, P extends z.ZodType>(geometry: G, properties: P) {
  return z.object({
    type: z.literal('Feature'),
    id: z.union([z.string(), z.number()]).optional(),
    geometry,
    properties,
  });
}

/** Builds a GeoJSON FeatureCollection schema whose features use the given feature schema. */
export function featureCollectionOf<F extends z.ZodType>(feature: F) {
  return z.object({ type: z.literal('FeatureCollection'), features: z.array(feature) });
}

/** A GeoJSON Feature with any supported geometry and free-form properties. */
export const FeatureSchema = featureOf(GeometrySchema, propertiesSchema);
export type Feature = z.infer<typeof FeatureSchema>;

/** A GeoJSON FeatureCollection of {@link FeatureSchema} features. */
export const FeatureCollectionSchema = featureCollectionOf(FeatureSchema);
export type FeatureCollection = z.infer<typeof FeatureCollectionSchema>;
