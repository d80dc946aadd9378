import { z } from 'zod';
import { id, timestamp } from './fields.ts';
import { IncidentLevelSchema, IncidentStateSchema } from './incident.ts';

/** Query of `GET /api/incidents`: `state` may list several states separated by commas. */
export const IncidentListQuerySchema = z.object({
  state: z
    .string()
    .transform((s) => s.split(','))
    .pipe(z.array(IncidentStateSchema))
    .optional(),
  level: IncidentLevelSchema.optional(),
  gridId: id.optional(),
  communityId: id.optional(),
  segmentId: id.optional(),
  policePostId: id.optional(),
  since: timestamp.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export type IncidentListQuery = z.input<typeof IncidentListQuerySchema>;
