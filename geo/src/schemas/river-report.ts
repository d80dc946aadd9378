import { z } from 'zod';
import { unknownDiscriminator } from './errors.ts';
import { id, lonLat, messageId, nonNegative, photoUrl, SeveritySchema, timestamp } from './fields.ts';

/** Kinds of problem a river chief reports (garbage, net cages, stakes, pollution, bamboo rafts, illegal buildings on the bank, other). */
export const RiverIssueKindSchema = z.enum([
  'garbage',
  'net_cage',
  'stake',
  'pollution',
  'bamboo_raft',
  'illegal_building',
  'other',
]);
export type RiverIssueKind = z.infer<typeof RiverIssueKindSchema>;

const common = { id: messageId, personId: id.optional(), at: timestamp };

/** Start of a river patrol; `patrolId` ties later tracks and the end to it. */
export const RiverPatrolStartSchema = z.object({
  ...common,
  type: z.literal('patrol_start'),
  patrolId: id,
  location: lonLat.optional(),
});

/** End of a river patrol. */
export const RiverPatrolEndSchema = z.object({
  ...common,
  type: z.literal('patrol_end'),
  patrolId: id,
  location: lonLat.optional(),
});

/** One position recorded during a river patrol. */
export const RiverTrackSchema = z.object({
  ...common,
  type: z.literal('track'),
  patrolId: id,
  location: lonLat,
  /** Horizontal accuracy in metres. */
  accuracy: nonNegative('accuracy').optional(),
});

/** A problem found on the river. */
export const RiverIssueSchema = z.object({
  ...common,
  type: z.literal('issue'),
  issue: RiverIssueKindSchema,
  patrolId: id.optional(),
  count: z.number().int().min(0).optional(),
  tons: nonNegative('tons').optional(),
  note: z.string().max(2000).optional(),
  photoUrl: photoUrl.optional(),
  location: lonLat.optional(),
  severity: SeveritySchema.optional(),
});

/** River report, published on `wardmap/river/<segmentId>/report`; `type` selects the variant. */
export const RiverReportSchema = z.discriminatedUnion(
  'type',
  [RiverPatrolStartSchema, RiverPatrolEndSchema, RiverTrackSchema, RiverIssueSchema],
  { error: unknownDiscriminator('river report type') },
);
export type RiverReport = z.infer<typeof RiverReportSchema>;
export type RiverReportType = RiverReport['type'];
