import { type Db, listenForChanges } from '@wardmap/db';
import { type ChangeNotice, ChangeNoticeSchema } from '@wardmap/geo';
import { LAYERS, type LayerDef } from '../layers/index.ts';
import { bboxesOverlap, growBBox, tileBBox } from './tile-math.ts';
import type { TileCoordinates } from './tile-sql.ts';

/** The channel ingest and the api NOTIFY after each commit (owned by the change feed in `@wardmap/db`). */
export { CHANGES_CHANNEL } from '@wardmap/db';

interface Entry {
  layer: string;
  tile: TileCoordinates;
  body: Uint8Array | null;
  bytes: number;
  expiresAt: number;
}

export interface TileCacheStats {
  hits: number;
  misses: number;
  entries: number;
  bytes: number;
  invalidated: number;
}

/** In-process cache of rendered tiles keyed by layer/z/x/y (+ time window), dropped by change notices. */
export interface TileCache {
  /** A cached tile (null = cached empty tile) or undefined on a miss. */
  get(key: string): Uint8Array | null | undefined;
  set(key: string, layer: LayerDef, tile: TileCoordinates, body: Uint8Array | null): void;
  /** Drops the tiles a change notice makes stale; returns how many. */
  invalidate(notice: ChangeNotice): number;
  /** Same for a raw NOTIFY payload; an unreadable payload drops everything (stale is worse than slow). */
  invalidatePayload(payload: string): number;
  clear(): void;
  stats(): TileCacheStats;
}

export interface TileCacheOptions {
  maxBytes?: number;
  maxEntries?: number;
  /** Real-time source for entry lifetimes (tests may pass their own). */
  nowMs?: () => number;
  layers?: ReadonlyMap<string, LayerDef>;
}

/** The cache key of a tile request: layer, tile, time window and area scope ('all' = everything). */
export const tileKey = (layer: string, t: TileCoordinates, window: string, scope = 'all') =>
  `${layer}/${t.z}/${t.x}/${t.y}?${window}#${scope}`;

/**
 * Creates the tile cache. LRU by insertion order of a Map (a hit re-inserts), bounded by entries
 * and bytes. Entries of layers whose properties depend on "now" (ages, due/overdue) also expire
 * after the layer's `ttlMs`, because time passing sends no change notice.
 */
export function createTileCache(opts: TileCacheOptions = {}): TileCache {
  const maxBytes = opts.maxBytes ?? 64 * 1024 * 1024;
  const maxEntries = opts.maxEntries ?? 20_000;
  const nowMs = opts.nowMs ?? Date.now;
  const layers = opts.layers ?? LAYERS;
  const entries = new Map<string, Entry>();
  const counters = { hits: 0, misses: 0, bytes: 0, invalidated: 0 };

  const drop = (key: string, e: Entry) => {
    entries.delete(key);
    counters.bytes -= e.bytes;
  };

  const cache: TileCache = {
    get(key) {
      const e = entries.get(key);
      if (!e || e.expiresAt <= nowMs()) {
        if (e) drop(key, e);
        counters.misses++;
        return undefined;
      }
      entries.delete(key);
      entries.set(key, e);
      counters.hits++;
      return e.body;
    },
    set(key, layer, tile, body) {
      const old = entries.get(key);
      if (old) drop(key, old);
      const bytes = (body?.byteLength ?? 0) + key.length + 64;
      entries.set(key, { layer: layer.name, tile, body, bytes, expiresAt: nowMs() + layer.ttlMs });
      counters.bytes += bytes;
      for (const [k, e] of entries) {
        if (entries.size <= maxEntries && counters.bytes <= maxBytes) break;
        drop(k, e);
      }
    },
    invalidate(notice) {
      let n = 0;
      const affected = new Set([...layers.values()].filter((l) => l.changes.includes(notice.kind)));
      if (affected.size === 0) return 0;
      const byName = new Map([...affected].map((l) => [l.name, l]));
      for (const [key, e] of entries) {
        const layer = byName.get(e.layer);
        if (!layer) continue;
        // Point layers only change where the rows are; 10% margin covers hex bins and symbols
        // drawn across the tile edge.
        if (layer.pointLike && notice.bbox && !bboxesOverlap(growBBox(tileBBox(e.tile), 0.1), notice.bbox))
          continue;
        drop(key, e);
        n++;
      }
      counters.invalidated += n;
      return n;
    },
    invalidatePayload(payload) {
      let data: unknown;
      try {
        data = JSON.parse(payload);
      } catch {
        data = undefined;
      }
      const parsed = ChangeNoticeSchema.safeParse(data);
      if (parsed.success) return cache.invalidate(parsed.data);
      const n = entries.size;
      cache.clear();
      counters.invalidated += n;
      return n;
    },
    clear() {
      entries.clear();
      counters.bytes = 0;
    },
    stats: () => ({ ...counters, entries: entries.size }),
  };
  return cache;
}

/** Connects a cache to the change-notice channel; resolves to the unsubscribe function. */
export function listenForTileChanges(db: Db, cache: TileCache): Promise<() => Promise<void>> {
  return listenForChanges(db, (payload) => cache.invalidatePayload(payload));
}

/** Prometheus text for the cache (to append to /metrics through `extraMetrics`). */
export function tileCacheMetrics(cache: TileCache): string {
  const s = cache.stats();
  return [
    '# HELP wardmap_tile_cache_hits_total Tile requests answered from the cache.',
    '# TYPE wardmap_tile_cache_hits_total counter',
    `wardmap_tile_cache_hits_total ${s.hits}`,
    '# HELP wardmap_tile_cache_misses_total Tile requests rendered by the database.',
    '# TYPE wardmap_tile_cache_misses_total counter',
    `wardmap_tile_cache_misses_total ${s.misses}`,
    '# HELP wardmap_tile_cache_invalidated_total Cached tiles dropped by change notices.',
    '# TYPE wardmap_tile_cache_invalidated_total counter',
    `wardmap_tile_cache_invalidated_total ${s.invalidated}`,
    '# HELP wardmap_tile_cache_bytes Bytes held by the tile cache.',
    '# TYPE wardmap_tile_cache_bytes gauge',
    `wardmap_tile_cache_bytes ${s.bytes}`,
    '',
  ].join('\n');
}
