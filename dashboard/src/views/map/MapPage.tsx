import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../app/routes.tsx';
import { Shell } from '../../app/Shell.tsx';

/** `/`: the live operations map (指挥图). */
export default function MapPage(_props: PageProps) {
  const { t } = useTranslation('map');
  return (
    <Shell current="map">
      <div data-testid="map" className="map-container">
        {t('title')}
      </div>
    </Shell>
  );
}
