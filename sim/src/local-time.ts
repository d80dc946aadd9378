// Dongqian Lake keeps China Standard Time (UTC+8, no daylight saving): shifts and "night" are local.
const OFFSET_MS = 8 * 3_600_000;
const DAY_MS = 86_400_000;

/** Local hour of day (0..24, fractional) at Dongqian Lake for a clock time in epoch ms. */
export function localHour(at: number): number {
  return ((((at + OFFSET_MS) % DAY_MS) + DAY_MS) % DAY_MS) / 3_600_000;
}

/** True between 20:00 and 06:00 local time, when cameras see most trouble. */
export function isNight(at: number): boolean {
  const h = localHour(at);
  return h >= 20 || h < 6;
}

/** The first clock time at or after `at` whose local hour is `hour`. */
export function nextLocalHour(at: number, hour: number): number {
  const h = localHour(at);
  const ahead = (((hour - h) % 24) + 24) % 24;
  return at + ahead * 3_600_000;
}
