import { id } from './fields.ts';
import { windowQuery } from './query-params.ts';

// Raw event reads: bounded by `limit` (default 1000, at most 10000) and the optional since/until window.
const base = windowQuery(10_000, 1_000);

/** Query of `GET /api/checkins`. */
export const CheckinReadQuerySchema = base.extend({ personId: id.optional() });
/** Query of `GET /api/camera-alerts`. */
export const CameraAlertReadQuerySchema = base.extend({ cameraId: id.optional() });
/** Query of `GET /api/river-reports`. */
export const RiverReportReadQuerySchema = base.extend({ segmentId: id.optional() });
/** Query of `GET /api/dead-letters`: they carry up to 4 KiB of payload each, so at most 1000 per read. */
export const DeadLetterReadQuerySchema = windowQuery(1_000, 100);

/** Longest window `GET /api/tracks` may replay, and the most people it returns. */
export const TRACKS_MAX_PEOPLE = 5_000;
/** Query of `GET /api/tracks`. */
export const TracksQuerySchema = windowQuery(TRACKS_MAX_PEOPLE, TRACKS_MAX_PEOPLE).extend({
  personId: id.optional(),
});
