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

/** Changes one batch made, for notices and metrics. */
export class ChangeSet {
  readonly ids = new Map<ChangeKind, string[]>();
  /** Changes counted but not listed in `ids` (notices carry only the first few ids anyway). */
  readonly unlisted = new Map<ChangeKind, number>();
  readonly boxes = new Map<ChangeKind, [number, number, number, number]>();

  add(kind: ChangeKind, ids: readonly string[], points?: ReadonlyArray<readonly [number, number]>): void {
    if (ids.length === 0) return;
    const list = this.ids.get(kind) ?? [];
    list.push(...ids);
    this.ids.set(kind, list);
    if (points?.length) {
      const b: [number, number, number, number] = [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of points) {
        if (x < b[0]) b[0] = x;
        if (y < b[1]) b[1] = y;
        if (x > b[2]) b[2] = x;
        if (y > b[3]) b[3] = y;
      }
      this.extend(kind, b);
    }
  }

  /** `total` changes of `kind`, of which `someIds` are listed, spanning `box`. */
  addSummary(
    kind: ChangeKind,
    someIds: readonly string[],
    total: number,
    box?: [number, number, number, number],
  ): void {
    if (total === 0) return;
    const list = this.ids.get(kind) ?? [];
    list.push(...someIds);
    this.ids.set(kind, list);
    if (total > someIds.length)
      this.unlisted.set(kind, (this.unlisted.get(kind) ?? 0) + total - someIds.length);
    if (box) this.extend(kind, box);
  }

  private extend(kind: ChangeKind, b: [number, number, number, number]): void {
    const cur = this.boxes.get(kind);
    this.boxes.set(
      kind,
      cur
        ? [Math.min(cur[0], b[0]), Math.min(cur[1], b[1]), Math.max(cur[2], b[2]), Math.max(cur[3], b[3])]
        : b,
    );
  }
}
