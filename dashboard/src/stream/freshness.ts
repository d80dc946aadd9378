/** How current a live position is: not a binary online flag. */
export type Freshness = 'fresh' | 'late' | 'stale' | 'lost';

/** Age limits (ms) of the grades; a phone reports every 15-60 s while on patrol. */
export const FRESHNESS_LIMITS = { fresh: 2 * 60_000, late: 10 * 60_000, stale: 60 * 60_000 } as const;

/**
 * Grade of a position `ageMs` old. A device that said it went offline (OwnTracks LWT) is at best
 * `stale`: its last position may still be right, but nothing new will come.
 */
export function freshnessOf(ageMs: number, online = true): Freshness {
  let grade: Freshness =
    ageMs <= FRESHNESS_LIMITS.fresh
      ? 'fresh'
      : ageMs <= FRESHNESS_LIMITS.late
        ? 'late'
        : ageMs <= FRESHNESS_LIMITS.stale
          ? 'stale'
          : 'lost';
  if (!online && (grade === 'fresh' || grade === 'late')) grade = 'stale';
  return grade;
}

/** RGBA per grade (map and list share it). */
export const FRESHNESS_COLORS: Record<Freshness, [number, number, number, number]> = {
  fresh: [22, 163, 74, 255],
  late: [234, 179, 8, 255],
  stale: [249, 115, 22, 230],
  lost: [120, 120, 120, 200],
};
