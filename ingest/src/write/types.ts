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
  readonly boxes = new Map<ChangeKind, [number, number, number, number]>();

  add(kind: ChangeKind, ids: readonly string[], points?: ReadonlyArray<readonly [number, number]>): void {
    if (ids.length === 0) return;
    const list = this.ids.get(kind) ?? [];
    list.push(...ids);
    this.ids.set(kind, list);
    if (points?.length) {
      let box = this.boxes.get(kind) ?? [Infinity, Infinity, -Infinity, -Infinity];
      for (const [x, y] of points) {
        box = [Math.min(box[0], x), Math.min(box[1], y), Math.max(box[2], x), Math.max(box[3], y)];
      }
      this.boxes.set(kind, box);
    }
  }
}
