import { z } from 'zod';
import { displayName, id, lonLat } from './fields.ts';

/** Body of `POST /api/police-posts` (警务岗). */
export const PolicePostSchema = z.object({
  id,
  name: displayName,
  location: lonLat,
  communityId: id.optional(),
});
export type PolicePost = z.infer<typeof PolicePostSchema>;
