import type { StreamEvent } from '@wardmap/geo';
import type { LiveData, Snapshot } from './live-data.ts';

/**
 * Orders one connection's inputs: after (re)connecting, events that arrive before the snapshot is
 * applied are held, then applied after it in id order. Since every row merges by event time, an
 * event older than the snapshot's row changes nothing, and one newer than it wins, so nothing is
 * lost across the gap between "snapshot taken" and "stream resumed". Tracks the last event id for
 * `Last-Event-ID`.
 */
export class SyncSession {
  private held: Array<{ id: number | null; event: StreamEvent }> = [];
  private snapshotApplied = false;
  /** The newest event id received (for resuming). */
  lastEventId: number | null = null;

  constructor(private readonly data: LiveData) {}

  /** A new connection (or a `resync`): hold events until the next snapshot. */
  begin(): void {
    this.snapshotApplied = false;
    this.held = [];
  }

  get waitingForSnapshot(): boolean {
    return !this.snapshotApplied;
  }

  /** An event from the stream (`id` from the SSE id field). */
  onEvent(id: number | null, event: StreamEvent): void {
    if (id !== null) {
      if (this.lastEventId !== null && id <= this.lastEventId) return; // a replayed duplicate
      this.lastEventId = id;
    }
    if (!this.snapshotApplied) this.held.push({ id, event });
    else this.data.apply(event);
  }

  /** The snapshot for this connection: applied, then everything held meanwhile. */
  onSnapshot(s: Snapshot): void {
    this.data.applySnapshot(s);
    this.snapshotApplied = true;
    const held = this.held;
    this.held = [];
    held.sort((a, b) => (a.id ?? 0) - (b.id ?? 0));
    for (const h of held) this.data.apply(h.event);
  }
}
