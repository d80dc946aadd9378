import type { GeoJSONSource, Map as MapLibreMap } from 'maplibre-gl';
import type { LiveController } from './live-controller.ts';

// Hooks for `npm run bench:dashboard`, active only with `?bench=` in the URL:
//   ?bench=latency                      the real stream; records publish-to-map latency per flush
//   ?bench=wardmap&synthetic=N           N synthetic patrollers moving once a second, Wardmap's layer
//   ?bench=naive&synthetic=N             the same load drawn the naive way: a MapLibre GeoJSON
//                                        source whose whole collection is setData() per update batch
// Results are read from `window.__wardmapBench`.

export interface BenchResults {
  mode: string;
  latencies: number[];
  frames: number[];
  longTasks: number[];
  updates: number;
  startedAt: number;
}

declare global {
  interface Window {
    __wardmapBench?: BenchResults;
    __wardmapMap?: MapLibreMap;
  }
}

const TICK_MS = 100;

export function installBenchHooks(controller: LiveController): { synthetic: boolean; dispose(): void } {
  const q = new URLSearchParams(location.search);
  const mode = q.get('bench');
  if (!mode) return { synthetic: false, dispose() {} };
  const n = Number(q.get('synthetic') ?? 0);
  const results: BenchResults = {
    mode,
    latencies: [],
    frames: [],
    longTasks: [],
    updates: 0,
    startedAt: performance.now(),
  };
  window.__wardmapBench = results;
  const disposers: Array<() => void> = [];

  // Frame intervals and long tasks, the same way for every mode.
  let last = performance.now();
  let raf = requestAnimationFrame(function frame(now) {
    results.frames.push(now - last);
    last = now;
    raf = requestAnimationFrame(frame);
  });
  disposers.push(() => cancelAnimationFrame(raf));
  try {
    const obs = new PerformanceObserver((list) => {
      for (const e of list.getEntries()) results.longTasks.push(e.duration);
    });
    obs.observe({ type: 'longtask', buffered: false });
    disposers.push(() => obs.disconnect());
  } catch {
    // No long-task API: the bench reports none.
  }

  if (mode === 'latency') {
    const observer = (data: Parameters<Parameters<typeof controller.observers.add>[0]>[0], at: number) => {
      for (const id of data.dirtyPeople) {
        const p = data.people.get(id);
        if (p && Number.isFinite(p.atMs)) results.latencies.push(at - p.atMs);
      }
    };
    controller.observers.add(observer);
    disposers.push(() => controller.observers.delete(observer));
    return {
      synthetic: false,
      dispose: () => {
        for (const d of disposers) d();
      },
    };
  }

  // Synthetic patrollers around the lake, each moving once a second (a tenth of them per tick).
  const lon = new Float64Array(n);
  const lat = new Float64Array(n);
  const heading = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const a = (i / n) * Math.PI * 2 * 7;
    const r = 0.01 + (((i * 7919) % 1000) / 1000) * 0.05;
    lon[i] = 121.64 + Math.cos(a) * r;
    lat[i] = 29.77 + Math.sin(a) * r * 0.8;
    heading[i] = a;
  }
  const features = Array.from({ length: n }, (_, i) => ({
    type: 'Feature' as const,
    id: i,
    properties: { id: `syn-${i}` },
    geometry: { type: 'Point' as const, coordinates: [lon[i]!, lat[i]!] },
  }));
  let cursor = 0;
  const step = (i: number) => {
    heading[i] = heading[i]! + 0.2;
    lon[i] = lon[i]! + Math.cos(heading[i]!) * 0.00005;
    lat[i] = lat[i]! + Math.sin(heading[i]!) * 0.00005;
  };
  const data = controller.client.data;
  let naiveReady = false;
  const map = () => window.__wardmapMap;
  const timer = setInterval(() => {
    const batch = Math.ceil(n / (1000 / TICK_MS));
    const now = Date.now();
    const iso = new Date(now).toISOString();
    for (let k = 0; k < batch; k++) {
      const i = cursor;
      cursor = (cursor + 1) % n;
      step(i);
      if (mode === 'naive') {
        features[i]!.geometry.coordinates = [lon[i]!, lat[i]!];
      } else {
        data.applyPosition({
          type: 'position',
          personId: `syn-${i}`,
          location: [lon[i]!, lat[i]!],
          at: iso,
          online: true,
          battery: 80,
          accuracy: 5,
          gridId: null,
        });
      }
    }
    results.updates += batch;
    if (mode === 'naive') {
      const m = map();
      if (m?.isStyleLoaded()) {
        if (!naiveReady) {
          m.addSource('naive', { type: 'geojson', data: { type: 'FeatureCollection', features } });
          m.addLayer({
            id: 'naive-people',
            type: 'circle',
            source: 'naive',
            paint: {
              'circle-radius': 5,
              'circle-color': '#16a34a',
              'circle-stroke-color': '#fff',
              'circle-stroke-width': 1.5,
            },
          });
          naiveReady = true;
        } else {
          (m.getSource('naive') as GeoJSONSource).setData({ type: 'FeatureCollection', features });
        }
      }
    } else {
      controller.client.requestFlush();
    }
  }, TICK_MS);
  disposers.push(() => clearInterval(timer));
  return {
    synthetic: true,
    dispose: () => {
      for (const d of disposers) d();
    },
  };
}
