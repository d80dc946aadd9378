import 'maplibre-gl/dist/maplibre-gl.css';
import { MapLibreOverlay } from '@deck.gl/maplibre';
import { Map as MapLibreMap, type MapMouseEvent, setWorkerUrl } from 'maplibre-gl';
import workerUrl from 'maplibre-gl/dist/maplibre-gl-worker.mjs?url';
import { useEffect, useRef } from 'react';
import { getToken } from '../api/client.ts';
import { faceFilesFromDocument } from './font-faces.ts';
import { buildStyle, LAYER_GROUPS, type LayerGroup } from './style.ts';

setWorkerUrl(workerUrl);

/** The demo area (Dongqian Lake) when nothing else says where to look. */
export const HOME = { center: [121.64, 29.77] as [number, number], zoom: 12.6 };

export interface MapReady {
  map: MapLibreMap;
  overlay: MapLibreOverlay;
}

/**
 * One MapLibre map with the offline Wardmap style and a deck.gl overlay on top (`interleaved:
 * false`: on MapLibre 6 the interleaved mode corrupts labels drawn after a deck layer). Tile and
 * font requests to the API carry the bearer token when the tab has one.
 */
export function MapView(props: {
  onReady(r: MapReady): void;
  /** A click: the MapLibre features under it, topmost first (the page asks deck.gl first). */
  onMapClick?(e: MapMouseEvent, features: Array<{ layerId: string; props: Record<string, unknown> }>): void;
  hidden?: Partial<Record<LayerGroup, boolean>>;
}) {
  const container = useRef<HTMLDivElement>(null);
  const ready = useRef<MapReady | null>(null);
  const onClick = useRef(props.onMapClick);
  onClick.current = props.onMapClick;

  // biome-ignore lint/correctness/useExhaustiveDependencies: the map is created once per mount.
  useEffect(() => {
    const origin = location.origin;
    const map = new MapLibreMap({
      container: container.current!,
      style: buildStyle({ origin, faces: faceFilesFromDocument(), hidden: props.hidden ?? {} }),
      center: HOME.center,
      zoom: HOME.zoom,
      attributionControl: false,
      transformRequest: (url) => {
        const token = getToken();
        if (token && url.startsWith(`${origin}/api/`))
          return { url, headers: { authorization: `Bearer ${token}` } };
        return { url };
      },
    });
    const overlay = new MapLibreOverlay({ interleaved: false, layers: [] });
    map.addControl(overlay);
    const clickable = [
      'communities-fill',
      'grids-fill',
      'river-segments-line',
      'police-posts-circle',
      'cameras-circle',
      'checkins-point',
      'checkins-hex',
    ];
    map.on('click', (e) => {
      const hits = map.queryRenderedFeatures(e.point, { layers: clickable.filter((l) => map.getLayer(l)) });
      onClick.current?.(
        e,
        hits.map((h) => ({ layerId: h.layer.id, props: h.properties as Record<string, unknown> })),
      );
    });
    ready.current = { map, overlay };
    props.onReady(ready.current);
    return () => {
      ready.current = null;
      map.remove();
    };
  }, []);

  useEffect(() => {
    const r = ready.current;
    if (!r) return;
    const apply = () => {
      for (const [group, ids] of Object.entries(groupsOf())) {
        for (const id of ids) {
          if (r.map.getLayer(id))
            r.map.setLayoutProperty(
              id,
              'visibility',
              props.hidden?.[group as LayerGroup] ? 'none' : 'visible',
            );
        }
      }
    };
    if (r.map.isStyleLoaded()) apply();
    else r.map.once('load', apply);
  }, [props.hidden]);

  return <div ref={container} data-testid="map" className="map-canvas" />;
}

const groupsOf = () => LAYER_GROUPS as Record<string, readonly string[]>;
