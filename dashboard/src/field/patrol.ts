import { useCallback, useEffect, useRef, useState } from 'react';

/** A patrol in progress, kept in localStorage so a reload (even offline) resumes it. */
export interface ActivePatrol {
  kind: 'grid' | 'river';
  patrolId: string;
  personId: string;
  segmentId?: string;
  startedAt: number;
  /** Recorded positions (river tracks; grid check-ins), for the distance on the end screen. */
  points: Array<[number, number]>;
}

const KEY = 'wardmap.field.patrol';

function load(personId: string): ActivePatrol | null {
  try {
    const p = JSON.parse(localStorage.getItem(KEY) ?? 'null') as ActivePatrol | null;
    return p && p.personId === personId ? p : null;
  } catch {
    return null;
  }
}

/** The person's patrol in progress (or null), persisted on every change. */
export function useActivePatrol(personId: string) {
  const [patrol, setPatrol] = useState<ActivePatrol | null>(() => load(personId));
  const update = useCallback((next: ActivePatrol | null) => {
    if (next) localStorage.setItem(KEY, JSON.stringify(next));
    else localStorage.removeItem(KEY);
    setPatrol(next);
  }, []);
  return [patrol, update] as const;
}

/**
 * Keeps the screen on while `active` (Screen Wake Lock API where the browser has it). The lock
 * is released by the browser whenever the page is hidden, so it is taken again on return.
 */
export function useWakeLock(active: boolean): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!active || typeof navigator === 'undefined' || !('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let alive = true;
    const acquire = async () => {
      if (document.visibilityState !== 'visible' || (sentinel && !sentinel.released)) return;
      try {
        sentinel = await navigator.wakeLock.request('screen');
        if (!alive) void sentinel.release();
        setHeld(alive);
        sentinel.addEventListener('release', () => alive && setHeld(false));
      } catch {
        setHeld(false);
      }
    };
    void acquire();
    document.addEventListener('visibilitychange', acquire);
    return () => {
      alive = false;
      document.removeEventListener('visibilitychange', acquire);
      void sentinel?.release();
      setHeld(false);
    };
  }, [active]);
  return held;
}

/**
 * Runs `fn` every `ms` while `active` and the page is visible (browsers pause geolocation in the
 * background, so a hidden page records nothing; it catches up when shown again).
 */
export function useVisibleInterval(active: boolean, ms: number, fn: () => void): void {
  const ref = useRef(fn);
  ref.current = fn;
  useEffect(() => {
    if (!active) return;
    let last = Date.now();
    const tick = () => {
      if (document.visibilityState !== 'visible') return;
      last = Date.now();
      ref.current();
    };
    const timer = setInterval(tick, ms);
    const onVisible = () => {
      if (document.visibilityState === 'visible' && Date.now() - last >= ms) tick();
    };
    document.addEventListener('visibilitychange', onVisible);
    return () => {
      clearInterval(timer);
      document.removeEventListener('visibilitychange', onVisible);
    };
  }, [active, ms]);
}

/** `mm:ss` or `h:mm:ss`. */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  const mm = String(m).padStart(h ? 2 : 1, '0');
  return `${h ? `${h}:` : ''}${mm}:${String(sec).padStart(2, '0')}`;
}
