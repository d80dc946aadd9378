import type { BoardCamera, BoardPatroller, BoardSnapshot, HandoverNote } from './board-api.ts';
import {
  type BoardAlert,
  type BoardIncident,
  type CameraStatusChange,
  compareItems,
  isOpenIncident,
  type QueueItem,
  type SeverityTab,
  severityOf,
  tabCounts,
} from './queue.ts';

// The desk's state outside React (traccar/Frigate habit): events land in plain maps, and one
// notification per animation frame tells the subscribed components to re-read. The queue's order
// only changes when the officer takes in the new items (the "N new" pill) — an arriving alert never
// moves the row under the cursor. Rows change in place; finished work leaves the list.

export interface ClockSync {
  /** Server clock time of the last sync, ms. */
  serverMs: number;
  /** Local time of the last sync, ms. */
  localMs: number;
  speed: number;
}

type Listener = () => void;

export interface ArrivalInfo {
  id: string;
  severity: 'low' | 'medium' | 'high';
}

export class BoardModel {
  post: BoardSnapshot['post'] | null = null;
  readonly items = new Map<string, QueueItem>();
  /** Ids in list order (what the officer sees). */
  shown: string[] = [];
  /** Ids that arrived since the officer last took in new items. */
  readonly pending = new Set<string>();
  readonly cameras = new Map<string, BoardCamera>();
  readonly lastAlertByCamera = new Map<string, string>();
  readonly cameraChanges: CameraStatusChange[] = [];
  readonly patrollers = new Map<string, BoardPatroller>();
  handover: HandoverNote[] = [];
  tab: SeverityTab = 'all';
  cursor = 0;
  selectedId: string | null = null;
  /** Wall screen: nobody clicks the pill, so arrivals are taken in at once. */
  autoApply = false;
  clock: ClockSync = { serverMs: Date.now(), localMs: Date.now(), speed: 1 };
  version = 0;
  loaded = false;
  /** Called for each new high-severity arrival (sound and flash). */
  onArrival: ((a: ArrivalInfo) => void) | null = null;
  /** Local time each item first became visible (row or pill), for the bench. */
  readonly seenAt = new Map<string, number>();
  /** Local time each item first arrived from the stream, for the bench's breakdown. */
  readonly receivedAt = new Map<string, number>();

  private listeners = new Set<Listener>();
  private scheduled = false;
  private filtered: string[] | null = null;

  subscribe = (l: Listener) => {
    this.listeners.add(l);
    return () => {
      this.listeners.delete(l);
    };
  };
  getVersion = () => this.version;

  /** Clock time now, following the server's (possibly compressed) demo clock. */
  now(): number {
    const c = this.clock;
    return c.serverMs + (Date.now() - c.localMs) * c.speed;
  }

  /** Coalesces changes into one notification per frame. */
  changed(): void {
    this.filtered = null;
    if (this.scheduled) return;
    this.scheduled = true;
    const flush = () => {
      this.scheduled = false;
      if (this.autoApply && this.pending.size) this.applyPending(false);
      this.version++;
      for (const l of this.listeners) l();
      // After React has committed this flush (its sync render runs in a microtask): the time an
      // item first reached the screen, as a row or in the pill's count.
      setTimeout(() => {
        const t = performance.timeOrigin + performance.now();
        for (const id of this.pending) if (!this.seenAt.has(id)) this.seenAt.set(id, t);
        for (const id of this.shown) if (!this.seenAt.has(id)) this.seenAt.set(id, t);
      }, 0);
    };
    if (typeof requestAnimationFrame === 'function' && document.visibilityState !== 'hidden')
      requestAnimationFrame(flush);
    else setTimeout(flush, 16);
  }

  /** Replaces everything with a fresh snapshot (first load, resync, reconnect). */
  loadSnapshot(s: BoardSnapshot): void {
    this.post = s.post;
    this.clock = { serverMs: Date.parse(s.at), localMs: Date.now(), speed: s.clockSpeed ?? 1 };
    const before = new Set(this.items.keys());
    this.items.clear();
    for (const i of s.incidents) this.items.set(i.id, { kind: 'incident', id: i.id, incident: i });
    for (const a of s.alerts) {
      const t = this.lastAlertByCamera.get(a.cameraId);
      if (!t || a.at > t) this.lastAlertByCamera.set(a.cameraId, a.at);
      if (a.incidentId || a.state === 'end') continue;
      this.items.set(`alert:${a.id}`, { kind: 'alert', id: `alert:${a.id}`, alert: a });
    }
    this.cameras.clear();
    for (const c of s.cameras) this.cameras.set(c.id, c);
    this.patrollers.clear();
    for (const p of s.patrollersOnDuty) this.patrollers.set(p.id, p);
    this.handover = s.handover;
    if (!this.loaded) {
      this.shown = this.sorted([...this.items.keys()]);
      this.loaded = true;
    } else {
      // Known rows keep their place; what is new since the last snapshot waits behind the pill.
      this.shown = this.shown.filter((id) => this.items.has(id));
      const shownSet = new Set(this.shown);
      for (const id of this.items.keys()) if (!shownSet.has(id) && !before.has(id)) this.pending.add(id);
      for (const id of this.items.keys()) if (!shownSet.has(id) && before.has(id)) this.shown.push(id);
    }
    for (const id of [...this.pending]) if (!this.items.has(id)) this.pending.delete(id);
    this.clampCursor();
    this.changed();
  }

  private sorted(ids: string[]): string[] {
    const items = this.items;
    return ids.sort((a, b) => compareItems(items.get(a)!, items.get(b)!));
  }

  /** Takes in the waiting arrivals: the whole list re-sorts once, on the officer's click. */
  applyPending(notify = true): void {
    const focused = this.visibleIds()[this.cursor];
    this.shown = this.sorted(
      [...new Set([...this.shown, ...this.pending])].filter((id) => this.items.has(id)),
    );
    this.pending.clear();
    this.filtered = null;
    if (focused) this.cursor = Math.max(0, this.visibleIds().indexOf(focused));
    if (notify) this.changed();
  }

  /** Applies an incident from the stream or an API answer (older versions are ignored). */
  upsertIncident(i: BoardIncident, opts: { fromStream?: boolean } = {}): void {
    const cur = this.items.get(i.id);
    if (cur?.kind === 'incident' && Date.parse(cur.incident.updatedAt) > Date.parse(i.updatedAt)) return;
    if (this.post && !this.inArea(i)) return;
    // An alert that now has its incident is shown as the incident.
    if (i.source.kind === 'camera_alert' && i.source.id) this.removeItem(`alert:${i.source.id}`);
    if (!isOpenIncident(i)) {
      if (cur) {
        // A finished incident stays visible while it is open in the panel.
        if (this.selectedId === i.id) this.items.set(i.id, { kind: 'incident', id: i.id, incident: i });
        else this.removeItem(i.id);
      }
      this.changed();
      return;
    }
    this.items.set(i.id, {
      kind: 'incident',
      id: i.id,
      incident: {
        ...i,
        handoverNoteIds: cur?.kind === 'incident' ? (cur.incident.handoverNoteIds ?? []) : [],
      },
    });
    if (!cur) {
      if (opts.fromStream) this.receivedAt.set(i.id, performance.timeOrigin + performance.now());
      this.pending.add(i.id);
      if (opts.fromStream) this.onArrival?.({ id: i.id, severity: i.severity });
    }
    this.changed();
  }

  /** An optimistic change while a request is in flight; `null` removes the marker. */
  setOptimistic(id: string, patch: Partial<BoardIncident>, pending: string | undefined): void {
    const cur = this.items.get(id);
    if (cur?.kind !== 'incident') return;
    this.items.set(id, { ...cur, incident: { ...cur.incident, ...patch }, pending });
    this.changed();
  }

  private inArea(i: BoardIncident): boolean {
    const p = this.post!;
    return i.policePostId === p.id || (!!p.communityId && i.communityId === p.communityId);
  }

  upsertAlert(a: BoardAlert & { policePostId?: string | null; communityId?: string | null }): void {
    const prev = this.lastAlertByCamera.get(a.cameraId);
    if (!prev || a.at > prev) this.lastAlertByCamera.set(a.cameraId, a.at);
    const key = `alert:${a.id}`;
    const mine =
      this.cameras.has(a.cameraId) ||
      (!!this.post &&
        (a.policePostId === this.post.id ||
          (!!this.post.communityId && a.communityId === this.post.communityId)));
    if (!mine) return;
    if (a.incidentId || a.state === 'end') {
      this.removeItem(key);
    } else if (!this.items.has(key)) {
      this.items.set(key, { kind: 'alert', id: key, alert: a });
      this.pending.add(key);
    } else {
      this.items.set(key, { kind: 'alert', id: key, alert: a });
    }
    this.changed();
  }

  cameraStatus(cameraId: string, online: boolean, at: string): void {
    const c = this.cameras.get(cameraId);
    if (!c) return;
    if (c.online !== online) this.cameraChanges.push({ cameraId, online, at });
    this.cameras.set(cameraId, { ...c, online, statusChangedAt: at });
    this.changed();
  }

  position(e: { personId: string; at: string; location: [number, number]; battery?: number | null }): void {
    const p = this.patrollers.get(e.personId);
    if (!p) return;
    this.patrollers.set(e.personId, {
      ...p,
      lastSeenAt: e.at,
      location: e.location,
      battery: e.battery ?? p.battery ?? null,
    });
    this.changed();
  }

  private removeItem(id: string): void {
    if (!this.items.delete(id)) return;
    this.pending.delete(id);
    const at = this.shown.indexOf(id);
    if (at >= 0) this.shown.splice(at, 1);
    this.clampCursor();
  }

  setTab(tab: SeverityTab): void {
    this.tab = tab;
    this.cursor = 0;
    this.changed();
  }

  /** The list's ids under the current severity tab. */
  visibleIds(): string[] {
    if (this.filtered) return this.filtered;
    const tab = this.tab;
    this.filtered =
      tab === 'all' ? this.shown : this.shown.filter((id) => severityOf(this.items.get(id)!) === tab);
    return this.filtered;
  }

  counts() {
    return tabCounts(this.shown.map((id) => this.items.get(id)!));
  }

  pendingHigh(): number {
    let n = 0;
    for (const id of this.pending) if (severityOf(this.items.get(id)!) === 'high') n++;
    return n;
  }

  moveCursor(delta: number): void {
    this.cursor += delta;
    this.clampCursor();
    this.changed();
  }

  setCursor(i: number): void {
    this.cursor = i;
    this.clampCursor();
    this.changed();
  }

  select(id: string | null): void {
    const prev = this.selectedId;
    this.selectedId = id;
    // A finished incident kept for its open panel leaves once the panel closes.
    if (prev && prev !== id) {
      const it = this.items.get(prev);
      if (it?.kind === 'incident' && !isOpenIncident(it.incident)) this.removeItem(prev);
    }
    this.changed();
  }

  private clampCursor(): void {
    this.filtered = null;
    const n = this.visibleIds().length;
    this.cursor = Math.max(0, Math.min(this.cursor, n - 1));
  }
}
