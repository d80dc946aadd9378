import type { Map as MapLibreMap } from 'maplibre-gl';
import { lazy, Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { PageProps } from '../../app/routes.tsx';
import { Shell } from '../../app/Shell.tsx';
import { type MapReady, MapView } from '../../map/MapView.tsx';
import type { LayerGroup } from '../../map/style.ts';
import { type Selection, useAppStore } from '../../store/index.ts';
import { installBenchHooks } from './bench-hooks.ts';
import { DetailsPanel } from './DetailsPanel.tsx';
import { Legend } from './Legend.tsx';
import { LiveStatus } from './LiveStatus.tsx';
import { LiveController } from './live-controller.ts';
import { PeopleList } from './PeopleList.tsx';
import './map-page.css';

const ReplayPanel = lazy(() => import('./Replay.tsx'));

const KIND_OF_LAYER: Record<string, Selection['kind']> = {
  'communities-fill': 'community',
  'grids-fill': 'grid',
  'river-segments-line': 'segment',
  'police-posts-circle': 'post',
  'cameras-circle': 'camera',
};

/** `/`: the live operations map (指挥图). */
export default function MapPage(_props: PageProps) {
  const { t } = useTranslation('map');
  const controller = useMemo(() => new LiveController(), []);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [replaying, setReplaying] = useState(false);
  const hidden = useAppStore((s) => s.hiddenLayers);
  const select = useAppStore((s) => s.select);
  const followId = useAppStore((s) => s.followId);

  useEffect(() => {
    const bench = installBenchHooks(controller);
    if (!bench.synthetic) controller.start();
    return () => {
      bench.dispose();
      controller.stop();
    };
  }, [controller]);

  useEffect(() => {
    controller.liveVisible = !hidden.live && !replaying;
    controller.incidentsVisible = !hidden.incidents && !replaying;
    controller.render();
  }, [controller, hidden, replaying]);

  // Follow a live person: keep them centred as their position moves.
  useEffect(() => {
    if (!followId || replaying || !map) return;
    return useAppStore.subscribe((s, prev) => {
      if (s.liveVersion === prev.liveVersion) return;
      const p = controller.client.data.people.get(followId);
      if (p && Number.isFinite(p.lon)) map.easeTo({ center: [p.lon, p.lat], duration: 300 });
    });
  }, [followId, replaying, map, controller]);

  const onReady = useCallback(
    (r: MapReady) => {
      controller.attach(r.overlay);
      controller.attachMap(r.map);
      setMap(r.map);
      // For tests and the bench (reading the canvas right after a render, checking tiles loaded).
      window.__wardmapMap = r.map;
    },
    [controller],
  );

  const onMapClick = useCallback(
    (
      e: { point: { x: number; y: number } },
      features: Array<{ layerId: string; props: Record<string, unknown> }>,
    ) => {
      const deckHit = controller.pickAt(e.point.x, e.point.y);
      if (deckHit) {
        select(deckHit);
        return;
      }
      for (const f of features) {
        const kind = KIND_OF_LAYER[f.layerId];
        if (kind) {
          select({ kind, id: String(f.props.id ?? ''), props: f.props });
          return;
        }
      }
      select(null);
    },
    [controller, select],
  );

  return (
    <Shell current="map" header={<LiveStatus />}>
      <div className="map-page">
        <PeopleList data={controller.client.data} />
        <div className="map-stage">
          <MapView
            onReady={onReady}
            onMapClick={onMapClick}
            hidden={hidden as Partial<Record<LayerGroup, boolean>>}
          />
          <Legend />
          <DetailsPanel data={controller.client.data} />
          <div className="replay-dock">
            {replaying ? (
              <Suspense fallback={<span className="replay-open">{t('replay.loading')}</span>}>
                <ReplayPanel controller={controller} map={map} onClose={() => setReplaying(false)} />
              </Suspense>
            ) : (
              <button
                type="button"
                className="replay-open"
                data-testid="replay-toggle"
                onClick={() => setReplaying(true)}
              >
                {t('replay.open')}
              </button>
            )}
          </div>
          {replaying && <div className="replay-badge">{t('replay.badge')}</div>}
        </div>
      </div>
    </Shell>
  );
}
