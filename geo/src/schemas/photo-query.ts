import { z } from 'zod';
import { id, messageId, timestamp } from './fields.ts';

/** Query of `POST /api/photos`; the body is the image bytes themselves. */
export const PhotoUploadQuerySchema = z.object({
  /** The client's id for this photo (its outbox message id): a retried upload is not stored twice. */
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{8,64}$/, { error: 'id must be 8-64 letters, digits, _ or -' })
    .optional(),
  /** An existing incident the photo documents (e.g. the "after" photo of a closed issue). */
  incidentId: id.optional(),
  /** The client id of the report (river report message id, manual incident id) the photo belongs to. */
  reportId: messageId.optional(),
  purpose: z.enum(['report', 'after', 'resolve']).default('report'),
  /** When the photo was taken (the phone's clock). */
  takenAt: z
    .preprocess((v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v), timestamp)
    .optional(),
});
export type PhotoUploadQuery = z.input<typeof PhotoUploadQuerySchema>;

/** Query of `GET /api/photos`: the incident whose photos to list. */
export const PhotoListQuerySchema = z.object({ incidentId: id });
