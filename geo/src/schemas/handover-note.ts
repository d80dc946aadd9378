import { z } from 'zod';
import { id } from './fields.ts';

/** Body of `POST /api/board/:postId/handover`: a shift handover note tied to open incidents. */
export const HandoverNoteSchema = z.object({
  note: z.string().trim().min(1).max(4000),
  incidentIds: z.array(id).max(100).default([]),
});
export type HandoverNote = z.input<typeof HandoverNoteSchema>;
