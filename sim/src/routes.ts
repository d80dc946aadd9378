import {
  bearingDeg,
  haversineM,
  type LonLat,
  type ReferenceBuilding,
  type ReferenceGrid,
} from '@wardmap/geo';

/** A closed walking loop with named stops (building entrances) along it. */
export interface Route {
  points: LonLat[];
  /** Cumulative distance (m) at each point; the last entry is the loop length. */
  cumulative: number[];
  /** Buildings passed, with their distance along the loop. */
  stops: { id: string; atM: number }[];
  lengthM: number;
}

function centroid(ring: readonly LonLat[]): LonLat {
  // Vertex mean of the ring without its closing duplicate: good enough for small convex blocks.
  const pts = ring.slice(0, -1);
  const lon = pts.reduce((s, p) => s + p[0], 0) / pts.length;
  const lat = pts.reduce((s, p) => s + p[1], 0) / pts.length;
  return [lon, lat];
}

const toward = (from: LonLat, to: LonLat, t: number): LonLat => [
  from[0] + (to[0] - from[0]) * t,
  from[1] + (to[1] - from[1]) * t,
];

/**
 * The patrol loop of a block: the block's inner street (its outline pulled 12% toward the middle)
 * with a detour to each building's entrance, visited in order around the block's centre.
 */
export function blockRoute(grid: ReferenceGrid, buildings: readonly ReferenceBuilding[]): Route {
  const ring = grid.geometry.coordinates[0] ?? [];
  const mid = centroid(ring);
  const waypoints: { p: LonLat; angle: number; stop?: string }[] = ring
    .slice(0, -1)
    .map((corner) => ({ p: toward(corner, mid, 0.12), angle: bearingDeg(mid, corner) }));
  for (const b of buildings) {
    const c = centroid(b.geometry.coordinates[0] ?? []);
    waypoints.push({ p: c, angle: bearingDeg(mid, c), stop: b.id });
  }
  waypoints.sort((a, b) => a.angle - b.angle);
  const first = waypoints[0];
  if (!first) throw new Error(`grid ${grid.id} has no outline`);
  const points = [...waypoints.map((w) => w.p), first.p];
  const cumulative = [0];
  for (let i = 1; i < points.length; i++) {
    cumulative.push((cumulative[i - 1] as number) + haversineM(points[i - 1] as LonLat, points[i] as LonLat));
  }
  const stops = waypoints.flatMap((w, i) => (w.stop ? [{ id: w.stop, atM: cumulative[i] as number }] : []));
  return { points, cumulative, stops, lengthM: cumulative[cumulative.length - 1] as number };
}

/** Position at distance `d` along a route, wrapping around the loop. */
export function positionOnRoute(route: Route, d: number): { at: LonLat; heading: number } {
  const len = route.lengthM;
  const x = len > 0 ? ((d % len) + len) % len : 0;
  for (let i = 1; i < route.points.length; i++) {
    const end = route.cumulative[i] as number;
    if (x <= end) {
      const a = route.points[i - 1] as LonLat;
      const b = route.points[i] as LonLat;
      const start = route.cumulative[i - 1] as number;
      const t = end > start ? (x - start) / (end - start) : 0;
      return { at: toward(a, b, t), heading: bearingDeg(a, b) };
    }
  }
  const last = route.points[route.points.length - 1] as LonLat;
  return { at: last, heading: 0 };
}

/** Building stops passed when walking from `from` to `to` metres (may wrap the loop). */
export function stopsPassed(route: Route, from: number, to: number): string[] {
  const out: string[] = [];
  if (route.lengthM <= 0) return out;
  for (const s of route.stops) {
    const lap = Math.ceil((from - s.atM) / route.lengthM);
    const first = s.atM + lap * route.lengthM;
    if (first > from && first <= to) out.push(s.id);
  }
  return out;
}
