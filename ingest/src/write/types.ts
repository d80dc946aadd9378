import type { ChangeKind } from '@wardmap/geo';
import type { Decoded, IngestItem, RejectStage } from '../items.ts';

/** One message as it travels through a batch: decoded (or refused) plus what a dead letter needs. */
export interface BatchEntry {
  decoded: Decoded;
  topic: string;
  payload: Uint8Array;
  /** Server time of receipt (from the injected clock). */
  receivedAt: Date;
}

/** A refused message on its way to dead_letters. */
export interface DeadLetter {
  topic: string;
  payload: Uint8Array;
  stage: RejectStage;
  reason: string;
  receivedAt: Date;
}

/** An accepted item with its receipt time. */
export type Accepted<T extends IngestItem = IngestItem> = { item: T; receivedAt: Date; entry: BatchEntry };

export type Box = [minLon: number, minLat: number, maxLon: number, maxLat: number];

/**
 * Something a writer changed, for the batch's change notices: `total` rows of `kind` (default: as
 * many as `ids`), of which `ids` are listed, spanning `box`. Writers return these; nothing is shared.
 */
export interface Change {
  kind: ChangeKind;
  ids: readonly string[];
  total?: number;
  box?: Box;
}

/** Rows of `kind` changed, all listed, located at `points` (when known). */
export function changed(
  kind: ChangeKind,
  ids: readonly string[],
  points?: ReadonlyArray<readonly [number, number]>,
): Change[] {
  if (ids.length === 0) return [];
  const box = boxOf(points);
  return [box ? { kind, ids, box } : { kind, ids }];
}

/** `total` rows of `kind` changed, of which `someIds` are listed, spanning `box`. */
export function changedSummary(
  kind: ChangeKind,
  someIds: readonly string[],
  total: number,
  box?: Box,
): Change[] {
  if (total === 0) return [];
  return [box ? { kind, ids: someIds, total, box } : { kind, ids: someIds, total }];
}

function boxOf(points?: ReadonlyArray<readonly [number, number]>): Box | undefined {
  if (!points?.length) return undefined;
  const b: Box = [Infinity, Infinity, -Infinity, -Infinity];
  for (const [x, y] of points) {
    if (x < b[0]) b[0] = x;
    if (y < b[1]) b[1] = y;
    if (x > b[2]) b[2] = x;
    if (y > b[3]) b[3] = y;
  }
  return b;
}

/** Everything one batch changed, merged by kind (in the order first seen), for its change notices. */
export class ChangeSet {
  readonly ids = new Map<ChangeKind, string[]>();
  /** Changes counted but not listed in `ids` (notices carry only the first few ids anyway). */
  readonly unlisted = new Map<ChangeKind, number>();
  readonly boxes = new Map<ChangeKind, Box>();

  constructor(changes: readonly Change[] = []) {
    for (const c of changes) {
      const list = this.ids.get(c.kind) ?? [];
      list.push(...c.ids);
      this.ids.set(c.kind, list);
      const total = c.total ?? c.ids.length;
      if (total > c.ids.length)
        this.unlisted.set(c.kind, (this.unlisted.get(c.kind) ?? 0) + total - c.ids.length);
      if (c.box) this.extend(c.kind, c.box);
    }
  }

  private extend(kind: ChangeKind, b: Box): void {
    const cur = this.boxes.get(kind);
    this.boxes.set(
      kind,
      cur
        ? [Math.min(cur[0], b[0]), Math.min(cur[1], b[1]), Math.max(cur[2], b[2]), Math.max(cur[3], b[3])]
        : b,
    );
  }
}
