import type { Layer } from '@deck.gl/core';
import type { MapLibreOverlay } from '@deck.gl/maplibre';
import type { Map as MapLibreMap, VectorTileSource } from 'maplibre-gl';
import { IncidentsModel } from '../../layers/incidents.ts';
import { LivePeopleModel } from '../../layers/live-people.ts';
import { type Selection, useAppStore } from '../../store/index.ts';
import { StreamClient } from '../../stream/client.ts';
import type { LiveData } from '../../stream/live-data.ts';
import { fetchPeople, fetchSnapshot } from '../../stream/snapshot.ts';

/** At most one refetch of a status layer's tiles per this many ms (a burst of changes is one refetch). */
export const TILE_REFRESH_MS = 2_000;

/** The part of a MapLibre map the controller uses (a fake in unit tests). */
export type TileMap = Pick<MapLibreMap, 'getSource'>;

/** Flush observers (the bench measures publish-to-map latency here). */
export type FlushObserver = (data: LiveData, appliedAt: number) => void;

/**
 * Glue between the stream client (outside React), the deck.gl layer models and the store: on each
 * flush the models copy what changed and the overlay gets new layer descriptors; the store only
 * hears "flushed, data as of T" (one cheap update per flush, not per event).
 */
export class LiveController {
  readonly people = new LivePeopleModel();
  readonly incidents = new IncidentsModel();
  readonly client: StreamClient;
  private overlay: MapLibreOverlay | undefined;
  private map: TileMap | undefined;
  private readonly staleTiles = new Set<string>();
  private tileTimer: ReturnType<typeof setTimeout> | undefined;
  private lastTileRefresh = Number.NEGATIVE_INFINITY;
  /** Tile refetches so far (tests read it). */
  tileRefreshes = 0;
  private pulseTimer: ReturnType<typeof setInterval> | undefined;
  private pulse = 0;
  /** Extra deck layers (replay) drawn with the live ones. */
  extraLayers: Layer[] = [];
  liveVisible = true;
  incidentsVisible = true;
  readonly observers = new Set<FlushObserver>();

  constructor() {
    this.client = new StreamClient({
      onState: (s) => useAppStore.getState().setLiveState(s),
      onFlush: (data) => this.flush(data),
      loadSnapshot: (signal) => fetchSnapshot(signal),
    });
  }

  start(): void {
    this.client.start();
    if (useAppStore.getState().principal?.roles.includes('admin')) {
      void fetchPeople().then((people) => {
        for (const p of people) this.client.data.knowPerson(p);
        this.flush(this.client.data);
      });
    }
    // The pulse: ~8 frames a second of a uniform change, only while incidents are open.
    this.pulseTimer = setInterval(() => {
      if (this.incidents.rows.length === 0) return;
      this.pulse = (Math.sin(performance.now() / 250) + 1) / 2;
      this.render();
    }, 125);
  }

  stop(): void {
    this.client.stop();
    clearInterval(this.pulseTimer);
    clearTimeout(this.tileTimer);
    this.overlay = undefined;
    this.map = undefined;
  }

  /** The map whose status layers (block and river-segment colours) follow the stream. */
  attachMap(map: TileMap): void {
    this.map = map;
  }

  /**
   * Block and river-segment colours come from their vector tiles: when the stream says a status
   * changed, the map fetches those sources again (a new tile URL, so no cached copy answers), at
   * most once per TILE_REFRESH_MS.
   */
  private refreshTiles(sources: Iterable<string>): void {
    for (const s of sources) this.staleTiles.add(s);
    if (this.staleTiles.size === 0 || this.tileTimer) return;
    const run = () => {
      this.tileTimer = undefined;
      this.lastTileRefresh = Date.now();
      const map = this.map;
      if (!map) return;
      for (const id of this.staleTiles) {
        const src = map.getSource(id) as VectorTileSource | undefined;
        src?.setTiles([`${location.origin}/api/tiles/${id}/{z}/{x}/{y}.mvt?v=${this.lastTileRefresh}`]);
      }
      this.staleTiles.clear();
      this.tileRefreshes++;
    };
    const wait = this.lastTileRefresh + TILE_REFRESH_MS - Date.now();
    this.tileTimer = setTimeout(run, Math.max(0, wait));
  }

  attach(overlay: MapLibreOverlay): void {
    this.overlay = overlay;
    this.render();
  }

  flush(data: LiveData): void {
    const now = Date.now();
    const sel = useAppStore.getState().selection;
    const a = this.people.update(data, now, { selectedId: sel?.kind === 'person' ? sel.id : null });
    const b = this.incidents.update(data);
    if (a || b) this.render();
    if (data.staleTiles.size) this.refreshTiles(data.staleTiles);
    for (const o of this.observers) o(data, now);
    useAppStore.getState().markFlushed(data.newestAt);
  }

  /** The live person or incident drawn at a screen point (deck.gl picking), if any. */
  pickAt(x: number, y: number): Selection | null {
    const info = this.overlay?.pickObject({ x, y, radius: 6, layerIds: ['live-people', 'incidents'] });
    if (!info) return null;
    if (info.layer?.id === 'live-people') {
      const id = this.people.idAt(info.index);
      return id ? { kind: 'person', id } : null;
    }
    const row = info.object as { id?: string } | undefined;
    return row?.id ? { kind: 'incident', id: row.id } : null;
  }

  render(): void {
    const selectedId =
      useAppStore.getState().selection?.kind === 'person' ? useAppStore.getState().selection!.id : null;
    this.overlay?.setProps({
      layers: [
        ...this.incidents.layers({ visible: this.incidentsVisible, pulse: this.pulse, now: Date.now() }),
        ...this.people.layers({ visible: this.liveVisible, selectedId }),
        ...this.extraLayers,
      ],
    });
  }
}
