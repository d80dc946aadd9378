import { useSyncExternalStore } from 'react';

// A tiny client-side router: the SPA has five pages, so history.pushState + popstate is enough
// (no router dependency in the phone app's bundle).

const listeners = new Set<() => void>();
const notify = () => {
  for (const l of listeners) l();
};
if (typeof window !== 'undefined') window.addEventListener('popstate', notify);

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}

const currentPath = () => (typeof location === 'undefined' ? '/' : location.pathname);

/** The current pathname; re-renders on navigation. */
export function usePath(): string {
  return useSyncExternalStore(subscribe, currentPath, () => '/');
}

/** Client-side navigation to `to` (same origin). */
export function navigate(to: string, opts: { replace?: boolean } = {}): void {
  if (to === currentPath() + location.search) return;
  if (opts.replace) history.replaceState(null, '', to);
  else history.pushState(null, '', to);
  notify();
}

export type RouteName = 'map' | 'board' | 'overview' | 'field' | 'notFound';

export interface RouteMatch {
  name: RouteName;
  params: Record<string, string>;
}

/** Maps a pathname onto one of the SPA's pages. */
export function matchRoute(path: string): RouteMatch {
  const p = path.replace(/\/+$/, '') || '/';
  if (p === '/') return { name: 'map', params: {} };
  if (p === '/board') return { name: 'board', params: {} };
  const board = /^\/board\/([^/]+)$/.exec(p);
  if (board) return { name: 'board', params: { postId: decodeURIComponent(board[1]!) } };
  if (p === '/overview') return { name: 'overview', params: {} };
  if (p === '/field' || p.startsWith('/field/')) return { name: 'field', params: {} };
  return { name: 'notFound', params: {} };
}
