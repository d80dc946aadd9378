import {
  CameraSchema,
  CommunitySchema,
  GeoJsonImportSchema,
  GridSchema,
  type ImportLayer,
  importFeatureInput,
  PolicePostSchema,
  parseOrReason,
  RiverSegmentSchema,
} from '@wardmap/geo';
import {
  upsertCameras,
  upsertCommunities,
  upsertGrids,
  upsertPolicePosts,
  upsertRiverSegments,
} from './reference.ts';
import type { Queryable } from './types.ts';

export interface ImportResult {
  ok: boolean;
  /** Features written per layer (only when ok). */
  counts: Partial<Record<ImportLayer, number>>;
  /** One reason per rejected feature, naming its index; nothing is written when any is rejected. */
  errors: string[];
}

const SCHEMAS = {
  communities: CommunitySchema,
  grids: GridSchema,
  'river-segments': RiverSegmentSchema,
  'police-posts': PolicePostSchema,
  cameras: CameraSchema,
} as const;

// Parents before children, so foreign keys hold inside one import.
const ORDER: ImportLayer[] = ['communities', 'police-posts', 'grids', 'cameras', 'river-segments'];

/**
 * Validates a GeoJSON FeatureCollection for the reference layers and, if every feature is valid,
 * upserts them all. All-or-nothing: a single bad feature rejects the import with its reason.
 */
export async function importGeoJson(
  q: Queryable,
  body: unknown,
  queryLayer?: ImportLayer,
): Promise<ImportResult> {
  const parsed = parseOrReason(GeoJsonImportSchema, body);
  if (!parsed.ok) return { ok: false, counts: {}, errors: [parsed.reason] };
  const byLayer = new Map<ImportLayer, unknown[]>();
  const errors: string[] = [];
  parsed.value.features.forEach((feature, i) => {
    const input = importFeatureInput(feature as never, queryLayer);
    if (!input) {
      errors.push(`features.${i}: no target layer (set properties.layer or ?layer=)`);
      return;
    }
    const row = parseOrReason(SCHEMAS[input.layer], input.input);
    if (!row.ok) errors.push(`features.${i} (${input.layer}): ${row.reason}`);
    else byLayer.set(input.layer, [...(byLayer.get(input.layer) ?? []), row.value]);
  });
  if (errors.length) return { ok: false, counts: {}, errors };
  const counts: ImportResult['counts'] = {};
  try {
    await writeLayers(q, byLayer, counts);
  } catch (err) {
    // A reference to something that does not exist (a grid's community, a camera's police post).
    const e = err as { code?: string; detail?: string; message: string };
    if (e.code === '23503') return { ok: false, counts: {}, errors: [e.detail ?? e.message] };
    throw err;
  }
  return { ok: true, counts, errors: [] };
}

async function writeLayers(
  q: Queryable,
  byLayer: Map<ImportLayer, unknown[]>,
  counts: ImportResult['counts'],
): Promise<void> {
  for (const layer of ORDER) {
    const rows = byLayer.get(layer) as never[] | undefined;
    if (!rows?.length) continue;
    if (layer === 'communities') counts[layer] = await upsertCommunities(q, rows);
    else if (layer === 'police-posts') counts[layer] = await upsertPolicePosts(q, rows);
    else if (layer === 'grids') counts[layer] = await upsertGrids(q, rows);
    else if (layer === 'cameras') counts[layer] = await upsertCameras(q, rows);
    else counts[layer] = await upsertRiverSegments(q, rows);
  }
}
