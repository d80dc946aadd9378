/**
 * Wall-clock abstraction shared by ingest, api and the simulator. Everything that compares times
 * (SLA deadlines, patrol due/overdue, "on duty for N minutes") asks a Clock instead of `Date.now()`
 * or SQL `now()`, so the demo can run a compressed day and tests can move time deliberately.
 */
export interface Clock {
  /** Current time as this clock sees it. */
  now(): Date;
  /** How many clock milliseconds pass per real millisecond (1 for real time). */
  readonly speed: number;
}

/** The real clock. */
export const systemClock: Clock = { now: () => new Date(), speed: 1 };

/**
 * A clock that runs `speed` times faster than real time, starting at `origin` (default: now).
 * With speed 60 one real minute is one clock hour.
 */
export function scaledClock(speed: number, origin: Date = new Date()): Clock {
  if (!(speed > 0) || !Number.isFinite(speed))
    throw new Error(`clock speed must be a positive number, got ${speed}`);
  const realStart = Date.now();
  const clockStart = origin.getTime();
  return {
    speed,
    now: () => new Date(clockStart + (Date.now() - realStart) * speed),
  };
}

/** A clock that only moves when told to: for tests. */
export interface ManualClock extends Clock {
  set(at: Date): void;
  advance(ms: number): void;
}

/** A clock for tests, starting at `start`, moved by `advance`/`set`. */
export function manualClock(start: Date = new Date()): ManualClock {
  let t = start.getTime();
  return {
    speed: 1,
    now: () => new Date(t),
    set: (at) => {
      t = at.getTime();
    },
    advance: (ms) => {
      t += ms;
    },
  };
}

/** Converts a real-time interval into clock time for a clock of the given speed (and back with 1/speed). */
export function realMsFor(clockMs: number, clock: Pick<Clock, 'speed'>): number {
  return clockMs / clock.speed;
}
