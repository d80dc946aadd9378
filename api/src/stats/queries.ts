import type { Queryable } from '@wardmap/db';
import { ruleFor, SETTINGS } from '../compliance/compliance-sql.ts';
import { assessAllPending } from '../compliance/patrol-assessment.ts';
import { bindNamed, typed } from '../sql/bind.ts';

export type StatsBucket = 'day' | 'week';

export interface StatsRequest {
  from: Date;
  to: Date;
  bucket: StatsBucket;
  /** Buckets are local days/weeks (ISO weeks, Monday first) in this time zone. */
  tz: string;
  now: Date;
}

/** One bucket's numbers; the column order of the CSV. */
export const STATS_COLUMNS = [
  'bucket',
  'start',
  'end',
  'checkins',
  'patrols',
  'validPatrols',
  'incidents',
  'incidentsBuilding',
  'incidentsBlock',
  'incidentsCommunity',
  'stateOpen',
  'stateAcknowledged',
  'stateDispatched',
  'stateResolved',
  'stateVerified',
  'stateClosed',
  'stateRejected',
  'acknowledged',
  'meanAckMin',
  'closed',
  'meanCloseMin',
  'segmentCompliancePct',
  'riverIssues',
  'garbageTons',
  'netCages',
  'stakes',
] as const;
export type StatsRow = Record<(typeof STATS_COLUMNS)[number], string | number | null>;

// Incidents are counted in the bucket they were created in, by level and by their state now.
// Segment compliance at a bucket's end (or now, for the running bucket): the share of segments
// with a rule whose last valid patrol ended within the rule's interval before that instant.
const STATS = `
  WITH b AS (
    SELECT gs AS local_start, gs AT TIME ZONE :tz AS start_at,
           (gs + ('1 ' || :unit)::interval) AT TIME ZONE :tz AS end_at
      FROM generate_series(date_trunc(:unit, :from AT TIME ZONE :tz), date_trunc(:unit, :to AT TIME ZONE :tz),
                           ('1 ' || :unit)::interval) AS gs
  )
  SELECT to_char(b.local_start, 'YYYY-MM-DD') AS bucket, b.start_at AS start, b.end_at AS "end",
         (SELECT count(*) FROM checkins c WHERE c.at >= b.start_at AND c.at < b.end_at) AS checkins,
         pt.patrols, pt."validPatrols",
         inc.incidents, inc."incidentsBuilding", inc."incidentsBlock", inc."incidentsCommunity",
         inc."stateOpen", inc."stateAcknowledged", inc."stateDispatched", inc."stateResolved",
         inc."stateVerified", inc."stateClosed", inc."stateRejected",
         inc.acknowledged, inc."meanAckMin", inc.closed, inc."meanCloseMin",
         (SELECT round(100.0 * count(*) FILTER (WHERE x.ok) / nullif(count(*), 0), 1) FROM (
            SELECT EXISTS (
                     SELECT 1 FROM patrols p
                      WHERE p.segment_id = s.id AND p.kind = 'river' AND p.valid
                        AND p.ended_at <= least(b.end_at, :now)
                        AND p.ended_at > least(b.end_at, :now) - r.min_interval_hours * interval '1 hour') AS ok
              FROM river_segments s CROSS JOIN ${SETTINGS} cs
              ${ruleFor('s.level', 'least(b.end_at, :now)')}
             WHERE r.id IS NOT NULL) x) AS "segmentCompliancePct",
         rr."riverIssues", rr."garbageTons", rr."netCages", rr.stakes
    FROM b
    CROSS JOIN LATERAL (
      SELECT count(*) AS patrols, count(*) FILTER (WHERE p.valid) AS "validPatrols"
        FROM patrols p WHERE p.status = 'closed' AND p.ended_at >= b.start_at AND p.ended_at < b.end_at) pt
    CROSS JOIN LATERAL (
      SELECT count(*) AS incidents,
             count(*) FILTER (WHERE i.level = 'building') AS "incidentsBuilding",
             count(*) FILTER (WHERE i.level = 'block') AS "incidentsBlock",
             count(*) FILTER (WHERE i.level = 'community') AS "incidentsCommunity",
             count(*) FILTER (WHERE i.state = 'open') AS "stateOpen",
             count(*) FILTER (WHERE i.state = 'acknowledged') AS "stateAcknowledged",
             count(*) FILTER (WHERE i.state = 'dispatched') AS "stateDispatched",
             count(*) FILTER (WHERE i.state = 'resolved') AS "stateResolved",
             count(*) FILTER (WHERE i.state = 'verified') AS "stateVerified",
             count(*) FILTER (WHERE i.state = 'closed') AS "stateClosed",
             count(*) FILTER (WHERE i.state = 'rejected') AS "stateRejected",
             count(i.acknowledged_at) AS acknowledged,
             round((avg(extract(epoch FROM i.acknowledged_at - i.created_at)) / 60)::numeric, 1) AS "meanAckMin",
             count(i.closed_at) AS closed,
             round((avg(extract(epoch FROM i.closed_at - i.created_at)) / 60)::numeric, 1) AS "meanCloseMin"
        FROM incidents i WHERE i.created_at >= b.start_at AND i.created_at < b.end_at) inc
    CROSS JOIN LATERAL (
      SELECT count(*) AS "riverIssues",
             coalesce(sum(r.tons) FILTER (WHERE r.issue = 'garbage'), 0) AS "garbageTons",
             coalesce(sum(coalesce(r.count, 1)) FILTER (WHERE r.issue = 'net_cage'), 0) AS "netCages",
             coalesce(sum(coalesce(r.count, 1)) FILTER (WHERE r.issue = 'stake'), 0) AS stakes
        FROM river_reports r WHERE r.type = 'issue' AND r.at >= b.start_at AND r.at < b.end_at) rr
   ORDER BY b.local_start`;

/** Statistics per local day or ISO week between two instants (buckets containing them included). */
export async function queryStats(q: Queryable, r: StatsRequest): Promise<StatsRow[]> {
  await assessAllPending(q, r.now);
  const { text, params } = bindNamed(STATS, {
    tz: typed(r.tz, 'text'),
    unit: typed(r.bucket, 'text'),
    from: typed(r.from.toISOString(), 'timestamptz'),
    to: typed(r.to.toISOString(), 'timestamptz'),
    now: typed(r.now.toISOString(), 'timestamptz'),
  });
  const res = await q.query<Record<string, unknown>>(text, params);
  return res.rows.map((row) => {
    const out = {} as StatsRow;
    for (const col of STATS_COLUMNS) {
      const v = row[col];
      out[col] =
        v instanceof Date ? v.toISOString() : v === null || v === undefined ? null : (v as string | number);
      if (col === 'start' || col === 'end')
        out[col] = new Date(String(v instanceof Date ? v.toISOString() : v)).toISOString();
    }
    return out;
  });
}

/** Sums of the count columns over all buckets, with the means recomputed from the sums. */
export function totalsOf(rows: StatsRow[]): Record<string, number | null> {
  const totals: Record<string, number | null> = {};
  const num = (v: unknown) => (typeof v === 'number' ? v : v === null ? 0 : Number(v));
  for (const col of STATS_COLUMNS) {
    if (['bucket', 'start', 'end', 'meanAckMin', 'meanCloseMin', 'segmentCompliancePct'].includes(col))
      continue;
    totals[col] = Math.round(rows.reduce((s, r) => s + num(r[col]), 0) * 1000) / 1000;
  }
  const weighted = (mean: 'meanAckMin' | 'meanCloseMin', n: 'acknowledged' | 'closed') => {
    const count = rows.reduce((s, r) => s + num(r[n]), 0);
    if (count === 0) return null;
    return Math.round((rows.reduce((s, r) => s + num(r[mean]) * num(r[n]), 0) / count) * 10) / 10;
  };
  totals.meanAckMin = weighted('meanAckMin', 'acknowledged');
  totals.meanCloseMin = weighted('meanCloseMin', 'closed');
  return totals;
}

/** RFC 4180 CSV with a header row. */
export function statsCsv(rows: StatsRow[]): string {
  const cell = (v: unknown) => {
    if (v === null || v === undefined) return '';
    const s = String(v);
    return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  return `${[STATS_COLUMNS.join(','), ...rows.map((r) => STATS_COLUMNS.map((c) => cell(r[c])).join(','))].join('\r\n')}\r\n`;
}
