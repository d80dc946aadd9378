import { z } from 'zod';
import { timestamp } from './fields.ts';

/** Query of `GET /api/stats` and `/api/stats.csv`. */
export const StatsQuerySchema = z.object({
  from: timestamp.optional(),
  to: timestamp.optional(),
  bucket: z.enum(['day', 'week']).default('day'),
  tz: z
    .string()
    .regex(/^[A-Za-z_]+(\/[A-Za-z0-9_+-]+)*$/, { error: 'tz must be an IANA zone name like Asia/Shanghai' })
    .default('Asia/Shanghai'),
  format: z.enum(['json', 'csv']).default('json'),
});
export type StatsQuery = z.input<typeof StatsQuerySchema>;
