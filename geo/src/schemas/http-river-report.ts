import { z } from 'zod';
import { id } from './fields.ts';
import { RiverReportSchema } from './river-report.ts';

/** Body of `POST /api/river-reports`: a river report plus the segment it is about. */
export const HttpRiverReportSchema = z.intersection(RiverReportSchema, z.object({ segmentId: id }));
export type HttpRiverReport = z.input<typeof HttpRiverReportSchema>;
