import { api } from '../../api/client.ts';

/** One person's path: `[lon, lat, epochMs]` oldest first. */
export interface Track {
  personId: string;
  name: string | null;
  roles: string[];
  path: Array<[number, number, number]>;
}

export interface ReplayIncident {
  id: string;
  title: string;
  location: [number, number];
  level: string;
  state: string;
  createdAt: string;
  slaDueAt: string | null;
  changes: Array<{ at: string; state: string | null; level: string | null }>;
}

export interface ReplayWindow {
  since: string;
  until: string;
  tracks: Track[];
  incidents: ReplayIncident[];
}

/** Loads a replay window (bounded server-side: at most 7 days, thinned paths). */
export function loadReplay(since: Date, until: Date): Promise<ReplayWindow> {
  return api<ReplayWindow>('tracks', { query: { since: since.toISOString(), until: until.toISOString() } });
}

/** Where a track is at `t` (epoch ms): interpolated between the surrounding points, or null outside it. */
export function positionAt(path: Track['path'], t: number): [number, number] | null {
  if (path.length === 0 || t < path[0]![2]) return null;
  const last = path[path.length - 1]!;
  if (t >= last[2]) return t - last[2] > 10 * 60_000 ? null : [last[0], last[1]];
  let lo = 0;
  let hi = path.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (path[mid]![2] <= t) lo = mid;
    else hi = mid;
  }
  const a = path[lo]!;
  const b = path[hi]!;
  const f = b[2] === a[2] ? 0 : (t - a[2]) / (b[2] - a[2]);
  return [a[0] + (b[0] - a[0]) * f, a[1] + (b[1] - a[1]) * f];
}

/** An incident's state and level at `t`, or null when it did not exist yet. */
export function incidentAt(i: ReplayIncident, t: number): { state: string; level: string } | null {
  if (Date.parse(i.createdAt) > t) return null;
  let state = 'open';
  let level = i.changes.length ? 'building' : i.level;
  for (const c of i.changes) {
    if (Date.parse(c.at) > t) break;
    if (c.state) state = c.state;
    if (c.level) level = c.level;
  }
  return { state, level };
}
