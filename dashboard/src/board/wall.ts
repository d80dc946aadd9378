import { useEffect, useState } from 'react';

// Wall-screen mode (?wall=1): the screen stays awake (Wake Lock, re-acquired when the tab becomes
// visible again, since the browser drops it on hide), and the page never reloads itself — a newly
// deployed version is detected and offered with a button.

export const isWallMode = () => new URLSearchParams(location.search).get('wall') === '1';

/** Holds a screen wake lock while `on`; answers whether one is held. */
export function useWakeLock(on: boolean): boolean {
  const [held, setHeld] = useState(false);
  useEffect(() => {
    if (!on || !('wakeLock' in navigator)) return;
    let sentinel: WakeLockSentinel | null = null;
    let alive = true;
    const acquire = async () => {
      if (document.visibilityState !== 'visible') return;
      try {
        sentinel = await navigator.wakeLock.request('screen');
        if (!alive) {
          void sentinel.release();
          return;
        }
        setHeld(true);
        sentinel.addEventListener('release', () => setHeld(false));
      } catch {
        setHeld(false);
      }
    };
    void acquire();
    const onVis = () => void acquire();
    document.addEventListener('visibilitychange', onVis);
    return () => {
      alive = false;
      document.removeEventListener('visibilitychange', onVis);
      void sentinel?.release();
    };
  }, [on]);
  return held;
}

/** The entry script of a page's HTML (its hashed file name changes with every build). */
export function entryScriptOf(html: string): string | null {
  return /<script[^>]+type="module"[^>]+src="([^"]+)"/.exec(html)?.[1] ?? null;
}

/** True once the server serves a different build than the one running (checked every `everyMs`). */
export function useNewVersion(everyMs = 5 * 60_000): boolean {
  const [fresh, setFresh] = useState(false);
  useEffect(() => {
    const mine = document.querySelector<HTMLScriptElement>('script[type="module"][src]')?.getAttribute('src');
    if (!mine) return;
    const check = async () => {
      try {
        const res = await fetch('/', { cache: 'no-store', credentials: 'same-origin' });
        const theirs = entryScriptOf(await res.text());
        if (theirs && theirs !== mine) setFresh(true);
      } catch {
        // Offline: try again next time.
      }
    };
    const t = setInterval(check, everyMs);
    return () => clearInterval(t);
  }, [everyMs]);
  return fresh;
}
