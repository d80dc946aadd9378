import { z } from 'zod';
import { httpUrl, messageId, numberBetween, timestamp } from './fields.ts';

/** Labels the dashboard knows how to show; other non-empty labels are accepted and shown as-is. */
export const KNOWN_CAMERA_LABELS = [
  'person',
  'car',
  'vehicle',
  'loitering',
  'smoke',
  'fire',
  'intrusion',
  'other',
] as const;
/** One of the known camera labels (a strict check; alerts themselves accept any label). */
export const CameraLabelSchema = z.enum(KNOWN_CAMERA_LABELS);
export type CameraLabel = z.infer<typeof CameraLabelSchema>;

/** True when `label` is one of {@link KNOWN_CAMERA_LABELS}. */
export function isKnownCameraLabel(label: string): label is CameraLabel {
  return (KNOWN_CAMERA_LABELS as readonly string[]).includes(label);
}

/** Lifecycle of one detected event: first seen, changed, finished. */
export const CameraAlertStateSchema = z.enum(['new', 'update', 'end']);
export type CameraAlertState = z.infer<typeof CameraAlertStateSchema>;

/** Camera alert, published on `wardmap/camera/<cameraId>/alert` (the camera id comes from the topic). */
export const CameraAlertSchema = z.object({
  id: messageId,
  label: z.string().trim().min(1).max(64),
  score: numberBetween('score', 0, 1),
  at: timestamp,
  snapshotUrl: httpUrl.optional(),
  zones: z.array(z.string().trim().min(1).max(64)).max(32).optional(),
  state: CameraAlertStateSchema.default('new'),
  /** Groups new/update/end messages of the same detection. */
  eventId: z.string().min(1).max(128).optional(),
});
export type CameraAlert = z.infer<typeof CameraAlertSchema>;
