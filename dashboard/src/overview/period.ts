// The overview's period: whole local days (Asia/Shanghai, UTC+8 without DST), first to last
// inclusive, so `/api/overview` and `/api/stats` (local-day buckets) count exactly the same days.

const OFFSET = '+08:00';
const DAY = 86_400_000;

/** `YYYY-MM-DD` of an instant in Shanghai. */
export function localDate(ms: number): string {
  return new Date(ms + 8 * 3600_000).toISOString().slice(0, 10);
}

/** The instants bounding the days `fromDay`..`toDay` (inclusive). */
export function periodBounds(fromDay: string, toDay: string): { from: string; to: string } {
  const from = new Date(`${fromDay}T00:00:00${OFFSET}`).toISOString();
  const to = new Date(new Date(`${toDay}T00:00:00${OFFSET}`).getTime() + DAY - 1).toISOString();
  return { from, to };
}

/** The last `days` days up to and including the day of `now`. */
export function lastDays(days: number, now: number): { fromDay: string; toDay: string } {
  return { fromDay: localDate(now - (days - 1) * DAY), toDay: localDate(now) };
}
