import type { Queryable } from '@wardmap/db';
import type { IngestItem } from './items.ts';

/** What ingest accepts as plausible (see migration 0021 for the settings behind it). */
export interface Plausibility {
  /** Device time may be ahead of the server clock by at most this. */
  maxAheadMs: number;
  /** Device time may be behind the server clock by at most this (the offline-queue horizon). */
  maxAgeMs: number;
  /** `[minLon, minLat, maxLon, maxLat]` positions must fall in; null: only the global range. */
  extent: [number, number, number, number] | null;
  /** How the extent was obtained, for reasons and logs. */
  extentSource: string;
}

export const DEFAULT_PLAUSIBILITY: Plausibility = {
  maxAheadMs: 300_000,
  maxAgeMs: 30 * 86_400_000,
  extent: null,
  extentSource: 'none',
};

const METRES_PER_DEGREE = 111_320;

/** Reads `ingest_settings` and derives the deployment extent from the reference geography. */
export async function loadPlausibility(q: Queryable): Promise<Plausibility> {
  const rows = await q.query<{ key: string; value: number }>('SELECT key, value FROM ingest_settings');
  const s = new Map(rows.rows.map((r) => [r.key, Number(r.value)]));
  const num = (key: string, fallback: number) => {
    const v = s.get(key);
    return v !== undefined && Number.isFinite(v) ? v : fallback;
  };
  const base: Plausibility = {
    maxAheadMs: num('max_ahead_s', DEFAULT_PLAUSIBILITY.maxAheadMs / 1000) * 1000,
    maxAgeMs: num('max_age_s', DEFAULT_PLAUSIBILITY.maxAgeMs / 1000) * 1000,
    extent: null,
    extentSource: 'none',
  };
  const explicit = ['extent_min_lon', 'extent_min_lat', 'extent_max_lon', 'extent_max_lat'].map((k) =>
    s.get(k),
  );
  if (explicit.every((v) => v !== undefined && Number.isFinite(v))) {
    return { ...base, extent: explicit as [number, number, number, number], extentSource: 'ingest_settings' };
  }
  // The bounding box of everything the deployment knows about; the margin is converted to degrees
  // at the box's mid-latitude (a few kilometres of slack do not need geodesic precision).
  const ext = await q.query<{ x0: number | null; y0: number | null; x1: number | null; y1: number | null }>(
    `SELECT ST_XMin(e) AS x0, ST_YMin(e) AS y0, ST_XMax(e) AS x1, ST_YMax(e) AS y1
       FROM (SELECT ST_Extent(geom) AS e FROM (
               SELECT geom FROM communities UNION ALL SELECT geom FROM grids
               UNION ALL SELECT geom FROM river_segments UNION ALL SELECT geom FROM police_posts
               UNION ALL SELECT geom FROM cameras) g) b`,
  );
  const r = ext.rows[0];
  if (!r || r.x0 === null || r.y0 === null || r.x1 === null || r.y1 === null) return base;
  const margin = num('extent_margin_m', 20_000);
  const dLat = margin / METRES_PER_DEGREE;
  const midLat = ((Number(r.y0) + Number(r.y1)) / 2) * (Math.PI / 180);
  const dLon = margin / (METRES_PER_DEGREE * Math.max(Math.cos(midLat), 0.01));
  const round = (v: number) => Math.round(v * 1e5) / 1e5;
  return {
    ...base,
    extent: [
      round(Math.max(-180, Number(r.x0) - dLon)),
      round(Math.max(-90, Number(r.y0) - dLat)),
      round(Math.min(180, Number(r.x1) + dLon)),
      round(Math.min(90, Number(r.y1) + dLat)),
    ],
    extentSource: `reference geography + ${margin} m`,
  };
}

const SECOND = 1000;
const DAY = 86_400_000;
const span = (ms: number) =>
  ms >= 2 * DAY ? `${Math.round(ms / DAY)} days` : `${Math.round(ms / SECOND)} s`;

/** Why a device time is implausible relative to `now`, or null. */
export function implausibleTime(
  at: string,
  now: Date,
  p: Plausibility,
  opts: { futureOnly?: boolean } = {},
): string | null {
  const t = Date.parse(at);
  if (!Number.isFinite(t)) return `at: '${at.slice(0, 40)}' is not a time`;
  const ahead = t - now.getTime();
  if (ahead > p.maxAheadMs) {
    return `at: device time ${at} is ${span(ahead)} ahead of the server clock (${now.toISOString()}); at most ${span(p.maxAheadMs)} allowed`;
  }
  if (!opts.futureOnly && -ahead > p.maxAgeMs) {
    return `at: device time ${at} is ${span(-ahead)} behind the server clock (${now.toISOString()}), beyond the offline horizon of ${span(p.maxAgeMs)}`;
  }
  return null;
}

/** Why a position is outside the deployment extent, or null. */
export function implausiblePosition(lon: number, lat: number, p: Plausibility): string | null {
  const e = p.extent;
  if (!e) return null;
  if (lon >= e[0] && lon <= e[2] && lat >= e[1] && lat <= e[3]) return null;
  return `location: [${lon}, ${lat}] is outside the deployment extent [${e.join(', ')}] (${p.extentSource})`;
}

/** Why an accepted item is implausible (time window, deployment extent), or null when it is fine. */
export function implausibleItem(item: IngestItem, now: Date, p: Plausibility): string | null {
  switch (item.type) {
    case 'checkin':
      return implausibleTime(item.at, now, p) ?? implausiblePosition(item.lon, item.lat, p);
    case 'river-report':
      return (
        implausibleTime(item.at, now, p) ??
        (item.lon !== null && item.lat !== null ? implausiblePosition(item.lon, item.lat, p) : null)
      );
    case 'camera-alert':
      return implausibleTime(item.at, now, p);
    case 'device-offline':
      // The lwt carries when the device *connected*, which may be long ago; only the future is odd.
      return implausibleTime(item.at, now, p, { futureOnly: true });
    case 'camera-availability':
      return null;
  }
}
