/**
 * Message ids unique per simulator run: a run tag (the run's start time in base 36, so a restarted
 * demo on a persistent database is not mistaken for redelivery) plus the actor and a counter, so
 * the same seed and start give the same ids.
 */
export function createIdSource(runTag: string) {
  const counters = new Map<string, number>();
  return (actorId: string, kind: string): string => {
    const key = `${kind}:${actorId}`;
    const n = (counters.get(key) ?? 0) + 1;
    counters.set(key, n);
    return `sim-${runTag}-${kind}-${actorId}-${n}`;
  };
}
export type IdSource = ReturnType<typeof createIdSource>;

/** The run tag for a start time. */
export function runTagFor(start: number): string {
  return Math.floor(start).toString(36);
}
