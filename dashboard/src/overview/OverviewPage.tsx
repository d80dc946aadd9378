import { useTranslation } from 'react-i18next';
import type { PageProps } from '../app/routes.tsx';
import { Shell } from '../app/Shell.tsx';

/** `/overview`: the four-in-one overview (helper DESK owns this folder). */
export default function OverviewPage(_props: PageProps) {
  const { t } = useTranslation(['overview', 'common']);
  return (
    <Shell current="overview">
      <div className="placeholder">
        <h1>{t('overview:title')}</h1>
        <p>{t('common:placeholder')}</p>
      </div>
    </Shell>
  );
}
