import { z } from 'zod';
import { bbox, timestamp } from './fields.ts';

/** What a change notice is about: the table (or derived view) that changed. */
export const ChangeKindSchema = z.enum([
  'checkins',
  'camera_alerts',
  'river_reports',
  'incidents',
  'positions',
  'patrols',
  'cameras',
  'dead_letters',
]);
export type ChangeKind = z.infer<typeof ChangeKindSchema>;

/**
 * Ids carried per notice. 50 ids of at most 128 characters keep the JSON well under PostgreSQL's
 * 8000-byte NOTIFY payload limit; when more rows changed, `count` says so and readers re-fetch.
 */
export const MAX_CHANGE_NOTICE_IDS = 50;

/** PostgreSQL rejects NOTIFY payloads of 8000 bytes or more. */
export const MAX_NOTIFY_BYTES = 7999;

/** Compact notice the ingest writer sends with NOTIFY after each commit; the api turns it into SSE events. */
export const ChangeNoticeSchema = z
  .object({
    /** Monotonic per writer, if the writer numbers its notices. */
    seq: z.number().int().min(0).optional(),
    kind: ChangeKindSchema,
    ids: z.array(z.string().min(1).max(128)).max(MAX_CHANGE_NOTICE_IDS),
    /** Rows committed, which may exceed `ids.length`. */
    count: z.number().int().min(0),
    /** Extent of the changed rows, when they have locations. */
    bbox: bbox.optional(),
    at: timestamp,
  })
  .refine((n) => n.ids.length <= n.count, { error: 'count must be at least ids.length', path: ['count'] });
export type ChangeNotice = z.infer<typeof ChangeNoticeSchema>;

/** Builds a notice for `ids`, keeping the first {@link MAX_CHANGE_NOTICE_IDS} and counting them all. */
export function buildChangeNotice(
  kind: ChangeKind,
  ids: readonly string[],
  at: Date,
  extra: { seq?: number; bbox?: ChangeNotice['bbox'] } = {},
): ChangeNotice {
  return {
    ...(extra.seq === undefined ? {} : { seq: extra.seq }),
    kind,
    ids: ids.slice(0, MAX_CHANGE_NOTICE_IDS),
    count: ids.length,
    ...(extra.bbox === undefined ? {} : { bbox: extra.bbox }),
    at: at.toISOString(),
  };
}

/**
 * Notices for every id in `ids`, {@link MAX_CHANGE_NOTICE_IDS} per notice, so a large batch is carried
 * whole (as several NOTIFY payloads of one transaction) instead of being cut to its first ids.
 * `unlisted` changes (counted, not named) are added to the first notice's `count`.
 */
export function buildChangeNotices(
  kind: ChangeKind,
  ids: readonly string[],
  at: Date,
  extra: { nextSeq?: () => number; bbox?: ChangeNotice['bbox']; unlisted?: number } = {},
): ChangeNotice[] {
  const out: ChangeNotice[] = [];
  for (let i = 0; i < ids.length || (i === 0 && (extra.unlisted ?? 0) > 0); i += MAX_CHANGE_NOTICE_IDS) {
    const chunk = ids.slice(i, i + MAX_CHANGE_NOTICE_IDS);
    const notice = buildChangeNotice(kind, chunk, at, {
      ...(extra.nextSeq ? { seq: extra.nextSeq() } : {}),
      ...(extra.bbox ? { bbox: extra.bbox } : {}),
    });
    if (i === 0 && extra.unlisted) notice.count += extra.unlisted;
    out.push(notice);
  }
  return out;
}

/** Serialises a notice for NOTIFY, dropping ids as needed so the payload stays under {@link MAX_NOTIFY_BYTES}. */
export function encodeChangeNotice(notice: ChangeNotice): string {
  const encoder = new TextEncoder();
  let current = notice;
  let text = JSON.stringify(current);
  while (encoder.encode(text).length > MAX_NOTIFY_BYTES && current.ids.length > 0) {
    current = { ...current, ids: current.ids.slice(0, Math.floor(current.ids.length / 2)) };
    text = JSON.stringify(current);
  }
  return text;
}
