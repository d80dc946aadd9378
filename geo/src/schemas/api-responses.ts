import { z } from 'zod';
import { CameraViewSchema } from './camera.ts';
import { GridSchema } from './grid.ts';
import { IncidentSchema } from './incident.ts';
import { NvrSchema } from './nvr.ts';
import { PersonViewSchema } from './person.ts';
import { PolicePostSchema } from './police-post.ts';
import { RiverSegmentSchema } from './river-segment.ts';

// Answer shapes of the HTTP API, as documented in `/api/openapi.json`. Rows the API passes through
// from the database are open objects (`z.looseObject`) listing the fields clients rely on.

/** Every error answer: `{error, reason}`. */
export const ErrorSchema = z.object({ error: z.string(), reason: z.string() });

/** `{items: [...]}`, the shape of every list. */
export const itemsOf = <S extends z.ZodType>(item: S) => z.object({ items: z.array(item) });

/** `{at, items}`: a list computed at the server clock's now. */
export const itemsAtOf = <S extends z.ZodType>(item: S) => z.object({ at: z.string(), items: z.array(item) });

const lonLat = z.tuple([z.number(), z.number()]);
const instant = z.union([z.string(), z.date()]);

/** `GET /api/health`. */
export const HealthSchema = z.object({
  status: z.enum(['ok', 'starting', 'unavailable']),
  db: z.string(),
  mqtt: z.enum(['embedded', 'external']),
  reason: z.string().optional(),
});

/** `GET /api/auth/me`: the signed-in caller with roles and area. */
export const PrincipalViewSchema = z.looseObject({
  id: z.string(),
  roles: z.array(z.string()),
  communityIds: z.array(z.string()),
  segmentIds: z.array(z.string()),
  gridId: z.string().nullable(),
  policePostId: z.string().nullable(),
});

/** One step of an incident's history. */
export const IncidentHistoryEntrySchema = z.looseObject({
  id: z.string(),
  at: instant,
  actor: z.string().nullable(),
  action: z.string(),
  fromState: z.string().nullable(),
  toState: z.string().nullable(),
  fromLevel: z.string().nullable(),
  toLevel: z.string().nullable(),
  note: z.string().nullable(),
  data: z.unknown(),
});

/** `GET /api/incidents/:id`: the incident with its history. */
export const IncidentWithHistorySchema = IncidentSchema.extend({
  events: z.array(IncidentHistoryEntrySchema),
});

/** A shift handover note as the board shows it. */
export const HandoverNoteViewSchema = z.looseObject({
  id: z.string(),
  authorId: z.string(),
  authorName: z.string().nullable().optional(),
  note: z.string(),
  incidentIds: z.array(z.string()),
  at: instant,
});

/** `GET /api/board/:postId`: the police-post board. */
export const BoardSchema = z.object({
  post: z.object({ id: z.string(), name: z.string(), communityId: z.string().nullable(), location: lonLat }),
  at: z.string(),
  clockSpeed: z.number(),
  incidents: z.array(IncidentSchema.extend({ overdue: z.boolean(), handoverNoteIds: z.array(z.string()) })),
  alerts: z.array(z.looseObject({ id: z.string(), cameraId: z.string().nullable(), state: z.string() })),
  cameras: z.array(z.looseObject({ id: z.string(), name: z.string(), online: z.boolean().nullable() })),
  patrollersOnDuty: z.array(
    z.looseObject({ id: z.string(), name: z.string(), gridId: z.string().nullable() }),
  ),
  handover: z.array(HandoverNoteViewSchema),
});

/** `POST /api/checkins`, `POST /api/river-reports`: published to the broker for ingest. */
export const AcceptedSchema = z.object({ id: z.string(), topic: z.string(), status: z.literal('accepted') });

/** `POST /api/nvrs`: the NVR without its password. */
export const NvrViewSchema = NvrSchema.omit({ password: true });
/** `GET /api/nvrs`. */
export const NvrListItemSchema = z.object({
  id: z.string(),
  name: z.string(),
  active: z.boolean(),
  cameraIds: z.array(z.string()),
});

/** Reference writes answer with what was stored. */
export const ReferenceViewSchemas = {
  cameras: CameraViewSchema,
  'police-posts': PolicePostSchema,
  grids: GridSchema,
  'river-segments': RiverSegmentSchema,
} as const;

/** `POST /api/import`: rows written per layer. */
export const ImportResultSchema = z.object({ counts: z.record(z.string(), z.number()) });

/** `GET /api/people`. */
export const PeopleListSchema = itemsOf(PersonViewSchema.extend({ active: z.boolean() }));

/** `GET /api/layers/:name`: a GeoJSON FeatureCollection with its window. */
export const LayerResponseSchema = z.object({
  type: z.literal('FeatureCollection'),
  layer: z.string(),
  generatedAt: z.string(),
  window: z.object({ since: z.string(), until: z.string() }),
  truncated: z.boolean(),
  features: z.array(
    z.looseObject({ type: z.literal('Feature'), geometry: z.unknown(), properties: z.unknown() }),
  ),
});

/** A raw event row of the read endpoints (check-ins, camera alerts, river reports, dead letters). */
export const EventRowSchema = z.looseObject({ id: z.union([z.string(), z.number()]) });

/** `GET /api/tracks`: thinned paths and the window's incidents for replay. */
export const TracksSchema = z.object({
  since: z.string(),
  until: z.string(),
  bucketS: z.number(),
  tracks: z.array(
    z.object({
      personId: z.string(),
      name: z.string().nullable(),
      roles: z.array(z.string()),
      path: z.array(z.tuple([z.number(), z.number(), z.number()])),
    }),
  ),
  incidents: z.array(
    z.object({
      id: z.string(),
      title: z.string(),
      location: lonLat,
      level: z.string(),
      state: z.string(),
      createdAt: z.string(),
      slaDueAt: z.string().nullable(),
      changes: z.array(
        z.object({ at: z.string(), state: z.string().nullable(), level: z.string().nullable() }),
      ),
    }),
  ),
});

/** Compliance of one segment, grid, alert or patrol (computed rows). */
export const ComplianceRowSchema = z.looseObject({ id: z.string().optional() });
/** `GET /api/compliance/rules`. */
export const ComplianceRulesSchema = z.looseObject({});

/** `GET /api/stats`. */
export const StatsSchema = z.object({
  from: z.string(),
  to: z.string(),
  bucket: z.enum(['day', 'week']),
  tz: z.string(),
  items: z.array(z.looseObject({ bucket: z.string() })),
  totals: z.looseObject({}),
});

/** `GET /api/overview`: the four-in-one overview of a period. */
export const OverviewSchema = z.looseObject({});

/** A stored photo's metadata, with the URL of its bytes. */
export const PhotoViewSchema = z.looseObject({
  id: z.string(),
  ownerId: z.string(),
  contentType: z.string(),
  sizeBytes: z.number(),
  width: z.number().nullable(),
  height: z.number().nullable(),
  sha256: z.string(),
  url: z.string(),
});

/** Bytes that are not JSON (tiles, photos, CSV, metrics), documented as a string. */
export const BinarySchema = z.string();
