import { interpolateAlong, offsetMetres, type ReferenceRiverSegment, type Rng } from '@wardmap/geo';
import { expWait } from '../gps.ts';
import type { IdSource } from '../ids.ts';
import type { Actor } from '../schedule.ts';
import { riverIssue } from './river-issue.ts';

const HOUR = 3_600_000;

/**
 * Issues reported outside patrols (a chief passing by, a resident's tip forwarded by the chief):
 * across the whole network about one every three hours, times `intensity`.
 */
export function createRiverWatch(opts: {
  segments: readonly ReferenceRiverSegment[];
  rng: Rng;
  ids: IdSource;
  start: number;
  intensity: number;
  firstAt?: number;
}): Actor {
  const { rng, ids, segments } = opts;
  const actor: Actor = {
    id: 'river-watch',
    nextAt: opts.firstAt ?? opts.start + expWait(rng, (3 * HOUR) / opts.intensity),
    step(now) {
      const segment = rng.pick(segments);
      const onLine = interpolateAlong(segment.geometry.coordinates, rng.range(0, segment.lengthM));
      // Reported from the bank, a few metres off the centre line.
      const location = offsetMetres(onLine, rng.range(-8, 8), rng.range(-8, 8));
      actor.nextAt = now + Math.max(1000, expWait(rng, (3 * HOUR) / opts.intensity));
      return [riverIssue({ rng, ids, segmentId: segment.id, chiefId: segment.chiefId, at: now, location })];
    },
  };
  return actor;
}
