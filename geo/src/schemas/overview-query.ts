import { z } from 'zod';
import { id, timestamp } from './fields.ts';

/** Query of `GET /api/overview`. */
export const OverviewQuerySchema = z.object({
  from: timestamp.optional(),
  to: timestamp.optional(),
  organisationId: id.optional(),
});
export type OverviewQuery = z.input<typeof OverviewQuerySchema>;
