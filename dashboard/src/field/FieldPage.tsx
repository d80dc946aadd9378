import { useTranslation } from 'react-i18next';
import { LangToggle } from '../app/LangToggle.tsx';
import type { PageProps } from '../app/routes.tsx';

/** `/field`: the phone app (helper FIELD owns this folder; keep deck.gl/MapLibre out of it). */
export default function FieldPage(_props: PageProps) {
  const { t } = useTranslation(['field', 'common']);
  return (
    <div className="placeholder">
      <h1>{t('field:title')}</h1>
      <p>{t('common:placeholder')}</p>
      <LangToggle />
    </div>
  );
}
