import { useEffect, useState, useSyncExternalStore } from 'react';
import type { BoardModel } from './board-model.ts';

/** Re-renders when the model flushes (at most once per frame). */
export function useModel(model: BoardModel): number {
  return useSyncExternalStore(model.subscribe, model.getVersion, model.getVersion);
}

// One shared 1 s tick for every countdown, so 30 visible rows cost one timer.
let tick = 0;
const tickListeners = new Set<() => void>();
let tickTimer: ReturnType<typeof setInterval> | undefined;
function subscribeTick(l: () => void) {
  tickListeners.add(l);
  if (!tickTimer)
    tickTimer = setInterval(() => {
      tick++;
      for (const x of tickListeners) x();
    }, 1000);
  return () => {
    tickListeners.delete(l);
    if (!tickListeners.size && tickTimer) {
      clearInterval(tickTimer);
      tickTimer = undefined;
    }
  };
}
const getTick = () => tick;

/** A counter bumped every second (countdowns, ages). */
export function useTick(): number {
  return useSyncExternalStore(subscribeTick, getTick, getTick);
}

/** `localStorage`-backed boolean. */
export function useStoredFlag(key: string, initial: boolean): [boolean, (v: boolean) => void] {
  const [v, setV] = useState<boolean>(() => {
    try {
      const s = localStorage.getItem(key);
      return s === null ? initial : s === '1';
    } catch {
      return initial;
    }
  });
  useEffect(() => {
    try {
      localStorage.setItem(key, v ? '1' : '0');
    } catch {
      // Private mode: the choice lasts for this page.
    }
  }, [key, v]);
  return [v, setV];
}
