import { z } from 'zod';
import { id } from './fields.ts';
import { windowQuery } from './query-params.ts';
import { RiverChiefLevelSchema } from './river-segment.ts';

/** Query of `GET /api/compliance/segments`. */
export const ComplianceSegmentQuerySchema = z.object({
  chiefId: id.optional(),
  level: RiverChiefLevelSchema.optional(),
  status: z.enum(['ok', 'due', 'overdue', 'no_rule']).optional(),
});
/** Query of `GET /api/compliance/grids`. */
export const ComplianceGridQuerySchema = z.object({
  communityId: id.optional(),
  status: z.enum(['ok', 'due', 'overdue']).optional(),
});
/** Query of `GET /api/compliance/patrols`. */
export const CompliancePatrolQuerySchema = windowQuery(5_000, 500).extend({
  personId: id.optional(),
  segmentId: id.optional(),
  gridId: id.optional(),
});
