import type { ReferenceCamera, Rng } from '@wardmap/geo';
import type { IdSource } from '../ids.ts';
import { type Publication, topics } from '../publication.ts';
import type { Actor } from '../schedule.ts';
import { type Detection, planDetection, waitForNextDetection } from './detection.ts';

/**
 * A camera with Wardmap's own alert firmware: each detection is a `new`, one or more `update`s and an
 * `end` on `wardmap/camera/<id>/alert`, tied together by `eventId`.
 */
export function createNativeCamera(opts: {
  camera: ReferenceCamera;
  rng: Rng;
  ids: IdSource;
  start: number;
  intensity: number;
  firstAt?: number;
}): Actor {
  const { camera, rng, ids } = opts;
  let current: Detection | null = null;
  let index = 0;
  let eventId = '';
  const actor: Actor = {
    id: camera.id,
    nextAt: opts.firstAt ?? opts.start + waitForNextDetection(rng, opts.start, opts.intensity),
    step(now) {
      if (!current) {
        current = planDetection(rng, now);
        index = 0;
        eventId = ids(camera.id, 'ev');
      }
      const state = index === 0 ? 'new' : index === current.times.length - 1 ? 'end' : 'update';
      const id = ids(camera.id, 'ca');
      const body = {
        id,
        label: current.label,
        score: current.scores[index],
        at: new Date(now).toISOString(),
        state,
        eventId,
        zones: current.zones,
        snapshotUrl: `https://demo.wardmap.example/snapshots/${camera.id}/${eventId}.jpg`,
      };
      index += 1;
      if (index >= current.times.length) {
        current = null;
        actor.nextAt = now + waitForNextDetection(rng, now, opts.intensity);
      } else {
        actor.nextAt = current.times[index] as number;
      }
      return [
        {
          at: now,
          kind: 'camera_alert',
          topic: topics.cameraAlert(camera.id),
          payload: JSON.stringify(body),
          identity: camera.id,
          messageId: id,
        } satisfies Publication,
      ];
    },
  };
  return actor;
}
