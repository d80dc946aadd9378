import { z } from 'zod';
import { displayName, id } from './fields.ts';
import { LineGeometrySchema } from './geojson.ts';

/** The level of a river chief, which sets the patrol-frequency rule for the segment. */
export const RiverChiefLevelSchema = z.enum(['county', 'township', 'village', 'enterprise']);
export type RiverChiefLevel = z.infer<typeof RiverChiefLevelSchema>;

/** Body of `POST /api/river-segments`: a stretch of river under one chief. */
export const RiverSegmentSchema = z.object({
  id,
  name: displayName,
  riverId: id.optional(),
  chiefId: id.optional(),
  level: RiverChiefLevelSchema,
  task: z.string().max(500).optional(),
  standard: z.string().max(500).optional(),
  geometry: LineGeometrySchema,
});
export type RiverSegment = z.infer<typeof RiverSegmentSchema>;
