import type { Rng } from '@wardmap/geo';
import { noisyFix } from '../gps.ts';
import { localHour, nextLocalHour } from '../local-time.ts';
import type { Publication } from '../publication.ts';
import { positionOnRoute, type Route, stopsPassed } from '../routes.ts';
import type { Actor } from '../schedule.ts';
import type { Fix, Phone } from './phone.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** 12-hour shifts in local time; every block has someone on duty around the clock. */
export type Shift = 'day' | 'night';
const SHIFT_HOURS: Record<Shift, [number, number]> = { day: [7, 19], night: [19, 7] };

export function onShift(shift: Shift, at: number): boolean {
  const [start, end] = SHIFT_HOURS[shift];
  const h = localHour(at);
  return start < end ? h >= start && h < end : h >= start || h < end;
}

/**
 * A grid patroller (网格员) on shift: walks the block's loop in patrols of 40-90 minutes with breaks
 * in between, checking in every 10-30 s with GPS noise and a draining battery. Now and then the phone
 * loses the network for a few minutes; fixes taken meanwhile are queued and sent in one burst on
 * reconnect, each with its original device time.
 */
export function createPatroller(opts: {
  personId: string;
  route: Route;
  shift: Shift;
  phone: Phone;
  rng: Rng;
  start: number;
  patrolIds: (personId: string) => string;
}): Actor {
  const { personId, route, shift, phone, rng } = opts;
  const walkSpeed = rng.range(1.0, 1.5);
  let state: 'off' | 'idle' | 'patrol' = 'off';
  let shiftEnd = 0;
  let patrolEnd = 0;
  let patrolId = '';
  let distance = rng.range(0, route.lengthM);
  let lastMove = opts.start;
  let battery = rng.range(60, 100);
  let offlineUntil = 0;
  const queue: Publication[] = [];

  const startShift = (now: number) => {
    state = 'idle';
    shiftEnd = nextLocalHour(now, SHIFT_HOURS[shift][1]);
    if (shiftEnd <= now) shiftEnd += 24 * 60 * MINUTE;
  };
  const nextShiftStart = (now: number) => {
    const t = nextLocalHour(now, SHIFT_HOURS[shift][0]);
    return t > now ? t : t + 24 * 60 * MINUTE;
  };

  // Sends (or, while offline, queues) what the phone produced; a reconnect flushes the queue first.
  const deliver = (now: number, pubs: Publication[]): Publication[] => {
    if (now < offlineUntil) {
      queue.push(...pubs);
      return [];
    }
    if (queue.length === 0) return pubs;
    phone.reconnected(now);
    const burst = queue.splice(0).map((p) => ({ ...p, at: now }));
    return [...burst, ...pubs];
  };

  const fix = (now: number, kind: Fix['kind'], checkpointId?: string): Publication[] => {
    const { at, heading } = positionOnRoute(route, distance);
    const { location, accuracy } = noisyFix(rng, at);
    return phone.send({
      at: now,
      location,
      accuracy,
      battery,
      speed: kind === 'location' || kind === 'checkpoint' ? walkSpeed * rng.range(0.7, 1.2) : 0,
      heading,
      kind,
      patrolId,
      ...(checkpointId ? { checkpointId } : {}),
    });
  };

  const actor: Actor = {
    id: personId,
    nextAt: 0,
    step(now) {
      if (state === 'off') {
        startShift(now);
        battery = rng.range(85, 100);
        actor.nextAt = now + rng.range(1, 6) * MINUTE;
        return [];
      }
      if (state === 'idle') {
        if (now >= shiftEnd) {
          state = 'off';
          actor.nextAt = nextShiftStart(now);
          // A phone still offline at the end of a shift reconnects on the way home.
          offlineUntil = Math.min(offlineUntil, now);
          return deliver(now, []);
        }
        state = 'patrol';
        patrolId = opts.patrolIds(personId);
        patrolEnd = Math.min(now + rng.range(40, 90) * MINUTE, shiftEnd);
        lastMove = now;
        actor.nextAt = now + rng.range(10, 30) * SECOND;
        return deliver(now, fix(now, 'start'));
      }
      // Walking a patrol.
      const before = distance;
      const elapsed = now - lastMove;
      distance += (walkSpeed * elapsed) / SECOND;
      lastMove = now;
      // GPS on and screen waking: roughly 5-9% of battery an hour.
      battery = Math.max(3, battery - (elapsed / (60 * MINUTE)) * rng.range(5, 9));
      if (now >= patrolEnd) {
        state = 'idle';
        const out = deliver(now, fix(now, 'end'));
        // Some phones get a top-up on the charger during the break.
        if (rng.next() < 0.3) battery = Math.min(100, battery + rng.range(10, 25));
        actor.nextAt = now + rng.range(10, 40) * MINUTE;
        return out;
      }
      if (now >= offlineUntil && rng.next() < 1 / 150) {
        // Network gap: the broker sees the phone vanish; what it records meanwhile waits in its queue.
        offlineUntil = now + rng.range(2, 10) * MINUTE;
        const lost = phone.dropped(now);
        actor.nextAt = now + rng.range(10, 30) * SECOND;
        return [...lost, ...deliver(now, fix(now, 'location'))];
      }
      const passed = stopsPassed(route, before, distance);
      const kind = passed.length > 0 && phone.app === 'native' ? 'checkpoint' : 'location';
      actor.nextAt = now + rng.range(10, 30) * SECOND;
      return deliver(now, fix(now, kind, kind === 'checkpoint' ? passed[0] : undefined));
    },
  };

  // Mid-shift at the start: most begin a patrol within two seconds so the map moves at once.
  if (onShift(shift, opts.start)) {
    startShift(opts.start);
    actor.nextAt = opts.start + (rng.next() < 0.75 ? rng.range(200, 1800) : rng.range(1, 15) * MINUTE);
  } else {
    actor.nextAt = nextShiftStart(opts.start);
  }
  return actor;
}
