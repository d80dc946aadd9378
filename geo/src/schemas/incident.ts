import { z } from 'zod';
import { unknownDiscriminator } from './errors.ts';
import { displayName, id, lonLat, messageId, photoUrl, SeveritySchema, timestamp } from './fields.ts';

/** Escalation level: small matters stay in the building, big ones in the block, important ones go to the community. */
export const IncidentLevelSchema = z.enum(['building', 'block', 'community']);
export type IncidentLevel = z.infer<typeof IncidentLevelSchema>;

/** Lifecycle state of an incident. */
export const IncidentStateSchema = z.enum([
  'open',
  'acknowledged',
  'dispatched',
  'resolved',
  'verified',
  'closed',
  'rejected',
]);
export type IncidentState = z.infer<typeof IncidentStateSchema>;

/**
 * Incident categories: every camera alert label and river issue kind (tests keep these in step),
 * plus matters reported by hand in the community.
 */
export const IncidentCategorySchema = z.enum([
  // camera alert labels
  'person',
  'car',
  'vehicle',
  'loitering',
  'smoke',
  'fire',
  'intrusion',
  // river issues
  'garbage',
  'net_cage',
  'stake',
  'pollution',
  'bamboo_raft',
  'illegal_building',
  // community matters
  'dispute',
  'noise',
  'safety_hazard',
  'illegal_parking',
  'facility_damage',
  'other',
]);
export type IncidentCategory = z.infer<typeof IncidentCategorySchema>;

/** Where an incident came from. */
export const IncidentSourceKindSchema = z.enum(['camera_alert', 'river_report', 'manual']);
export type IncidentSourceKind = z.infer<typeof IncidentSourceKindSchema>;

/** An incident as the API returns it (`GET /api/incidents`, SSE). Absent values may be null or omitted. */
export const IncidentSchema = z.object({
  id,
  category: IncidentCategorySchema,
  level: IncidentLevelSchema,
  state: IncidentStateSchema,
  severity: SeveritySchema,
  title: displayName,
  note: z.string().max(2000).nullish(),
  location: lonLat.nullish(),
  communityId: id.nullish(),
  gridId: id.nullish(),
  segmentId: id.nullish(),
  cameraId: id.nullish(),
  source: z.object({ kind: IncidentSourceKindSchema, id: messageId.nullish() }),
  reporterId: id.nullish(),
  assigneeId: id.nullish(),
  photoUrl: photoUrl.nullish(),
  createdAt: timestamp,
  updatedAt: timestamp,
  /** When the SLA of the current level runs out and the incident escalates. */
  dueAt: timestamp.nullish(),
});
export type Incident = z.infer<typeof IncidentSchema>;

/**
 * Body of `POST /api/incidents`: an incident reported by hand. `id` is chosen by the client so an
 * offline phone can retry the upload without creating duplicates; `at` is when it was observed.
 */
export const NewIncidentSchema = z.object({
  id: messageId.optional(),
  category: IncidentCategorySchema,
  severity: SeveritySchema.default('medium'),
  level: IncidentLevelSchema.default('building'),
  location: lonLat,
  title: displayName.optional(),
  note: z.string().max(2000).optional(),
  photoUrl: photoUrl.optional(),
  gridId: id.optional(),
  at: timestamp.optional(),
});
export type NewIncident = z.infer<typeof NewIncidentSchema>;

/** What a responder does to an incident. */
export const IncidentActionSchema = z.enum([
  'acknowledge',
  'dispatch',
  'escalate',
  'resolve',
  'verify',
  'close',
  'reject',
  'reopen',
]);
export type IncidentAction = z.infer<typeof IncidentActionSchema>;

const note = z.string().max(2000).optional();
/** Outcome of the resident call-back (回访) that verification records. */
export const CallbackResultSchema = z.enum(['satisfied', 'unsatisfied', 'unreachable']);
export type CallbackResult = z.infer<typeof CallbackResultSchema>;

/** The resident call-back recorded by `verify`; `unsatisfied` sends the work back to the responders. */
export const IncidentCallbackSchema = z.object({
  result: CallbackResultSchema,
  note: z.string().max(2000).optional(),
});
export type IncidentCallback = z.infer<typeof IncidentCallbackSchema>;

const simpleAction = (action: Exclude<IncidentAction, 'dispatch' | 'escalate' | 'verify'>) =>
  z.object({ action: z.literal(action), note });

/** Body of `POST /api/incidents/:id/transitions`: dispatch names an assignee; escalate may name the target level. */
export const IncidentTransitionSchema = z.discriminatedUnion(
  'action',
  [
    simpleAction('acknowledge'),
    z.object({ action: z.literal('dispatch'), note, assigneeId: id }),
    z.object({ action: z.literal('escalate'), note, level: IncidentLevelSchema.optional() }),
    simpleAction('resolve'),
    // Optional in the wire shape for older clients; the API requires it to verify.
    z.object({ action: z.literal('verify'), note, callback: IncidentCallbackSchema.optional() }),
    simpleAction('close'),
    simpleAction('reject'),
    simpleAction('reopen'),
  ],
  { error: unknownDiscriminator('incident action') },
);
export type IncidentTransition = z.infer<typeof IncidentTransitionSchema>;
