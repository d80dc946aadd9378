// SQL shared by the compliance routes, the grids / river-segments layers and the statistics, so a
// segment is "overdue" by exactly one definition everywhere. Thresholds come from the
// compliance_settings and patrol_rules tables (rules are data), "now" from the injected Clock.

/** The settings row, one column per key, with the migration's defaults when a key is missing. */
export const SETTINGS = `(SELECT
    coalesce(max(value) FILTER (WHERE key = 'river_coverage_buffer_m'), 30) AS river_buf_m,
    coalesce(max(value) FILTER (WHERE key = 'grid_coverage_buffer_m'), 50) AS grid_buf_m,
    coalesce(max(value) FILTER (WHERE key = 'grid_coverage_window_h'), 24) AS grid_window_h,
    coalesce(max(value) FILTER (WHERE key = 'grid_patrol_interval_h'), 24) AS grid_interval_h,
    coalesce(max(value) FILTER (WHERE key = 'grid_min_duration_min'), 10) AS grid_min_duration_min,
    coalesce(max(value) FILTER (WHERE key = 'grid_min_distance_m'), 500) AS grid_min_distance_m,
    coalesce(max(value) FILTER (WHERE key = 'grid_max_speed_kmh'), 25) AS grid_max_speed_kmh,
    coalesce(max(value) FILTER (WHERE key = 'outside_grid_alert_min'), 20) AS outside_min,
    coalesce(max(value) FILTER (WHERE key = 'max_clock_skew_s'), 300) AS max_skew_s,
    coalesce(max(value) FILTER (WHERE key = 'late_upload_s'), 21600) AS late_upload_s,
    coalesce(max(value) FILTER (WHERE key = 'due_soon_fraction'), 0.8) AS due_soon,
    coalesce(max(value) FILTER (WHERE key = 'flood_season_from_mmdd'), 415) AS flood_from,
    coalesce(max(value) FILTER (WHERE key = 'flood_season_to_mmdd'), 1015) AS flood_to
  FROM compliance_settings)`;

/** 'flood' or 'dry' for an instant, by the local (Asia/Shanghai) month and day; needs `cs` in scope. */
export const seasonOf = (ts: string) =>
  `(CASE WHEN to_char((${ts}) AT TIME ZONE 'Asia/Shanghai', 'MMDD')::int BETWEEN cs.flood_from AND cs.flood_to
         THEN 'flood' ELSE 'dry' END)`;

/**
 * The patrol rule for a chief level at an instant: a rule for the current season wins over the
 * all-year rule (season NULL). Warning-level rules are stored but not selected yet.
 */
export const ruleFor = (level: string, ts: string, alias = 'r') => `LEFT JOIN LATERAL (
    SELECT pr.* FROM patrol_rules pr
     WHERE pr.chief_level = ${level} AND pr.warning_level IS NULL
       AND (pr.season IS NULL OR pr.season = ${seasonOf(ts)})
     ORDER BY pr.season NULLS LAST, pr.id LIMIT 1) ${alias} ON true`;

/** ok / due / overdue from the last valid patrol's end and an interval in hours. */
export const statusOf = (lastAt: string, intervalH: string) => `(CASE
    WHEN ${intervalH} IS NULL THEN 'no_rule'
    WHEN ${lastAt} IS NULL THEN 'overdue'
    WHEN :now >= ${lastAt} + ${intervalH} * interval '1 hour' THEN 'overdue'
    WHEN :now >= ${lastAt} + ${intervalH} * cs.due_soon * interval '1 hour' THEN 'due'
    ELSE 'ok' END)`;

/** Hours between an instant and now, two decimals (NULL stays NULL). */
export const ageHours = (ts: string) => `round((extract(epoch FROM :now - ${ts}) / 3600)::numeric, 2)`;

/** Flags that make a patrol invalid; others (late_upload) are informational. */
export const INVALIDATING_FLAGS = [
  'no_track',
  'too_short_time',
  'too_short_distance',
  'impossible_speed',
  'clock_skew',
] as const;
