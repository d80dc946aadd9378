import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { MapView } from '../map/MapView.tsx';
import type { BoardModel } from './board-model.ts';
import { useModel } from './hooks.ts';
import { slaState } from './queue.ts';

// The operations map module (map/MapView: offline style, cameras' fields of view, grids, river
// segments) beside the desk, zoomed to the post's area. The desk adds one small layer unit of its
// own: its queue's incidents coloured by SLA state, and the picked camera's field of view.

export type MapFocus = { kind: 'camera' | 'incident' | 'person'; id: string } | null;

const SRC_INCIDENTS = 'desk-incidents';
const SRC_FOCUS = 'desk-focus';
const SLA_COLOR = [
  'match',
  ['get', 'sla'],
  'overdue',
  '#d1372f',
  'near',
  '#d99a06',
  'none',
  '#6b7785',
  '#2e9d57',
];

/** A field-of-view wedge as a polygon ring ([lon, lat]), `radiusM` metres deep. */
export function fovPolygon(
  at: [number, number],
  heading: number,
  fov: number,
  radiusM = 90,
): Array<[number, number]> {
  const mPerDegLat = 111_320;
  const mPerDegLon = mPerDegLat * Math.cos((at[1] * Math.PI) / 180);
  const ring: Array<[number, number]> = [at];
  const steps = 12;
  for (let i = 0; i <= steps; i++) {
    const a = ((heading - fov / 2 + (fov * i) / steps) * Math.PI) / 180;
    ring.push([at[0] + (Math.sin(a) * radiusM) / mPerDegLon, at[1] + (Math.cos(a) * radiusM) / mPerDegLat]);
  }
  ring.push(at);
  return ring;
}

function addDeskLayers(map: MapLibreMap) {
  if (!map.getSource(SRC_INCIDENTS)) map.addSource(SRC_INCIDENTS, { type: 'geojson', data: empty() });
  if (!map.getSource(SRC_FOCUS)) map.addSource(SRC_FOCUS, { type: 'geojson', data: empty() });
  if (!map.getLayer('desk-focus-fill'))
    map.addLayer({
      id: 'desk-focus-fill',
      type: 'fill',
      source: SRC_FOCUS,
      paint: { 'fill-color': '#1f6feb', 'fill-opacity': 0.3 },
    });
  if (!map.getLayer('desk-focus-line'))
    map.addLayer({
      id: 'desk-focus-line',
      type: 'line',
      source: SRC_FOCUS,
      paint: { 'line-color': '#1f6feb', 'line-width': 2 },
    });
  if (!map.getLayer('desk-incidents-circle'))
    map.addLayer({
      id: 'desk-incidents-circle',
      type: 'circle',
      source: SRC_INCIDENTS,
      paint: {
        'circle-radius': ['case', ['get', 'selected'], 10, 6],
        // biome-ignore lint/suspicious/noExplicitAny: MapLibre's expression type is a deep tuple union
        'circle-color': SLA_COLOR as any,
        'circle-stroke-color': '#fff',
        'circle-stroke-width': 1.5,
      },
    });
}

const empty = (): GeoJSON.FeatureCollection => ({ type: 'FeatureCollection', features: [] });

export function BoardMap(props: { model: BoardModel; focus: MapFocus }) {
  const { model, focus } = props;
  const { t } = useTranslation('board');
  const version = useModel(model);
  const [map, setMap] = useState<MapLibreMap | null>(null);
  const [loaded, setLoaded] = useState(false);
  const framed = useRef(false);
  const [tick, setTick] = useState(0);

  const onReady = useCallback((r: { map: MapLibreMap }) => {
    setMap(r.map);
    const ready = () => {
      addDeskLayers(r.map);
      setLoaded(true);
    };
    if (r.map.isStyleLoaded()) ready();
    else r.map.once('load', ready);
  }, []);

  // Zoom to the post's area once its cameras and patrollers are known.
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-checked on every model flush (version)
  useEffect(() => {
    if (!map || !loaded || framed.current || !model.post) return;
    const pts: Array<[number, number]> = [];
    if (model.post.location) pts.push(model.post.location);
    for (const c of model.cameras.values()) pts.push(c.location);
    for (const p of model.patrollers.values()) if (p.location) pts.push(p.location);
    if (!pts.length) return;
    const xs = pts.map((p) => p[0]);
    const ys = pts.map((p) => p[1]);
    map.fitBounds(
      [
        [Math.min(...xs), Math.min(...ys)],
        [Math.max(...xs), Math.max(...ys)],
      ],
      { padding: 40, maxZoom: 16, duration: 0 },
    );
    framed.current = true;
  }, [map, loaded, model, version]);

  // Push the queue's incidents: at most twice a second (a burst of alerts flushes every frame, and
  // each setData re-tiles the whole source in the worker).
  const pushAt = useRef(0);
  const pushTimer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);
  // biome-ignore lint/correctness/useExhaustiveDependencies: re-run on every model flush (version)
  useEffect(() => {
    if (!map || !loaded) return;
    const wait = pushAt.current + 500 - Date.now();
    if (wait > 0) {
      if (!pushTimer.current)
        pushTimer.current = setTimeout(() => {
          pushTimer.current = undefined;
          pushAt.current = 0;
          setTick((x) => x + 1);
        }, wait);
      return;
    }
    pushAt.current = Date.now();
    const now = model.now();
    const features: GeoJSON.Feature[] = [];
    for (const it of model.items.values()) {
      if (it.kind !== 'incident' || !it.incident.location) continue;
      const i = it.incident;
      features.push({
        type: 'Feature',
        geometry: { type: 'Point', coordinates: i.location! },
        properties: {
          id: i.id,
          sla: slaState(i.dueAt, i.updatedAt, now),
          selected: i.id === model.selectedId,
        },
      });
    }
    (map.getSource(SRC_INCIDENTS) as GeoJSONSource | undefined)?.setData({
      type: 'FeatureCollection',
      features,
    });
  }, [map, loaded, model, version]);

  // Centre on what was picked; a camera also shows its field of view.
  const cam = focus?.kind === 'camera' ? model.cameras.get(focus.id) : undefined;
  useEffect(() => {
    if (!map || !loaded || !focus) return;
    let at: [number, number] | null | undefined = null;
    const src = map.getSource(SRC_FOCUS) as GeoJSONSource | undefined;
    if (focus.kind === 'camera') {
      const c = model.cameras.get(focus.id);
      at = c?.location;
      src?.setData(
        c
          ? {
              type: 'Feature',
              geometry: {
                type: 'Polygon',
                coordinates: [fovPolygon(c.location, c.heading ?? 0, c.fov ?? 90)],
              },
              properties: {},
            }
          : empty(),
      );
    } else {
      src?.setData(empty());
      if (focus.kind === 'person') at = model.patrollers.get(focus.id)?.location;
      else {
        const it = model.items.get(focus.id);
        at = it?.kind === 'incident' ? it.incident.location : null;
      }
    }
    if (at) map.easeTo({ center: at, zoom: Math.max(map.getZoom(), 16), duration: 400 });
  }, [map, loaded, focus, model]);

  return (
    <div className="board-map" data-focus={focus ? `${focus.kind}:${focus.id}` : ''}>
      <MapView onReady={onReady} />
      {cam && (
        <div className="map-caption" data-testid="camera-fov">
          {t('map.fov', {
            name: cam.name,
            fov: Math.round(cam.fov ?? 90),
            heading: Math.round(cam.heading ?? 0),
          })}
        </div>
      )}
    </div>
  );
}
