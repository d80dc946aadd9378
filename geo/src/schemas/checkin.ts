import { z } from 'zod';
import type { ParseResult } from './errors.ts';
import { heading, id, lonLat, messageId, nonNegative, numberBetween, timestamp } from './fields.ts';

/** What a check-in marks: a plain position, the start or end of a patrol, or a checkpoint reached. */
export const CheckinKindSchema = z.enum(['location', 'start', 'end', 'checkpoint']);
export type CheckinKind = z.infer<typeof CheckinKindSchema>;

/** Native patrol check-in, published on `wardmap/checkin/<personId>`; unknown fields are dropped. */
export const CheckinSchema = z.object({
  id: messageId,
  personId: id.optional(),
  location: lonLat,
  /** Horizontal accuracy in metres. */
  accuracy: nonNegative('accuracy').optional(),
  /** Battery level in percent. */
  battery: numberBetween('battery', 0, 100).optional(),
  /** Metres above sea level; may be negative. */
  altitude: z.number().optional(),
  /** Metres per second. */
  speed: nonNegative('speed').optional(),
  heading: heading.optional(),
  at: timestamp,
  kind: CheckinKindSchema.default('location'),
  patrolId: id.optional(),
  checkpointId: id.optional(),
});
export type Checkin = z.infer<typeof CheckinSchema>;

/** Binds a check-in to the person in its topic: fills `personId` when absent, or gives a reason when it names someone else. */
export function resolveCheckinPerson(
  checkin: Checkin,
  topicPersonId: string,
): ParseResult<Checkin & { personId: string }> {
  if (checkin.personId !== undefined && checkin.personId !== topicPersonId) {
    return {
      ok: false,
      reason: `personId: '${checkin.personId}' does not match the topic's person '${topicPersonId}'`,
    };
  }
  return { ok: true, value: { ...checkin, personId: topicPersonId } };
}
