import type { ChangeKind } from '@wardmap/geo';

/**
 * One map layer as one SQL statement. The statement returns `(id text, geom geometry(4326), props
 * jsonb)` for the features intersecting `:bounds`, at most `:limit` rows. The same text feeds the
 * GeoJSON route (bounds = bbox envelope) and the tile route (bounds = tile envelope), which is why
 * the decoded tile and the GeoJSON of the same area carry the same features.
 *
 * Placeholders: `:bounds` (geometry 4326), `:now`, `:since`, `:until` (timestamptz, from the Clock),
 * `:zoom` (int; -1 for GeoJSON), `:lattice` and `:hexSize` (check-in hexagon lattice zoom and its edge in
 * EPSG:3857 metres), `:limit` (int), and the caller's area (`:areaAll` boolean, `:areaPerson`,
 * `:areaCommunities` text[], `:areaGrid`, `:areaSegments` text[], `:areaPost`) for the layers that
 * carry personal data.
 */
export interface LayerDef {
  name: string;
  sql: string;
  /** Change-notice kinds after which this layer's cached tiles are stale. */
  changes: readonly ChangeKind[];
  /** Properties derived from "now" (ages, due/overdue): cached tiles also expire after `ttlMs`. */
  ttlMs: number;
  /** Whether a notice's bbox bounds what changed (point layers); otherwise the whole layer is dropped. */
  pointLike: boolean;
  /** Browser cache lifetime of a tile (seconds). */
  maxAgeS: number;
  /** Features per tile when fewer than the route's general cap keep a dense tile under ~500 KB. */
  tileLimit?: number;
  /**
   * Rows depend on the caller's area (people's positions, check-ins, incidents): the statement
   * filters by the `:area*` placeholders and tiles are cached per area scope. Reference layers
   * (places, cameras, basemap) look the same to every signed-in user.
   */
  areaScoped?: boolean;
  /** Reads assessed patrols: closed, unassessed patrols are assessed first. */
  assessesPatrols?: boolean;
}

/** The spatial filter every layer uses: `&&` for the GiST index, then the exact test. */
export const inBounds = (col: string) => `${col} && :bounds AND ST_Intersects(${col}, :bounds)`;

/** Open work orders: anything not yet closed or rejected. */
export const OPEN_INCIDENT = `state NOT IN ('closed', 'rejected')`;

/**
 * An instant as the API writes it everywhere (`2026-03-02T04:00:00.000Z`), whatever the session's
 * TimeZone: jsonb would otherwise render timestamptz with the server's offset.
 */
export const isoUtc = (expr: string) =>
  `to_char((${expr}) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
