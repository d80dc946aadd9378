import type { Publication } from './publication.ts';

/** One simulated thing with its own timetable: a patroller, a camera, a river chief... */
export interface Actor {
  readonly id: string;
  /** Clock time (epoch ms) of its next step; Infinity when it has nothing more to do. */
  nextAt: number;
  /** Acts at `now` (= its previous nextAt), returns what it sends, and sets a later nextAt. */
  step(now: number): Publication[];
}

interface Entry {
  actor: Actor;
  order: number;
}

/**
 * Discrete-event timetable over many actors: a binary min-heap on (nextAt, registration order), so
 * the same actors always yield the same publications in the same order, whatever the wall clock does.
 */
export function createSchedule(actors: readonly Actor[]) {
  // Device clocks tick in whole milliseconds: keep every step on an integer time.
  for (const actor of actors) actor.nextAt = Math.ceil(actor.nextAt);
  const heap: Entry[] = actors.map((actor, order) => ({ actor, order }));
  const less = (a: Entry, b: Entry) =>
    a.actor.nextAt < b.actor.nextAt || (a.actor.nextAt === b.actor.nextAt && a.order < b.order);
  const swap = (i: number, j: number) => {
    const t = heap[i] as Entry;
    heap[i] = heap[j] as Entry;
    heap[j] = t;
  };
  const down = (start: number) => {
    let i = start;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < heap.length && less(heap[l] as Entry, heap[m] as Entry)) m = l;
      if (r < heap.length && less(heap[r] as Entry, heap[m] as Entry)) m = r;
      if (m === i) return;
      swap(i, m);
      i = m;
    }
  };
  for (let i = Math.floor(heap.length / 2) - 1; i >= 0; i--) down(i);

  return {
    /** Clock time of the earliest pending step. */
    nextAt(): number {
      return heap[0]?.actor.nextAt ?? Number.POSITIVE_INFINITY;
    },
    /** Runs every step due at or before `until`, in time order. */
    runUntil(until: number): Publication[] {
      const out: Publication[] = [];
      for (;;) {
        const top = heap[0];
        if (!top || top.actor.nextAt > until) return out;
        const at = top.actor.nextAt;
        for (const p of top.actor.step(at)) out.push(p);
        top.actor.nextAt = Math.ceil(top.actor.nextAt);
        if (!(top.actor.nextAt > at)) {
          throw new Error(
            `actor ${top.actor.id} did not move its next step past ${new Date(at).toISOString()}`,
          );
        }
        down(0);
      }
    },
  };
}
export type Schedule = ReturnType<typeof createSchedule>;
