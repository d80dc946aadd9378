import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { fetchIncident, type IncidentEvent } from '../../board/board-api.ts';
import { formatDateTime } from '../../i18n/index.ts';

/**
 * Every transition of one incident (action, actor, time, note), read when it is mounted: the
 * details panel keys it by the incident's state and level, so a change on the stream reads it again.
 */
export function IncidentHistory(props: { incidentId: string }) {
  const { t, i18n } = useTranslation(['board', 'map']);
  const [events, setEvents] = useState<IncidentEvent[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    let alive = true;
    fetchIncident(props.incidentId).then(
      (d) => {
        if (!alive) return;
        setEvents(d.events);
        setError(null);
      },
      (err: Error) => alive && setError(err.message),
    );
    return () => {
      alive = false;
    };
  }, [props.incidentId]);
  return (
    <section className="details-history">
      <h4>{t('board:history.title')}</h4>
      {error && <p className="details-error">{error}</p>}
      {!events && !error && <p>…</p>}
      <ol data-testid="incident-history">
        {(events ?? []).map((e) => (
          <li key={e.id} data-action={e.action}>
            <time dateTime={e.at}>{formatDateTime(e.at, i18n.language)}</time>{' '}
            <strong>{t(`board:historyAction.${e.action}`, { defaultValue: e.action })}</strong>{' '}
            <span>{e.actor.startsWith('system') ? t('board:history.system') : e.actor}</span>
            {e.note ? <div className="details-note">{e.note}</div> : null}
          </li>
        ))}
      </ol>
    </section>
  );
}
