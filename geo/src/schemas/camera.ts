import { z } from 'zod';
import { displayName, heading, id, lonLat, numberBetween } from './fields.ts';

/** Body of `POST /api/cameras`. The id is also the camera's Frigate name unless `frigateName` says otherwise. */
export const CameraSchema = z.object({
  id,
  name: displayName,
  location: lonLat,
  /** MQTT password for a camera that publishes its own alerts. */
  password: z.string().min(8, { error: 'password must be at least 8 characters' }).max(256).optional(),
  /** Direction the camera faces, degrees clockwise from north. */
  heading: heading.optional(),
  /** Horizontal field of view, degrees. */
  fov: numberBetween('fov', 1, 360).optional(),
  policePostId: id.optional(),
  frigateName: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/, { error: 'frigateName must be 1-64 letters, digits, _ or -' })
    .optional(),
});
export type Camera = z.infer<typeof CameraSchema>;

/** A camera as the API returns it: never with the password. */
export const CameraViewSchema = CameraSchema.omit({ password: true });
export type CameraView = z.infer<typeof CameraViewSchema>;
