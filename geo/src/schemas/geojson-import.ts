import { z } from 'zod';
import { type Feature, featureOf, GeometrySchema } from './geojson.ts';

/** Reference layers a GeoJSON import can fill. */
export const ImportLayerSchema = z.enum([
  'communities',
  'grids',
  'river-segments',
  'police-posts',
  'cameras',
]);
export type ImportLayer = z.infer<typeof ImportLayerSchema>;

// Bounded so one request cannot hold the single PGlite backend for long.
export const MAX_IMPORT_FEATURES = 20_000;

const importPropertiesObject = z.looseObject({ layer: ImportLayerSchema.optional() });
const importProperties = z.codec(importPropertiesObject.nullable(), importPropertiesObject, {
  decode: (p) => p ?? {},
  encode: (p) => p,
});

/** Query of the bulk import endpoint: `?layer=` chooses the target for features whose properties do not. */
export const GeoJsonImportQuerySchema = z.object({ layer: ImportLayerSchema.optional() });
export type GeoJsonImportQuery = z.infer<typeof GeoJsonImportQuerySchema>;

/**
 * Body of the bulk GeoJSON import: a FeatureCollection whose features each name their target in
 * `properties.layer` or rely on the `?layer=` query. The remaining properties are validated by the
 * target's own schema (see {@link importFeatureInput}).
 */
export const GeoJsonImportSchema = z.object({
  type: z.literal('FeatureCollection'),
  features: z
    .array(featureOf(GeometrySchema, importProperties))
    .min(1, { error: 'features must not be empty' })
    .max(MAX_IMPORT_FEATURES, { error: `at most ${MAX_IMPORT_FEATURES} features per import` }),
});
export type GeoJsonImport = z.infer<typeof GeoJsonImportSchema>;

const POINT_LAYERS: ReadonlySet<ImportLayer> = new Set(['police-posts', 'cameras']);

/**
 * Turns an imported feature into the input object of its layer's schema (CameraSchema, GridSchema, ...):
 * point layers get `location` from the Point, others get `geometry`; `id` falls back to the feature id.
 * Returns undefined when no layer is known; the caller validates the result with the layer's schema.
 */
export function importFeatureInput(
  feature: Pick<Feature, 'id' | 'geometry'> & { properties: Record<string, unknown> },
  queryLayer?: ImportLayer,
): { layer: ImportLayer; input: Record<string, unknown> } | undefined {
  const { layer: ownLayer, ...rest } = feature.properties;
  const parsed = ImportLayerSchema.safeParse(ownLayer ?? queryLayer);
  if (!parsed.success) return undefined;
  const layer = parsed.data;
  const input: Record<string, unknown> = { ...rest };
  if (input.id === undefined && feature.id !== undefined) input.id = String(feature.id);
  if (POINT_LAYERS.has(layer)) {
    // A non-Point geometry is passed on as-is so the layer schema reports it against `location`.
    input.location =
      feature.geometry.type === 'Point' ? feature.geometry.coordinates.slice(0, 2) : feature.geometry;
  } else {
    input.geometry = feature.geometry;
  }
  return { layer, input };
}
