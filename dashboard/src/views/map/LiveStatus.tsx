import { useTranslation } from 'react-i18next';
import { formatDateTime } from '../../i18n/index.ts';
import { useAppStore } from '../../store/index.ts';

/** `live-status` (data-state live | connecting | offline) and the time the data is current to. */
export function LiveStatus() {
  const { t, i18n } = useTranslation('map');
  const state = useAppStore((s) => s.liveState);
  const asOf = useAppStore((s) => s.dataAsOf);
  return (
    <span className="live-status-wrap">
      <span data-testid="live-status" data-state={state} className={`live-status live-status-${state}`}>
        <span className="live-dot" aria-hidden="true" />
        {t(`live.${state}`)}
      </span>
      <span className="data-as-of" data-testid="data-as-of">
        {asOf ? t('live.asOf', { time: formatDateTime(asOf, i18n.language) }) : t('live.noData')}
      </span>
    </span>
  );
}
