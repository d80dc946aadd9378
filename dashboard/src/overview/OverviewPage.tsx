import './overview.css';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api } from '../api/client.ts';
import type { PageProps } from '../app/routes.tsx';
import { Shell } from '../app/Shell.tsx';
import { displayTitle } from '../board/queue.ts';
import { formatDateTime } from '../i18n/index.ts';
import { downloadCsv, toCsv } from './csv.ts';
import { type ChartOption, useEChart } from './echart.ts';
import { lastDays, periodBounds } from './period.ts';

type Row = Record<string, unknown>;

interface Overview {
  from: string;
  to: string;
  at: string;
  organisation: { id: string; name: string; kind: string; communityId: string | null } | null;
  organisations: Array<{ id: string; name: string; kind: string; communityId: string | null }>;
  byLevel: Array<{ level: string; incidents: number; open: number; done: number; escalated: number }>;
  byPartner: Array<{ kind: string; incidents: number; actions: number }>;
  byOrganisation: Array<{ id: string; name: string; kind: string; incidents: number; actions: number }>;
  escalations: Row[];
  timings: Row[];
  grids: Row[];
  segments: Row[];
}

interface Stats {
  items: Row[];
  totals: Record<string, number | null>;
}

type T = (key: string, opts?: Record<string, unknown>) => string;
const levelOf = (t: T, l: string) => t(`board:level.${l}`);
const partnerOf = (t: T, k: string) => t(`overview:partner.${k}`);

const n = (v: unknown) => (v === null || v === undefined ? null : Number(v));
const fmt = (v: unknown, digits = 1) => {
  const x = n(v);
  return x === null || Number.isNaN(x) ? '—' : Number.isInteger(x) ? String(x) : x.toFixed(digits);
};

/** `/overview`: the four-in-one overview for the party committee, liaisons and each partner. */
export default function OverviewPage(_props: PageProps) {
  const { t, i18n } = useTranslation(['overview', 'board', 'common']);
  const initial = useMemo(() => lastDays(7, Date.now()), []);
  const [fromDay, setFromDay] = useState(initial.fromDay);
  const [toDay, setToDay] = useState(initial.toDay);
  const [orgId, setOrgId] = useState('');
  const [data, setData] = useState<Overview | null>(null);
  const [stats, setStats] = useState<Stats | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    const { from, to } = periodBounds(fromDay, toDay);
    let alive = true;
    setError(null);
    Promise.all([
      api<Overview>('overview', { query: { from, to, organisationId: orgId || undefined } }),
      api<Stats>('stats', { query: { from, to, bucket: 'day', tz: 'Asia/Shanghai' } }),
    ])
      .then(([o, s]) => {
        if (!alive) return;
        setData(o);
        setStats(s);
      })
      .catch((err: Error & { reason?: string }) => {
        if (alive) setError(err.reason ?? err.message);
      });
    return () => {
      alive = false;
    };
  }, [fromDay, toDay, orgId]);

  const file = (name: string) => `wardmap-${name}-${fromDay}_${toDay}${orgId ? `-${orgId}` : ''}.csv`;

  const tables = useMemo(() => {
    if (!data || !stats) return null;
    const col = (k: string) => t(`overview:col.${k}`);
    return {
      levels: {
        header: [col('level'), col('incidents'), col('open'), col('done'), col('escalated')],
        rows: data.byLevel.map((r) => [levelOf(t, r.level), r.incidents, r.open, r.done, r.escalated]),
      },
      partners: {
        header: [col('partner'), col('incidents'), col('actions')],
        rows: data.byPartner.map((r) => [partnerOf(t, r.kind), r.incidents, r.actions]),
      },
      organisations: {
        header: [col('organisation'), col('partner'), col('incidents'), col('actions')],
        rows: data.byOrganisation.map((r) => [r.name, partnerOf(t, r.kind), r.incidents, r.actions]),
      },
      escalations: {
        header: [
          col('title'),
          col('community'),
          col('severity'),
          col('state'),
          col('reachedAt'),
          col('ageH'),
          col('reason'),
        ],
        rows: data.escalations.map((e) => [
          displayTitle({ title: String(e.title), category: String(e.category) }, (c) =>
            t(`board:label.${c}`, { defaultValue: c }),
          ),
          String(e.communityName ?? e.communityId ?? ''),
          t(`board:severity.${e.severity}`),
          t(`board:state.${e.state}`),
          formatDateTime(String(e.reachedAt), i18n.language),
          fmt((n(e.ageMin) ?? 0) / 60),
          String(e.note ?? ''),
        ]),
      },
      timings: {
        header: [
          col('level'),
          col('ackCount'),
          col('ackMedian'),
          col('ackP90'),
          col('ackSla'),
          col('ackWithin'),
          col('closeCount'),
          col('closeMedian'),
          col('closeP90'),
          col('resolveSla'),
          col('closeWithin'),
        ],
        rows: data.timings.map((r) => [
          levelOf(t, String(r.level)),
          n(r.ackCount),
          n(r.ackMedianMin),
          n(r.ackP90Min),
          n(r.ackSlaMin),
          n(r.ackWithinSlaPct),
          n(r.closeCount),
          n(r.closeMedianMin),
          n(r.closeP90Min),
          n(r.resolveSlaMin),
          n(r.closeWithinSlaPct),
        ]),
      },
      grids: {
        header: [
          col('community'),
          col('grid'),
          col('required'),
          col('doneP'),
          col('compliance'),
          col('distanceKm'),
          col('durationH'),
        ],
        rows: data.grids.map((g) => [
          String(g.communityName ?? g.communityId),
          String(g.name),
          n(g.required),
          n(g.done),
          n(g.compliancePct),
          Math.round((n(g.distanceM) ?? 0) / 100) / 10,
          Math.round((n(g.durationMin) ?? 0) / 6) / 10,
        ]),
      },
      segments: {
        header: [
          col('segment'),
          col('chief'),
          col('chiefLevel'),
          col('required'),
          col('doneP'),
          col('compliance'),
          col('distanceKm'),
          col('durationH'),
        ],
        rows: data.segments.map((s) => [
          String(s.name),
          String(s.chiefName ?? s.chiefId ?? ''),
          t(`overview:chiefLevel.${s.chiefLevel}`),
          n(s.required),
          n(s.done),
          n(s.compliancePct),
          Math.round((n(s.distanceM) ?? 0) / 100) / 10,
          Math.round((n(s.durationMin) ?? 0) / 6) / 10,
        ]),
      },
      checkins: {
        header: [col('day'), col('checkins'), col('patrols'), col('validPatrols')],
        rows: stats.items.map((r) => [String(r.bucket), n(r.checkins), n(r.patrols), n(r.validPatrols)]),
      },
      cleanup: {
        header: [col('day'), col('riverIssues'), col('garbageTons'), col('netCages'), col('stakes')],
        rows: stats.items.map((r) => [
          String(r.bucket),
          n(r.riverIssues),
          n(r.garbageTons),
          n(r.netCages),
          n(r.stakes),
        ]),
      },
    };
  }, [data, stats, t, i18n.language]);

  const levelChart = useMemo<ChartOption | null>(
    () =>
      data && {
        tooltip: {},
        grid: { left: 40, right: 10, top: 20, bottom: 30 },
        xAxis: { type: 'category', data: data.byLevel.map((r) => levelOf(t, r.level)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            type: 'bar',
            data: data.byLevel.map((r) => r.incidents),
            itemStyle: { color: '#1f6feb' },
            label: { show: true, position: 'top' },
          },
        ],
      },
    [data, t],
  );
  const partnerChart = useMemo<ChartOption | null>(
    () =>
      data && {
        tooltip: {},
        grid: { left: 40, right: 10, top: 20, bottom: 30 },
        xAxis: { type: 'category', data: data.byPartner.map((r) => partnerOf(t, r.kind)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            type: 'bar',
            data: data.byPartner.map((r) => r.incidents),
            itemStyle: { color: '#2e9d57' },
            label: { show: true, position: 'top' },
          },
        ],
      },
    [data, t],
  );
  const timingChart = useMemo<ChartOption | null>(
    () =>
      data && {
        tooltip: { trigger: 'axis' },
        legend: { top: 0 },
        grid: { left: 50, right: 10, top: 30, bottom: 30 },
        xAxis: { type: 'category', data: data.timings.map((r) => levelOf(t, String(r.level))) },
        yAxis: { type: 'value', name: t('overview:minutes') },
        series: [
          {
            name: t('overview:col.ackMedian'),
            type: 'bar',
            data: data.timings.map((r) => n(r.ackMedianMin)),
          },
          { name: t('overview:col.ackP90'), type: 'bar', data: data.timings.map((r) => n(r.ackP90Min)) },
          {
            name: t('overview:col.ackSla'),
            type: 'line',
            data: data.timings.map((r) => n(r.ackSlaMin)),
            lineStyle: { type: 'dashed' },
          },
        ],
      },
    [data, t],
  );
  const checkinChart = useMemo<ChartOption | null>(
    () =>
      stats && {
        tooltip: { trigger: 'axis' },
        grid: { left: 50, right: 10, top: 20, bottom: 30 },
        xAxis: { type: 'category', data: stats.items.map((r) => String(r.bucket).slice(5)) },
        yAxis: { type: 'value', minInterval: 1 },
        series: [
          {
            name: t('overview:col.checkins'),
            type: 'line',
            data: stats.items.map((r) => n(r.checkins)),
            areaStyle: { opacity: 0.15 },
          },
        ],
      },
    [stats, t],
  );

  const orgGroups = useMemo(() => {
    const g = new Map<string, Overview['organisations']>();
    for (const o of data?.organisations ?? []) g.set(o.kind, [...(g.get(o.kind) ?? []), o]);
    return g;
  }, [data?.organisations]);

  return (
    <Shell current="overview">
      <div className="overview" data-testid="overview">
        <header className="ov-controls">
          <h1>
            {data?.organisation
              ? t('overview:titleFor', { name: data.organisation.name })
              : t('overview:title')}
          </h1>
          <label>
            {t('overview:from')}
            <input
              type="date"
              data-testid="period-from"
              value={fromDay}
              max={toDay}
              onChange={(e) => e.target.value && setFromDay(e.target.value)}
            />
          </label>
          <label>
            {t('overview:to')}
            <input
              type="date"
              data-testid="period-to"
              value={toDay}
              min={fromDay}
              onChange={(e) => e.target.value && setToDay(e.target.value)}
            />
          </label>
          {[7, 30].map((d) => (
            <button
              key={d}
              type="button"
              onClick={() => {
                const p = lastDays(d, Date.now());
                setFromDay(p.fromDay);
                setToDay(p.toDay);
              }}
            >
              {t('overview:lastDays', { count: d })}
            </button>
          ))}
          <label>
            {t('overview:view')}
            <select data-testid="partner-view" value={orgId} onChange={(e) => setOrgId(e.target.value)}>
              <option value="">{t('overview:allPartners')}</option>
              {[...orgGroups.entries()].map(([kind, orgs]) => (
                <optgroup key={kind} label={partnerOf(t, kind)}>
                  {orgs.map((o) => (
                    <option key={o.id} value={o.id}>
                      {o.name}
                    </option>
                  ))}
                </optgroup>
              ))}
            </select>
          </label>
        </header>
        {error && (
          <p className="banner bad" role="alert">
            {t('overview:error', { reason: error })}
          </p>
        )}
        {tables && stats && data && (
          <>
            <section className="ov-cards" data-testid="cleanup-totals">
              <Card
                label={t('overview:col.incidents')}
                value={data.byLevel.reduce((s, r) => s + r.incidents, 0)}
              />
              <Card
                label={t('overview:escalatedToCommunity')}
                value={data.escalations.length}
                warn={data.escalations.length > 0}
              />
              <Card label={t('overview:col.checkins')} value={stats.totals.checkins ?? 0} />
              <Card label={t('overview:col.garbageTons')} value={fmt(stats.totals.garbageTons, 2)} />
              <Card label={t('overview:col.netCages')} value={stats.totals.netCages ?? 0} />
              <Card label={t('overview:col.stakes')} value={stats.totals.stakes ?? 0} />
            </section>
            <div className="ov-grid">
              <Panel
                title={t('overview:byLevel')}
                name="levels"
                table={tables.levels}
                file={file}
                chart={levelChart}
              />
              <Panel
                title={t('overview:byPartner')}
                name="partners"
                table={tables.partners}
                file={file}
                chart={partnerChart}
                note={t('overview:partnerNote')}
              />
              <Panel
                title={t('overview:timings')}
                name="timings"
                table={tables.timings}
                file={file}
                chart={timingChart}
                wide
              />
              <Panel
                title={t('overview:checkinsPerDay')}
                name="checkins"
                table={tables.checkins}
                file={file}
                chart={checkinChart}
              />
              <Panel title={t('overview:cleanup')} name="cleanup" table={tables.cleanup} file={file} />
              <Panel
                title={t('overview:escalations')}
                name="escalations"
                table={tables.escalations}
                file={file}
                wide
                empty={t('overview:noEscalations')}
              />
              <Panel
                title={t('overview:organisations')}
                name="organisations"
                table={tables.organisations}
                file={file}
              />
              <Panel
                title={t('overview:grids')}
                name="grids"
                table={tables.grids}
                file={file}
                wide
                pctCol={4}
              />
              <Panel
                title={t('overview:segments')}
                name="segments"
                table={tables.segments}
                file={file}
                wide
                pctCol={5}
              />
            </div>
            <p className="muted ov-foot">
              {t('overview:asOf', { at: formatDateTime(data.at, i18n.language) })}
            </p>
          </>
        )}
      </div>
    </Shell>
  );
}

function Card(props: { label: string; value: string | number; warn?: boolean }) {
  return (
    <div className={`ov-card${props.warn ? ' warn' : ''}`}>
      <div className="ov-card-value">{props.value}</div>
      <div className="ov-card-label">{props.label}</div>
    </div>
  );
}

function Panel(props: {
  title: string;
  name: string;
  table: { header: string[]; rows: Array<Array<string | number | null>> };
  file: (name: string) => string;
  chart?: ChartOption | null;
  wide?: boolean;
  note?: string;
  empty?: string;
  pctCol?: number;
}) {
  const { t } = useTranslation('overview');
  return (
    <section className={`ov-panel${props.wide ? ' wide' : ''}`} data-testid={`panel-${props.name}`}>
      <header>
        <h2>{props.title}</h2>
        <button
          type="button"
          data-testid={`csv-${props.name}`}
          onClick={() => downloadCsv(props.file(props.name), toCsv(props.table.header, props.table.rows))}
        >
          {t('csv')}
        </button>
      </header>
      {props.note && <p className="muted ov-note">{props.note}</p>}
      {props.chart !== undefined && <Chart option={props.chart} name={props.name} />}
      {props.table.rows.length === 0 && props.empty ? (
        <p className="muted">{props.empty}</p>
      ) : (
        <div className="ov-table-wrap">
          <table className="ov-table" data-testid={`table-${props.name}`}>
            <thead>
              <tr>
                {props.table.header.map((h) => (
                  <th key={h}>{h}</th>
                ))}
              </tr>
            </thead>
            <tbody>
              {props.table.rows.map((r, i) => (
                // biome-ignore lint/suspicious/noArrayIndexKey: rows have no id of their own
                <tr key={i}>
                  {r.map((c, j) => (
                    // biome-ignore lint/suspicious/noArrayIndexKey: columns are positional
                    <td key={j} className={j === props.pctCol ? pctClass(c) : undefined}>
                      {c === null ? '—' : typeof c === 'number' ? fmt(c) : c}
                    </td>
                  ))}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

const pctClass = (v: string | number | null) => {
  if (typeof v !== 'number') return 'pct';
  return v >= 100 ? 'pct ok' : v >= 50 ? 'pct warn' : 'pct bad';
};

function Chart(props: { option: ChartOption | null; name: string }) {
  const { ref, rendered } = useEChart(props.option);
  return (
    <div
      className="ov-chart"
      ref={ref}
      data-testid={`chart-${props.name}`}
      data-rendered={String(rendered)}
    />
  );
}
