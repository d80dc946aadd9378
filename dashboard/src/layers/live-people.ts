import type { Layer } from '@deck.gl/core';
import { PathLayer, ScatterplotLayer } from '@deck.gl/layers';
import { FRESHNESS_COLORS, freshnessOf } from '../stream/freshness.ts';
import type { LiveData, PersonLive } from '../stream/live-data.ts';

/** Up to this many people, everyone's trail is drawn. */
export const TRAILS_FOR_ALL = 2000;

/** Binary attribute wrapper deck.gl reads without accessors. */
interface BinaryData {
  length: number;
  attributes: {
    getPosition: { value: Float32Array; size: 2 };
    getFillColor: { value: Uint8Array; size: 4; normalized: true };
  };
}

/**
 * Live patrollers and river chiefs as one deck.gl ScatterplotLayer fed through preallocated typed
 * arrays: a flush writes only the rows that changed and swaps in a new `{length, attributes}`
 * wrapper (deck.gl re-uploads the buffers, no per-row accessor calls). Trails (PathLayer) are
 * rebuilt at a lower rate. Colours follow the freshness grade and are re-graded as time passes.
 */
export class LivePeopleModel {
  private capacity = 0;
  private positions = new Float32Array(0);
  private colors = new Uint8Array(0);
  /** Slot -> person id (for picking). */
  readonly ids: string[] = [];
  private readonly slotOf = new Map<string, number>();
  private data: BinaryData = this.wrap(0);
  private trails: PersonLive[] = [];
  private trailsAt = 0;
  private regradedAt = 0;
  version = 0;

  private wrap(length: number): BinaryData {
    return {
      length,
      attributes: {
        getPosition: { value: this.positions, size: 2 },
        getFillColor: { value: this.colors, size: 4, normalized: true },
      },
    };
  }

  private grow(min: number) {
    let cap = Math.max(1024, this.capacity);
    while (cap < min) cap *= 2;
    if (cap === this.capacity) return;
    const p = new Float32Array(cap * 2);
    p.set(this.positions);
    const c = new Uint8Array(cap * 4);
    c.set(this.colors);
    this.positions = p;
    this.colors = c;
    this.capacity = cap;
  }

  private writeColor(slot: number, p: PersonLive, now: number) {
    const c = FRESHNESS_COLORS[freshnessOf(now - p.atMs, p.online)];
    this.colors.set(c, slot * 4);
  }

  /** Copies what changed since the last flush; returns true when anything did. */
  update(
    live: LiveData,
    now = Date.now(),
    opts: { trails?: boolean; selectedId?: string | null } = {},
  ): boolean {
    let changed = false;
    for (const id of live.dirtyPeople) {
      const p = live.people.get(id);
      if (!p || !Number.isFinite(p.lon)) continue;
      let slot = this.slotOf.get(id);
      if (slot === undefined) {
        slot = this.ids.length;
        this.grow(slot + 1);
        this.ids.push(id);
        this.slotOf.set(id, slot);
      }
      this.positions[slot * 2] = p.lon;
      this.positions[slot * 2 + 1] = p.lat;
      this.writeColor(slot, p, now);
      changed = true;
    }
    // Grades move with time even without events: re-grade everyone every 5 s (cheap, O(n)).
    if (now - this.regradedAt > 5000) {
      this.regradedAt = now;
      for (let slot = 0; slot < this.ids.length; slot++) {
        const p = live.people.get(this.ids[slot]!);
        if (p) this.writeColor(slot, p, now);
      }
      changed = true;
    }
    if (opts.trails !== false && (changed || this.trails.length === 0) && now - this.trailsAt > 2000) {
      this.trailsAt = now;
      this.trails = [];
      for (const p of live.people.values())
        if (p.trail.length > 1 && now - p.atMs < 10 * 60_000) this.trails.push(p);
    }
    if (changed) {
      this.data = this.wrap(this.ids.length);
      this.version++;
    }
    return changed;
  }

  idAt(index: number): string | undefined {
    return this.ids[index];
  }

  layers(opts: { visible: boolean; selectedId: string | null }): Layer[] {
    return [
      new PathLayer<PersonLive>({
        id: 'live-trails',
        data: this.trails,
        visible: opts.visible,
        getPath: (p) => p.trail.map(([x, y]) => [x, y] as [number, number]),
        getColor: [37, 99, 235, 110],
        widthUnits: 'pixels',
        getWidth: 2,
        updateTriggers: { getPath: this.trailsAt },
      }),
      new ScatterplotLayer({
        id: 'live-people',
        data: this.data,
        visible: opts.visible,
        pickable: true,
        radiusUnits: 'pixels',
        getRadius: 5,
        stroked: true,
        getLineColor: [255, 255, 255, 255],
        lineWidthUnits: 'pixels',
        getLineWidth: 1.5,
      }),
    ];
  }
}
