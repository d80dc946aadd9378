import { useEffect, useState } from 'react';

/**
 * Registers the field app's service worker (scope `/field`: the desk pages stay uncontrolled) and
 * offers a new version instead of forcing it: the page reloads only when the person taps "reload".
 */
export function useUpdatePrompt(): { available: boolean; apply: () => void } {
  const [state, setState] = useState<{ available: boolean; apply: () => void }>({
    available: false,
    apply: () => {},
  });
  useEffect(() => {
    if (typeof navigator === 'undefined' || !('serviceWorker' in navigator) || import.meta.env.DEV) return;
    let cancelled = false;
    void import('virtual:pwa-register').then(({ registerSW }) => {
      if (cancelled) return;
      const updateSW = registerSW({
        immediate: true,
        onNeedRefresh() {
          setState({ available: true, apply: () => void updateSW(true) });
        },
      });
    });
    return () => {
      cancelled = true;
    };
  }, []);
  return state;
}
