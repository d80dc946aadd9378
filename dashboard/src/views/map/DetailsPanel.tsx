import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { slaStateOf } from '../../layers/incidents.ts';
import { useAppStore } from '../../store/index.ts';
import { freshnessOf } from '../../stream/freshness.ts';
import type { LiveData } from '../../stream/live-data.ts';
import { formatAge } from './age.ts';
import { IncidentHistory } from './IncidentHistory.tsx';
import { useNow } from './use-now.ts';

type Row = [label: string, value: string | number | null | undefined];

/** What was clicked: person, segment, block, community, camera, post or incident. */
export function DetailsPanel(props: { data: LiveData }) {
  const { t, i18n } = useTranslation(['map', 'common']);
  const selection = useAppStore((s) => s.selection);
  const select = useAppStore((s) => s.select);
  const followId = useAppStore((s) => s.followId);
  const follow = useAppStore((s) => s.follow);
  useAppStore((s) => s.liveVersion);
  const now = useNow(1000);
  if (!selection) return null;
  const p = selection.props ?? {};
  const dt = (v: unknown) => (typeof v === 'string' && v ? formatDateTime(v, i18n.language) : '—');
  const status = (v: unknown) => (v ? t(`status.${String(v)}`) : '—');
  let title = String(p.name ?? selection.id);
  let rows: Row[] = [];
  switch (selection.kind) {
    case 'person': {
      const person = props.data.people.get(selection.id);
      title = person?.name ?? selection.id;
      rows = [
        [t('details.id'), selection.id],
        [t('details.lastCheckin'), person ? formatAge(t, person.atMs, now) : '—'],
        [
          t('details.freshness'),
          person ? t(`freshness.${freshnessOf(now - person.atMs, person.online)}`) : '—',
        ],
        [t('details.battery'), person?.battery == null ? '—' : `${Math.round(person.battery)}%`],
        [t('details.grid'), person?.gridId ?? '—'],
        [t('details.accuracy'), person?.accuracy == null ? '—' : `${Math.round(person.accuracy)} m`],
      ];
      break;
    }
    case 'segment':
      rows = [
        [t('details.chief'), String(p.chiefName ?? p.chiefId ?? '—')],
        [t('details.status'), status(p.status)],
        [t('details.lastPatrol'), dt(p.lastPatrolAt)],
        [t('details.coverage'), p.coveragePct == null ? '—' : `${p.coveragePct}%`],
        [t('details.due'), dt(p.dueAt)],
        [t('details.openIssues'), Number(p.openIssues ?? 0)],
      ];
      break;
    case 'grid':
      rows = [
        [t('details.status'), status(p.status)],
        [t('details.lastPatrol'), dt(p.lastPatrolAt)],
        [t('details.coverage'), p.coveragePct == null ? '—' : `${p.coveragePct}%`],
        [t('details.households'), Number(p.households ?? 0)],
        [t('details.onDuty'), Number(p.onDuty ?? 0)],
        [
          t('details.openIncidents'),
          Number(p.openBuilding ?? 0) + Number(p.openBlock ?? 0) + Number(p.openCommunity ?? 0),
        ],
      ];
      break;
    case 'community':
      rows = [
        [t('details.residents'), Number(p.residents ?? 0)],
        [t('details.households'), Number(p.households ?? 0)],
        [t('details.openIncidents'), Number(p.openIncidents ?? 0)],
      ];
      break;
    case 'camera': {
      const live = props.data.cameras.get(selection.id);
      const online = live ? live.online : Boolean(p.online);
      rows = [
        [t('details.post'), String(p.policePostId ?? '—')],
        [t('details.status'), online ? t('camera.online') : t('camera.offline')],
        [t('details.lastSeen'), dt(p.lastSeenAt)],
        [t('details.openAlerts'), Number(p.openAlerts ?? 0)],
      ];
      break;
    }
    case 'post':
      rows = [
        [t('details.openIncidents'), Number(p.openIncidents ?? 0)],
        [t('details.camerasOffline'), Number(p.camerasOffline ?? 0)],
      ];
      break;
    case 'incident': {
      const inc = props.data.incidents.get(selection.id);
      title = inc?.title ?? selection.id;
      const due = inc?.slaDueAt ? Date.parse(inc.slaDueAt) - now : null;
      rows = [
        [t('details.level'), inc ? t(`level.${inc.level}`) : '—'],
        [t('details.state'), inc ? t(`state.${inc.state}`) : '—'],
        [t('details.sla'), inc ? t(`sla.${slaStateOf(inc, now)}`) : '—'],
        [
          t('details.slaLeft'),
          due === null
            ? '—'
            : `${due < 0 ? '-' : ''}${Math.floor(Math.abs(due) / 60_000)}:${String(Math.floor((Math.abs(due) % 60_000) / 1000)).padStart(2, '0')}`,
        ],
        [t('details.created'), dt(inc?.createdAt)],
      ];
      break;
    }
  }
  return (
    <aside className="details" data-testid="details-panel" data-kind={selection.kind} data-id={selection.id}>
      <header>
        <span className="details-kind">{t(`kinds.${selection.kind}`)}</span>
        <strong>{title}</strong>
        <button
          type="button"
          className="details-close"
          onClick={() => select(null)}
          aria-label={t('details.close')}
        >
          ×
        </button>
      </header>
      <dl>
        {rows.map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value ?? '—'}</dd>
          </div>
        ))}
      </dl>
      {selection.kind === 'incident' &&
        (() => {
          const inc = props.data.incidents.get(selection.id);
          const version = `${selection.id}/${inc?.state ?? ''}/${inc?.level ?? ''}`;
          return <IncidentHistory key={version} incidentId={selection.id} />;
        })()}
      {selection.kind === 'person' && (
        <button
          type="button"
          data-testid="follow-toggle"
          onClick={() => follow(followId === selection.id ? null : selection.id)}
        >
          {followId === selection.id ? t('details.unfollow') : t('details.follow')}
        </button>
      )}
    </aside>
  );
}
