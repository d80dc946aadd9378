import {
  CameraSchema,
  CheckinSchema,
  GeoJsonImportSchema,
  GridSchema,
  HandoverNoteSchema,
  HttpRiverReportSchema,
  IncidentListQuerySchema,
  IncidentSchema,
  IncidentTransitionSchema,
  LoginResultSchema,
  LoginSchema,
  NewIncidentSchema,
  NvrSchema,
  OverviewQuerySchema,
  OwnTracksMessageSchema,
  PersonSchema,
  PersonViewSchema,
  PhotoUploadQuerySchema,
  PolicePostSchema,
  RiverSegmentSchema,
  StreamEventSchema,
} from '@wardmap/geo';
import { z } from 'zod';

/** One documented operation; schemas are the same zod schemas the handlers validate with. */
export interface Operation {
  method: 'get' | 'post' | 'delete';
  path: string;
  summary: string;
  tag: string;
  auth: 'none' | 'optional' | 'required';
  query?: z.ZodObject;
  body?: z.ZodType;
  response?: z.ZodType;
  status?: number;
}

const ErrorSchema = z.object({ error: z.string(), reason: z.string() });
const items = (s: z.ZodType) => z.object({ items: z.array(s) });
const FeatureCollection = z.object({ type: z.literal('FeatureCollection'), features: z.array(z.unknown()) });

/** Every operation of the API; routes owned by other modules are listed with their contract shapes. */
export const OPERATIONS: Operation[] = [
  { method: 'get', path: '/api/health', summary: 'Readiness and backends', tag: 'ops', auth: 'none' },
  {
    method: 'post',
    path: '/api/auth/login',
    summary: 'Log in with person id and password; returns a bearer token',
    tag: 'auth',
    auth: 'none',
    body: LoginSchema,
    response: LoginResultSchema,
  },
  {
    method: 'post',
    path: '/api/auth/logout',
    summary: 'Revoke the current token',
    tag: 'auth',
    auth: 'required',
    status: 204,
  },
  {
    method: 'get',
    path: '/api/auth/me',
    summary: 'The caller with their roles and area',
    tag: 'auth',
    auth: 'required',
  },
  {
    method: 'get',
    path: '/api/incidents',
    summary: "Incidents, newest first; with a token only those in the caller's area",
    tag: 'incidents',
    auth: 'optional',
    query: IncidentListQuerySchema,
    response: items(IncidentSchema),
  },
  {
    method: 'post',
    path: '/api/incidents',
    summary: 'Report an incident by hand (idempotent by client id)',
    tag: 'incidents',
    auth: 'required',
    body: NewIncidentSchema,
    response: IncidentSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/incidents/{id}',
    summary: 'One incident with its event history',
    tag: 'incidents',
    auth: 'optional',
    response: IncidentSchema,
  },
  {
    method: 'post',
    path: '/api/incidents/{id}/transitions',
    summary:
      'Acknowledge, dispatch, escalate, resolve, verify (with call-back), close, reject, reopen; 409 with the reason when illegal',
    tag: 'incidents',
    auth: 'required',
    body: IncidentTransitionSchema,
    response: IncidentSchema,
  },
  {
    method: 'get',
    path: '/api/board/{postId}',
    summary: 'Police-post board: open incidents and alerts by SLA, cameras, patrollers on duty, handover log',
    tag: 'board',
    auth: 'required',
  },
  {
    method: 'post',
    path: '/api/board/{postId}/handover',
    summary: 'Add a shift handover note tied to open incidents',
    tag: 'board',
    auth: 'required',
    body: HandoverNoteSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/overview',
    summary:
      'Four-in-one overview for a period: incidents by level and partner, community escalations, ack/close times vs SLA, patrol compliance per block and segment',
    tag: 'stats',
    auth: 'required',
    query: OverviewQuerySchema,
  },
  {
    method: 'get',
    path: '/api/stream',
    summary: 'Live events (SSE); resumable with Last-Event-ID; filtered by role and area',
    tag: 'stream',
    auth: 'optional',
    response: StreamEventSchema,
  },
  {
    method: 'post',
    path: '/api/checkins',
    summary: 'HTTP check-in, published to MQTT for ingest (202)',
    tag: 'ingest',
    auth: 'required',
    body: CheckinSchema,
    status: 202,
  },
  {
    method: 'post',
    path: '/api/river-reports',
    summary: 'HTTP river report, published to MQTT for ingest (202)',
    tag: 'ingest',
    auth: 'required',
    body: HttpRiverReportSchema,
    status: 202,
  },
  {
    method: 'post',
    path: '/api/owntracks',
    summary: 'OwnTracks HTTP mode (Basic auth, X-Limit-U/X-Limit-D); answers []',
    tag: 'ingest',
    auth: 'required',
    body: OwnTracksMessageSchema,
  },
  {
    method: 'post',
    path: '/api/people',
    summary: 'Create or update a person (admin); password serves API and MQTT',
    tag: 'reference',
    auth: 'required',
    body: PersonSchema,
    response: PersonViewSchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/nvrs',
    summary: 'Create or update a Frigate NVR identity and the cameras it serves (admin)',
    tag: 'reference',
    auth: 'required',
    body: NvrSchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/people',
    summary: 'List people (admin)',
    tag: 'reference',
    auth: 'required',
    response: items(PersonViewSchema),
  },
  {
    method: 'delete',
    path: '/api/people/{id}',
    summary: 'Deactivate a person (admin)',
    tag: 'reference',
    auth: 'required',
    status: 204,
  },
  {
    method: 'post',
    path: '/api/cameras',
    summary: 'Create or update a camera (admin)',
    tag: 'reference',
    auth: 'required',
    body: CameraSchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/police-posts',
    summary: 'Create or update a police post (admin)',
    tag: 'reference',
    auth: 'required',
    body: PolicePostSchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/grids',
    summary: 'Create or update a grid / management block (admin)',
    tag: 'reference',
    auth: 'required',
    body: GridSchema,
    status: 201,
  },
  {
    method: 'post',
    path: '/api/river-segments',
    summary: 'Create or update a river segment (admin)',
    tag: 'reference',
    auth: 'required',
    body: RiverSegmentSchema,
    status: 201,
  },
  ...(['cameras', 'police-posts', 'grids', 'river-segments'] as const).map(
    (r): Operation => ({
      method: 'delete',
      path: `/api/${r}/{id}`,
      summary: `Delete from ${r} (admin); 409 while something still refers to it`,
      tag: 'reference',
      auth: 'required',
      status: 204,
    }),
  ),
  {
    method: 'post',
    path: '/api/import',
    summary: 'Bulk GeoJSON import of reference layers (admin, all-or-nothing)',
    tag: 'reference',
    auth: 'required',
    body: GeoJsonImportSchema,
  },
  {
    method: 'get',
    path: '/api/checkins',
    summary: 'Check-ins (personId, since, until)',
    tag: 'reads',
    auth: 'optional',
  },
  {
    method: 'get',
    path: '/api/camera-alerts',
    summary: 'Camera alerts (cameraId)',
    tag: 'reads',
    auth: 'optional',
  },
  {
    method: 'get',
    path: '/api/river-reports',
    summary: 'River reports (segmentId)',
    tag: 'reads',
    auth: 'optional',
  },
  {
    method: 'get',
    path: '/api/dead-letters',
    summary: 'Rejected messages with their reasons (since)',
    tag: 'reads',
    auth: 'optional',
  },
  {
    method: 'get',
    path: '/api/layers/{name}',
    summary: 'A map layer as a GeoJSON FeatureCollection',
    tag: 'layers',
    auth: 'optional',
    response: FeatureCollection,
  },
  {
    method: 'get',
    path: '/api/tiles/{name}/{z}/{x}/{y}.mvt',
    summary: 'A map layer as a Mapbox vector tile',
    tag: 'layers',
    auth: 'optional',
  },
  {
    method: 'get',
    path: '/api/tracks',
    summary:
      "Replay: everyone's thinned check-in paths and the incidents of a window (since, until <= 7 days, personId)",
    tag: 'reads',
    auth: 'required',
  },
  {
    method: 'post',
    path: '/api/photos',
    summary:
      'Upload a photo: the body is the JPEG, PNG or WebP bytes (checked by content; EXIF/XMP location stripped); idempotent by client id',
    tag: 'photos',
    auth: 'required',
    query: PhotoUploadQuerySchema,
    status: 201,
  },
  {
    method: 'get',
    path: '/api/photos',
    summary: 'Photos of an incident (incidentId), for those who may see it',
    tag: 'photos',
    auth: 'required',
    query: z.object({ incidentId: z.string() }),
  },
  {
    method: 'get',
    path: '/api/photos/{id}',
    summary:
      'The photo bytes, only for those who may see the report or incident it belongs to (403 otherwise)',
    tag: 'photos',
    auth: 'required',
  },
];

export { ErrorSchema };
