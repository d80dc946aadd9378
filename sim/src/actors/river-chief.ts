import { interpolateAlong, type ReferenceRiverSegment, type Rng } from '@wardmap/geo';
import { noisyFix } from '../gps.ts';
import type { IdSource } from '../ids.ts';
import { localHour, nextLocalHour } from '../local-time.ts';
import { type Publication, topics } from '../publication.ts';
import type { Actor } from '../schedule.ts';
import { riverIssue } from './river-issue.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;

/**
 * A river chief (河长) patrolling one segment about as often as the rule for their level asks
 * (`periodHours`), sometimes late enough to go overdue, always in daylight. A patrol is start,
 * a track point every 20-45 s while walking the segment, and end; one in five is cut short (a few
 * minutes, a few hundred metres) so the validity rules have something to reject. A quarter of
 * patrols find an issue on the way.
 */
export function createRiverChief(opts: {
  segment: ReferenceRiverSegment;
  periodHours: number;
  rng: Rng;
  ids: IdSource;
  start: number;
  /** Start the first patrol at this clock time instead of a random point in the period. */
  firstAt?: number;
}): Actor {
  const { segment, rng, ids } = opts;
  const chiefId = segment.chiefId;
  const line = segment.geometry.coordinates;
  const topic = topics.riverReport(segment.id);
  let patrolling = false;
  let patrolId = '';
  let walked = 0;
  let speed = 1;
  let endAt = 0;
  let reverse = false;
  let issueAt = Number.POSITIVE_INFINITY;
  let startedAt = 0;

  const report = (now: number, body: Record<string, unknown>): Publication => {
    const id = ids(segment.id, 'rr');
    return {
      at: now,
      kind: 'river_report',
      topic,
      payload: JSON.stringify({ id, personId: chiefId, ...body, at: new Date(now).toISOString() }),
      identity: chiefId,
      messageId: id,
    };
  };
  const here = () => {
    const d = Math.min(walked, segment.lengthM);
    return interpolateAlong(line, reverse ? segment.lengthM - d : d);
  };
  // Patrols happen between 08:00 and 17:00 local time.
  const daylight = (t: number) => {
    const h = localHour(t);
    return h >= 8 && h < 17 ? t : nextLocalHour(t, 8) + rng.range(0, 6) * HOUR;
  };

  const actor: Actor = {
    id: `chief:${segment.id}`,
    nextAt: opts.firstAt ?? daylight(opts.start + rng.range(0, opts.periodHours) * HOUR),
    step(now) {
      if (!patrolling) {
        patrolling = true;
        patrolId = ids(segment.id, 'rp');
        startedAt = now;
        walked = 0;
        reverse = rng.next() < 0.4;
        speed = rng.range(0.9, 1.3);
        const short = rng.next() < 0.2;
        const durationMs = short
          ? rng.range(3, 8) * MINUTE
          : Math.min((segment.lengthM * rng.range(0.75, 1)) / speed, 90 * MINUTE) * SECOND;
        endAt = now + durationMs;
        issueAt = rng.next() < 0.25 ? now + rng.range(0.2, 0.9) * durationMs : Number.POSITIVE_INFINITY;
        actor.nextAt = now + rng.range(20, 45) * SECOND;
        return [report(now, { type: 'patrol_start', patrolId, location: noisyFix(rng, here()).location })];
      }
      walked = (speed * (Math.min(now, endAt) - startedAt)) / SECOND;
      const out: Publication[] = [];
      if (now >= endAt) {
        patrolling = false;
        out.push(report(now, { type: 'patrol_end', patrolId, location: noisyFix(rng, here()).location }));
        actor.nextAt = daylight(now + opts.periodHours * rng.range(0.5, 1.25) * HOUR);
        return out;
      }
      const fix = noisyFix(rng, here());
      out.push(report(now, { type: 'track', patrolId, location: fix.location, accuracy: fix.accuracy }));
      if (now >= issueAt) {
        issueAt = Number.POSITIVE_INFINITY;
        out.push(
          riverIssue({ rng, ids, segmentId: segment.id, chiefId, at: now, location: fix.location, patrolId }),
        );
      }
      actor.nextAt = Math.min(now + rng.range(20, 45) * SECOND, endAt);
      return out;
    },
  };
  return actor;
}
