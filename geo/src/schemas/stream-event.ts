import { z } from 'zod';
import { unknownDiscriminator } from './errors.ts';
import { id, lonLat, messageId, timestamp } from './fields.ts';
import { IncidentSchema } from './incident.ts';

// Events of the live stream `GET /api/stream` (SSE). The SSE `event:` field carries `type`, the
// `id:` field a monotonic number the client echoes in `Last-Event-ID` to resume.

/** A patroller's latest position moved. */
export const PositionEventSchema = z.object({
  type: z.literal('position'),
  at: timestamp,
  personId: id,
  location: lonLat,
  accuracy: z.number().nullish(),
  battery: z.number().nullish(),
  gridId: id.nullish(),
  online: z.boolean(),
});

/** A camera alert was raised or changed (Frigate new/update/end). */
export const AlertEventSchema = z.object({
  type: z.literal('alert'),
  at: timestamp,
  alertId: messageId,
  cameraId: id,
  label: z.string(),
  score: z.number().nullish(),
  state: z.enum(['new', 'update', 'end']),
  location: lonLat.nullish(),
  gridId: id.nullish(),
  communityId: id.nullish(),
  policePostId: id.nullish(),
  incidentId: id.nullish(),
});

/** An incident was created, changed state or level, or escalated. `action` is the last recorded one. */
export const IncidentEventSchema = z.object({
  type: z.literal('incident'),
  at: timestamp,
  action: z.string().nullish(),
  incident: IncidentSchema,
});

/** A camera went online or offline. */
export const CameraStatusEventSchema = z.object({
  type: z.literal('camera_status'),
  at: timestamp,
  cameraId: id,
  online: z.boolean(),
  policePostId: id.nullish(),
});

/** Something that changes a river segment's status happened (a patrol or a report on it). */
export const SegmentStatusEventSchema = z.object({
  type: z.literal('segment_status'),
  at: timestamp,
  segmentId: id,
  chiefId: id.nullish(),
  lastPatrolAt: timestamp.nullish(),
  openIssues: z.number().int().min(0),
});

/** Something that changes a grid's status happened (incidents, patroller positions). */
export const GridStatusEventSchema = z.object({
  type: z.literal('grid_status'),
  at: timestamp,
  gridId: id,
  communityId: id.nullish(),
  openIncidents: z.number().int().min(0),
  patrollersInside: z.number().int().min(0),
});

/**
 * The requested `Last-Event-ID` is older than the retained history (or unknown): the client must
 * re-fetch a snapshot (layers, incidents) before applying further events.
 */
export const ResyncEventSchema = z.object({
  type: z.literal('resync'),
  at: timestamp,
  reason: z.string(),
});

/** Sent every few seconds so proxies keep the connection open and clients notice a dead one. */
export const HeartbeatEventSchema = z.object({ type: z.literal('heartbeat'), at: timestamp });

/** Any live-stream event; `type` selects the variant. */
export const StreamEventSchema = z.discriminatedUnion(
  'type',
  [
    PositionEventSchema,
    AlertEventSchema,
    IncidentEventSchema,
    CameraStatusEventSchema,
    SegmentStatusEventSchema,
    GridStatusEventSchema,
    ResyncEventSchema,
    HeartbeatEventSchema,
  ],
  { error: unknownDiscriminator('stream event type') },
);
export type StreamEvent = z.infer<typeof StreamEventSchema>;
export type StreamEventType = StreamEvent['type'];
