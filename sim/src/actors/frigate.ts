import { type ReferenceCamera, type Rng, stableFrigateMessageId } from '@wardmap/geo';
import { expWait } from '../gps.ts';
import { topics } from '../publication.ts';
import type { Actor } from '../schedule.ts';
import { type Detection, planDetection, waitForNextDetection } from './detection.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** Shared state of the Frigate NVR that the Frigate cameras report through. */
export interface Nvr {
  online: boolean;
  /**
   * The MQTT identity Frigate logs in with: the NVR's own account, which the broker ACL lets
   * publish on `frigate/events` and `frigate/available` for the cameras assigned to it.
   */
  account: string;
}

// Frigate's COCO model has no "vehicle", "loitering", "smoke" or "fire": it says car, or a person
// that stays (stationary) in a zone; fire and smoke only come from the native firmware.
const FRIGATE_LABELS = ['person', 'vehicle', 'loitering'] as const;

const secs = (ms: number) => Math.round(ms * 1000) / 1e6;

/**
 * A camera behind the Frigate NVR. Its detections are published as Frigate does on `frigate/events`:
 * `new` (before = after = the first state), `update` (before = the previous after), `end` (after has
 * `end_time`), each with the tracked object's full state. The camera name is the camera id.
 */
export function createFrigateCamera(opts: {
  camera: ReferenceCamera;
  nvr: Nvr;
  rng: Rng;
  start: number;
  intensity: number;
  firstAt?: number;
}): Actor {
  const { camera, nvr, rng } = opts;
  let current: Detection | null = null;
  let index = 0;
  let previous: Record<string, unknown> = {};
  let eventId = '';
  let box = [0, 0, 0, 0];
  let topScore = 0;
  let entered: string[] = [];

  const objectState = (now: number, i: number, d: Detection, ended: boolean) => {
    const start = d.times[0] as number;
    const score = d.scores[i] as number;
    topScore = Math.max(topScore, score);
    // The box drifts a little between frames, as a walking person's does.
    box = box.map((v, k) => Math.max(0, Math.round(v + rng.range(-12, 12) * (k < 2 ? 1 : 0.5))));
    const w = Math.max(1, (box[2] as number) - (box[0] as number));
    const h = Math.max(1, (box[3] as number) - (box[1] as number));
    const zones = i === 0 ? [] : d.zones;
    if (zones.length > 0) entered = [...new Set([...entered, ...zones])];
    const loitering = d.label === 'loitering';
    return {
      id: eventId,
      camera: camera.frigateName,
      frame_time: secs(now),
      snapshot: { frame_time: secs(now), box, area: w * h, region: [0, 0, 640, 640], score, attributes: [] },
      label: d.label === 'vehicle' ? 'car' : 'person',
      sub_label: null,
      top_score: topScore,
      false_positive: score < 0.5,
      start_time: secs(start),
      end_time: ended ? secs(now) : null,
      score,
      box,
      area: w * h,
      ratio: Math.round((w / h) * 1e6) / 1e6,
      region: [0, 0, 640, 640],
      active: !ended && !loitering,
      stationary: loitering,
      motionless_count: loitering ? i * 30 : 0,
      position_changes: Math.min(i, 3),
      current_zones: zones,
      entered_zones: entered,
      has_clip: true,
      has_snapshot: true,
      attributes: {},
      current_attributes: [],
      pending_loitering: false,
    };
  };

  const actor: Actor = {
    id: `frigate:${camera.id}`,
    nextAt: opts.firstAt ?? opts.start + waitForNextDetection(rng, opts.start, opts.intensity),
    step(now) {
      if (!current) {
        if (!nvr.online) {
          // Frigate is down: nothing is detected until it comes back.
          actor.nextAt = now + waitForNextDetection(rng, now, opts.intensity);
          return [];
        }
        current = planDetection(rng, now, FRIGATE_LABELS);
        index = 0;
        topScore = 0;
        entered = [];
        const x = rng.int(40, 420);
        const y = rng.int(60, 360);
        box = current.label === 'vehicle' ? [x, y, x + 180, y + 110] : [x, y, x + 60, y + 150];
        const suffix = Array.from(
          { length: 6 },
          () => 'abcdefghijklmnopqrstuvwxyz0123456789'[rng.int(0, 35)],
        ).join('');
        eventId = `${secs(now).toFixed(6)}-${suffix}`;
      }
      const last = index === current.times.length - 1;
      const type = index === 0 ? 'new' : last ? 'end' : 'update';
      const after = objectState(now, index, current, last);
      const before = index === 0 ? after : previous;
      previous = after;
      const event = { type, before, after } as const;
      index += 1;
      if (last) {
        current = null;
        actor.nextAt = now + waitForNextDetection(rng, now, opts.intensity);
      } else {
        actor.nextAt = current.times[index] as number;
      }
      return [
        {
          at: now,
          kind: 'frigate_event',
          topic: topics.frigateEvents,
          payload: JSON.stringify(event),
          identity: nvr.account,
          messageId: stableFrigateMessageId(event),
        },
      ];
    },
  };
  return actor;
}

/**
 * The Frigate NVR's availability: `online` at start, then now and then (about every two days) an
 * outage of 2-15 minutes, `offline` then `online` on `frigate/available`.
 */
export function createNvrAvailability(opts: { nvr: Nvr; rng: Rng; start: number; intensity: number }): Actor {
  const { nvr, rng } = opts;
  let announced = false;
  let n = 0;
  const actor: Actor = {
    id: 'frigate:available',
    nextAt: opts.start + 100,
    step(now) {
      const first = !announced;
      if (announced) nvr.online = !nvr.online;
      announced = true;
      // The first outage comes within the first day or so, so a demo run shows one.
      const uptime = first
        ? rng.range(4, 30) * 60 * MINUTE
        : expWait(rng, (48 * 60 * MINUTE) / opts.intensity);
      actor.nextAt = now + (nvr.online ? uptime / (first ? opts.intensity : 1) : rng.range(2, 15) * MINUTE);
      const payload = nvr.online ? 'online' : 'offline';
      n += 1;
      return [
        {
          at: now,
          kind: 'frigate_available',
          topic: topics.frigateAvailable,
          payload,
          identity: nvr.account,
          messageId: `frigate-available-${Math.floor(opts.start).toString(36)}-${n}`,
        },
      ];
    },
  };
  return actor;
}
