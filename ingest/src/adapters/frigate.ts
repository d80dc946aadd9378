import {
  FrigateAvailabilitySchema,
  FrigateEventSchema,
  parseOrReason,
  stableFrigateMessageId,
} from '@wardmap/geo';
import { frigateAlertId } from '../ids.ts';
import type { Decoded } from '../items.ts';

const iso = (seconds: number) => new Date(Math.round(seconds * 1000)).toISOString();

/**
 * `frigate/events` -> camera alert. new/update/end of one Frigate event id map to the same alert
 * id, so the writer updates one row; the message id is (event id, type, frame time).
 */
export function adaptFrigateEvent(
  data: unknown,
  opts: { snapshotBaseUrl?: string | undefined } = {},
): Decoded {
  const parsed = parseOrReason(FrigateEventSchema, data);
  if (!parsed.ok) return { ok: false, stage: 'schema', reason: parsed.reason };
  const evt = parsed.value;
  const a = evt.after;
  const sub = a.sub_label;
  return {
    ok: true,
    item: {
      type: 'camera-alert',
      messageId: stableFrigateMessageId(evt).slice(0, 128),
      cameraName: a.camera,
      alertId: frigateAlertId(a.id),
      source: 'frigate',
      label: a.label,
      subLabel: sub == null ? null : typeof sub === 'string' ? sub : sub[0],
      score: a.score ?? a.top_score ?? null,
      topScore: a.top_score ?? a.score ?? null,
      state: evt.type,
      zones: a.entered_zones ?? a.current_zones ?? [],
      snapshotUrl:
        opts.snapshotBaseUrl && a.has_snapshot
          ? `${opts.snapshotBaseUrl.replace(/\/$/, '')}/api/events/${encodeURIComponent(a.id)}/snapshot.jpg`
          : null,
      hasClip: a.has_clip ?? null,
      falsePositive: a.false_positive ?? null,
      startedAt: iso(a.start_time),
      endedAt:
        evt.type === 'end' && a.end_time != null
          ? iso(a.end_time)
          : evt.type === 'end'
            ? iso(a.frame_time)
            : null,
      at: iso(a.frame_time),
    },
  };
}

/** `frigate/available` (plain text online/offline). */
export function adaptFrigateAvailability(text: string): Decoded {
  const parsed = parseOrReason(FrigateAvailabilitySchema, text);
  if (!parsed.ok) return { ok: false, stage: 'schema', reason: parsed.reason };
  return { ok: true, item: { type: 'camera-availability', online: parsed.value === 'online' } };
}
