import { z } from 'zod';
import { displayName, id } from './fields.ts';
import { AreaGeometrySchema } from './geojson.ts';

/** Resettlement community (安置小区) or traditional neighbourhood committee (居委会). */
export const CommunityKindSchema = z.enum(['resettlement', 'traditional']);
export type CommunityKind = z.infer<typeof CommunityKindSchema>;

/** A community: the top level of the escalation ladder (building -> block -> community). */
export const CommunitySchema = z.object({
  id,
  name: displayName,
  kind: CommunityKindSchema.optional(),
  residents: z.number().int().min(0).optional(),
  households: z.number().int().min(0).optional(),
  geometry: AreaGeometrySchema,
});
export type Community = z.infer<typeof CommunitySchema>;
