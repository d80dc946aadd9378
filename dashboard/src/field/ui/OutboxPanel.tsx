import { useEffect, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import type { Outbox, OutboxSnapshot } from '../outbox/index.ts';

/** Whether the browser thinks it is online; follows the online/offline events. */
export function useOnline(): boolean {
  const [online, setOnline] = useState(typeof navigator === 'undefined' ? true : navigator.onLine);
  useEffect(() => {
    const up = () => setOnline(true);
    const down = () => setOnline(false);
    window.addEventListener('online', up);
    window.addEventListener('offline', down);
    return () => {
      window.removeEventListener('online', up);
      window.removeEventListener('offline', down);
    };
  }, []);
  return online;
}

/** The badge in the header: how many actions are not yet uploaded; opens the list. */
export function OutboxBadge(props: { snap: OutboxSnapshot; onOpen: () => void }) {
  const { t } = useTranslation('field');
  const { snap } = props;
  const cls = snap.count === 0 ? 'ok' : snap.warning || snap.unauthorized ? 'bad' : 'pending';
  return (
    <button
      type="button"
      className={`fa-outbox-badge ${cls}`}
      onClick={props.onOpen}
      title={t('outbox.title')}
    >
      <span className="fa-outbox-label">{t('outbox.pending')}</span>
      <span data-testid="outbox-count" className="fa-outbox-count">
        {snap.count}
      </span>
    </button>
  );
}

/** Banners for what the person must know: offline, signed out, near a bound, items dropped. */
export function OutboxBanners(props: { snap: OutboxSnapshot; outbox: Outbox | null; online: boolean }) {
  const { t } = useTranslation('field');
  const { snap, outbox } = props;
  return (
    <>
      {!props.online && <div className="fa-banner info">{t('outbox.offline', { count: snap.count })}</div>}
      {snap.unauthorized && <div className="fa-banner bad">{t('outbox.unauthorized')}</div>}
      {snap.warning && (
        <div className="fa-banner bad" data-testid="outbox-warning">
          {snap.warning.reason === 'count'
            ? t('outbox.warnCount', { count: snap.warning.count, max: snap.warning.maxItems })
            : t('outbox.warnAge', { days: Math.round(snap.warning.maxAgeMs / 86_400_000) })}
        </div>
      )}
      {snap.dropped > 0 && (
        <div className="fa-banner bad">
          {t('outbox.dropped', { count: snap.dropped })}{' '}
          <button type="button" onClick={() => void outbox?.acknowledgeDropped()}>
            {t('ok')}
          </button>
        </div>
      )}
    </>
  );
}

/** Every pending item, oldest first, with its state; refused ones can be retried or given up. */
export function OutboxList(props: { snap: OutboxSnapshot; outbox: Outbox | null; onClose: () => void }) {
  const { t } = useTranslation('field');
  const { snap, outbox } = props;
  return (
    <section className="fa-card">
      <div className="fa-row-head">
        <h2>{t('outbox.title')}</h2>
        <button type="button" className="fa-link" onClick={props.onClose}>
          {t('back')}
        </button>
      </div>
      <p className="fa-muted">{t('outbox.explain')}</p>
      {snap.items.length === 0 && <p className="fa-muted">{t('outbox.empty')}</p>}
      <ol className="fa-outbox-list">
        {snap.items.map((i) => (
          <li
            key={i.seq}
            data-testid="outbox-item"
            data-kind={i.kind}
            data-state={i.state}
            className={i.state}
          >
            <div>
              <strong>{t(i.label.key, i.label.values ?? {})}</strong>{' '}
              <span className="fa-muted">{formatDateTime(i.capturedAt)}</span>
            </div>
            <div className="fa-muted fa-small">
              {i.state === 'failed'
                ? t('outbox.refused', { reason: i.lastError ?? '' })
                : i.attempts > 0
                  ? t('outbox.retrying', { attempts: i.attempts, reason: i.lastError ?? '' })
                  : t('outbox.waiting')}
            </div>
            {i.state === 'failed' && (
              <div className="fa-actions">
                <button type="button" onClick={() => void outbox?.retry(i.seq)}>
                  {t('outbox.retry')}
                </button>
                <button type="button" onClick={() => void outbox?.discard(i.seq)}>
                  {t('outbox.discard')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ol>
    </section>
  );
}
