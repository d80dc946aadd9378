import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../i18n/index.ts';
import type { ComplianceAlert } from './board-api.ts';
import type { BoardModel } from './board-model.ts';
import { useModel, useTick } from './hooks.ts';
import { groupCameraChanges } from './queue.ts';

/** "3 分钟前" style age from clock time (the demo clock may run fast). */
export function useAge() {
  const { t } = useTranslation('common');
  return (iso: string | null | undefined, now: number) => {
    if (!iso) return t('age.never');
    const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
    if (s < 10) return t('age.justNow');
    if (s < 60) return t('age.seconds', { count: s });
    if (s < 3600) return t('age.minutes', { count: Math.floor(s / 60) });
    if (s < 86_400) return t('age.hours', { count: Math.floor(s / 3600) });
    return t('age.days', { count: Math.floor(s / 86_400) });
  };
}

/** Cameras of the post, offline first, with the grouped online/offline events above them. */
export function CamerasPanel(props: {
  model: BoardModel;
  onPick: (cameraId: string) => void;
  picked: string | null;
}) {
  const { model } = props;
  const { t } = useTranslation('board');
  useModel(model);
  useTick();
  const age = useAge();
  const now = model.now();
  const cams = [...model.cameras.values()].sort(
    (a, b) => Number(a.online) - Number(b.online) || a.name.localeCompare(b.name, 'zh-CN'),
  );
  const offline = cams.filter((c) => !c.online).length;
  const groups = groupCameraChanges(model.cameraChanges).slice(0, 5);
  return (
    <div className="side-list">
      <p className="side-summary">{t('cameras.summary', { total: cams.length, offline })}</p>
      {groups.length > 0 && (
        <ul className="camera-events" data-testid="camera-events">
          {groups.map((g) => (
            <li
              key={`${g.at}-${g.cameraIds[0]}`}
              className={g.online ? 'ok' : 'bad'}
              data-testid="camera-event"
            >
              <time>{formatDateTime(g.at, undefined, false)}</time>{' '}
              {g.cameraIds.length > 1
                ? t(g.online ? 'cameras.groupOnline' : 'cameras.groupOffline', { count: g.cameraIds.length })
                : t(g.online ? 'cameras.oneOnline' : 'cameras.oneOffline', {
                    name: model.cameras.get(g.cameraIds[0]!)?.name ?? g.cameraIds[0],
                  })}
            </li>
          ))}
        </ul>
      )}
      <table className="side-table">
        <thead>
          <tr>
            <th>{t('cameras.name')}</th>
            <th>{t('cameras.status')}</th>
            <th>{t('cameras.lastAlert')}</th>
          </tr>
        </thead>
        <tbody>
          {cams.map((c) => (
            <tr
              key={c.id}
              data-testid="camera-row"
              data-camera-id={c.id}
              data-online={String(c.online)}
              className={`${c.online ? '' : 'offline'}${props.picked === c.id ? ' picked' : ''}`}
              onClick={() => props.onPick(c.id)}
            >
              <td>{c.name}</td>
              <td>
                <span className={`dot ${c.online ? 'ok' : 'bad'}`} />
                {c.online ? t('cameras.online') : t('cameras.offline')}
                {c.statusChangedAt && <span className="muted"> · {age(c.statusChangedAt, now)}</span>}
              </td>
              <td className="muted">{age(model.lastAlertByCamera.get(c.id) ?? null, now)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Patrollers on duty in the post's area; those outside their grid when required are flagged. */
export function PatrollersPanel(props: {
  model: BoardModel;
  alerts: ComplianceAlert[];
  onPick: (personId: string) => void;
}) {
  const { model } = props;
  const { t } = useTranslation('board');
  useModel(model);
  useTick();
  const age = useAge();
  const now = model.now();
  const flagged = new Map(props.alerts.map((a) => [a.personId, a]));
  const people = [...model.patrollers.values()].sort(
    (a, b) => Number(flagged.has(b.id)) - Number(flagged.has(a.id)) || a.id.localeCompare(b.id),
  );
  return (
    <div className="side-list">
      <p className="side-summary">
        {t('patrollers.summary', {
          count: people.length,
          flagged: [...flagged.keys()].filter((k) => model.patrollers.has(k)).length,
        })}
      </p>
      <table className="side-table">
        <thead>
          <tr>
            <th>{t('patrollers.name')}</th>
            <th>{t('patrollers.lastCheckin')}</th>
            <th>{t('patrollers.battery')}</th>
            <th>{t('patrollers.patrol')}</th>
          </tr>
        </thead>
        <tbody>
          {people.map((p) => {
            const f = flagged.get(p.id);
            return (
              <tr
                key={p.id}
                data-testid="patroller-row"
                data-person-id={p.id}
                data-last-seen={p.lastSeenAt ?? ''}
                data-flagged={f ? 'true' : 'false'}
                className={f ? 'flagged' : ''}
                onClick={() => props.onPick(p.id)}
              >
                <td>
                  {p.name}
                  {f && (
                    <span className="flag" title={t('patrollers.outsideTitle', { min: f.minutesOutside })}>
                      {t('patrollers.outside', { min: f.minutesOutside })}
                    </span>
                  )}
                </td>
                <td>{age(p.lastSeenAt, now)}</td>
                <td className={typeof p.battery === 'number' && p.battery < 20 ? 'bad' : ''}>
                  {typeof p.battery === 'number' ? `${Math.round(p.battery)}%` : '—'}
                </td>
                <td className="muted">{p.patrolId ? t('patrollers.onPatrol') : t('patrollers.noPatrol')}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

/** Side tabs: cameras, patrollers, handover. */
export function SideTabs(props: { tabs: Array<{ id: string; label: string; body: React.ReactNode }> }) {
  const [tab, setTab] = useState(props.tabs[0]?.id);
  const cur = props.tabs.find((x) => x.id === tab) ?? props.tabs[0];
  return (
    <section className="side">
      <div className="side-tabs" role="tablist">
        {props.tabs.map((x) => (
          <button
            key={x.id}
            type="button"
            role="tab"
            data-testid={`side-tab-${x.id}`}
            aria-selected={x.id === cur?.id}
            className={x.id === cur?.id ? 'active' : ''}
            onClick={() => setTab(x.id)}
          >
            {x.label}
          </button>
        ))}
      </div>
      <div className="side-body">{cur?.body}</div>
    </section>
  );
}
