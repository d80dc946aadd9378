import { z } from 'zod';
import { id } from './fields.ts';

/** Body of `POST /api/nvrs`: a Frigate NVR's MQTT identity and the cameras it serves. */
export const NvrSchema = z.object({
  id,
  name: z.string().min(1).max(200),
  password: z.string().min(8).max(256),
  cameraIds: z.array(id).max(1000).default([]),
});
export type Nvr = z.input<typeof NvrSchema>;
