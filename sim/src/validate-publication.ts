import {
  CameraAlertSchema,
  CheckinSchema,
  FrigateAvailabilitySchema,
  FrigateEventSchema,
  formatZodError,
  OwnTracksMessageSchema,
  RiverReportSchema,
} from '@wardmap/geo';
import type { z } from 'zod';
import type { Publication } from './publication.ts';

const TOPIC_SHAPES: Record<Publication['kind'], RegExp> = {
  checkin: /^wardmap\/checkin\/([^/]+)$/,
  owntracks: /^owntracks\/([^/]+)\/([^/]+)(\/event)?$/,
  camera_alert: /^wardmap\/camera\/([^/]+)\/alert$/,
  frigate_event: /^frigate\/events$/,
  frigate_available: /^frigate\/available$/,
  river_report: /^wardmap\/river\/([^/]+)\/report$/,
};

/**
 * Checks a publication the way ingest will: topic shape, then the payload against the geo schema
 * of its kind. Returns null when valid, else the reason. Used by the tests and `--check`.
 */
export function publicationProblem(p: Publication): string | null {
  if (!TOPIC_SHAPES[p.kind].test(p.topic)) return `topic ${p.topic} does not fit ${p.kind}`;
  if (p.kind === 'frigate_available') {
    const r = FrigateAvailabilitySchema.safeParse(p.payload);
    return r.success ? null : formatZodError(r.error);
  }
  let body: unknown;
  try {
    body = JSON.parse(p.payload);
  } catch (err) {
    return `payload is not JSON: ${(err as Error).message}`;
  }
  const schema: z.ZodType = {
    checkin: CheckinSchema,
    owntracks: OwnTracksMessageSchema,
    camera_alert: CameraAlertSchema,
    frigate_event: FrigateEventSchema,
    river_report: RiverReportSchema,
  }[p.kind];
  const r = schema.safeParse(body);
  return r.success ? null : formatZodError(r.error);
}
