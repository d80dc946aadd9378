import { z } from 'zod';
import { showInput } from './errors.ts';
import { numberBetween } from './fields.ts';

const seconds = z.number().min(0);
const score = numberBetween('score', 0, 1);

/**
 * Frigate's sub label: null, a plain string (Frigate <= 0.12) or `[name, score]` (0.13+, e.g. a
 * recognised face). Output keeps the shape as sent.
 */
export const FrigateSubLabelSchema = z.union([z.null(), z.string(), z.tuple([z.string(), z.number()])], {
  error: (iss) =>
    iss.input === undefined
      ? undefined
      : `sub_label must be null, a string or [name, score] (got ${showInput(iss.input)})`,
});
export type FrigateSubLabel = z.infer<typeof FrigateSubLabelSchema>;

/**
 * The tracked object in a Frigate event (`before` / `after`). Only what Wardmap uses is required; the
 * rest is type-checked when present, and fields Frigate adds in later versions are kept.
 */
export const FrigateEventObjectSchema = z.looseObject({
  id: z.string().min(1).max(128),
  camera: z.string().min(1),
  /** Time of the frame this state describes, float Unix seconds. */
  frame_time: seconds,
  label: z.string().min(1),
  sub_label: FrigateSubLabelSchema.optional(),
  score: score.optional(),
  top_score: score.optional(),
  start_time: seconds,
  end_time: seconds.nullable().optional(),
  current_zones: z.array(z.string()).optional(),
  entered_zones: z.array(z.string()).optional(),
  has_snapshot: z.boolean().optional(),
  has_clip: z.boolean().optional(),
  false_positive: z.boolean().nullable().optional(),
  stationary: z.boolean().optional(),
  active: z.boolean().optional(),
  box: z.array(z.number()).nullable().optional(),
  region: z.array(z.number()).nullable().optional(),
  area: z.number().nullable().optional(),
  ratio: z.number().nullable().optional(),
  snapshot: z.looseObject({}).nullable().optional(),
  thumbnail: z.string().nullable().optional(),
  attributes: z.record(z.string(), z.unknown()).optional(),
  current_attributes: z.array(z.unknown()).optional(),
  motionless_count: z.number().optional(),
  position_changes: z.number().optional(),
});
export type FrigateEventObject = z.infer<typeof FrigateEventObjectSchema>;

/** The event message Frigate publishes on `frigate/events`; `type` is new, update or end. */
export const FrigateEventSchema = z.looseObject({
  type: z.enum(['new', 'update', 'end'], {
    error: (iss) =>
      iss.input === undefined
        ? undefined
        : `unsupported Frigate event type ${showInput(iss.input)} (expected 'new' | 'update' | 'end')`,
  }),
  before: FrigateEventObjectSchema,
  after: FrigateEventObjectSchema,
});
export type FrigateEvent = z.infer<typeof FrigateEventSchema>;

/** Frigate's availability message on `frigate/available`, a plain-text payload (surrounding whitespace ignored). */
export const FrigateAvailabilitySchema = z
  .string()
  .trim()
  .pipe(
    z.enum(['online', 'offline'], {
      error: (iss) => `Frigate availability must be 'online' or 'offline' (got ${showInput(iss.input)})`,
    }),
  );
export type FrigateAvailability = z.infer<typeof FrigateAvailabilitySchema>;

/** The idempotency id of a Frigate event message: `fr:<after.id>:<type>:<after.frame_time>`. */
export function stableFrigateMessageId(evt: Pick<FrigateEvent, 'type' | 'after'>): string {
  // Frigate ids look like "1718191234.567891-ab12cd"; anything else a message id cannot hold becomes `_`.
  const eventId = evt.after.id.replace(/[^A-Za-z0-9._-]/g, '_');
  return `fr:${eventId}:${evt.type}:${evt.after.frame_time}`;
}
