import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { LiveData } from '../../stream/live-data.ts';
import { LiveController, TILE_REFRESH_MS, type TileMap } from './live-controller.ts';

// Block and river-segment colours come from vector tiles: a status event makes the map fetch those
// sources again, at most once per TILE_REFRESH_MS.

function fakeMap() {
  const calls: Array<{ source: string; url: string }> = [];
  const map = {
    getSource: (id: string) =>
      ['grids', 'river-segments'].includes(id)
        ? { setTiles: (urls: string[]) => calls.push({ source: id, url: urls[0] as string }) }
        : undefined,
  } as unknown as TileMap;
  return { map, calls };
}

const gridStatus = (gridId: string) => ({
  type: 'grid_status' as const,
  at: '2025-06-01T08:00:00Z',
  gridId,
  openIncidents: 1,
  patrollersInside: 0,
});
const segmentStatus = (segmentId: string) => ({
  type: 'segment_status' as const,
  at: '2025-06-01T08:00:00Z',
  segmentId,
  openIssues: 0,
});

describe('status layers follow the stream', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('marks the tile source of a status event stale, and nothing for other events', () => {
    const d = new LiveData();
    d.apply({ type: 'heartbeat', at: '2025-06-01T08:00:00Z' });
    expect([...d.staleTiles]).toEqual([]);
    d.apply(gridStatus('g-1'));
    d.apply(gridStatus('g-2'));
    d.apply(segmentStatus('s-1'));
    expect([...d.staleTiles].sort()).toEqual(['grids', 'river-segments']);
  });

  it('refetches each stale source once per burst, with a new tile URL, at most once per interval', () => {
    const c = new LiveController();
    const { map, calls } = fakeMap();
    c.attachMap(map);
    const d = new LiveData();
    d.apply(gridStatus('g-1'));
    c.flush(d);
    d.staleTiles.clear();
    vi.advanceTimersByTime(0);
    expect(calls.map((x) => x.source)).toEqual(['grids']);
    expect(calls[0]?.url).toMatch(/\/api\/tiles\/grids\/\{z\}\/\{x\}\/\{y\}\.mvt\?v=\d+$/);

    // Three more flushes within the interval: one refetch when it has passed, of both sources.
    for (const e of [gridStatus('g-2'), segmentStatus('s-1'), gridStatus('g-3')]) {
      d.apply(e);
      c.flush(d);
      d.staleTiles.clear();
      vi.advanceTimersByTime(100);
    }
    expect(calls).toHaveLength(1);
    vi.advanceTimersByTime(TILE_REFRESH_MS);
    expect(
      calls
        .slice(1)
        .map((x) => x.source)
        .sort(),
    ).toEqual(['grids', 'river-segments']);
    expect(calls[1]?.url).not.toBe(calls[0]?.url);
    expect(c.tileRefreshes).toBe(2);

    // Flushes without status events fetch nothing.
    c.flush(d);
    vi.advanceTimersByTime(10 * TILE_REFRESH_MS);
    expect(calls).toHaveLength(3);
    c.stop();
  });
});
