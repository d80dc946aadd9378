import { allItems, getMeta, type OutboxStore, putNew, removeItem, setMeta, updateItem } from './store.ts';
import {
  DEFAULT_LIMITS,
  type NewOutboxItem,
  type OutboxItem,
  type OutboxLimits,
  type OutboxSnapshot,
  type Sender,
} from './types.ts';

export interface OutboxOptions {
  store: OutboxStore;
  send: Sender;
  /** The signed-in person; only their items are sent. */
  personId: () => string | null;
  limits?: Partial<OutboxLimits>;
  now?: () => number;
  /** Retry delay after the n-th failed attempt: base * 2^(n-1), capped, with jitter. */
  backoff?: { baseMs: number; maxMs: number };
  random?: () => number;
  /** How often the timer looks for due retries (ms). */
  tickMs?: number;
}

/**
 * The field app's outbox. Every action is written to IndexedDB before any sending; the queue drains
 * strictly in insertion order (a new action waits behind the backlog), on start, on `online`, when
 * the page becomes visible, and on a timer that honours the backoff. Bounded by count and age with
 * a warning before anything is dropped. Each item's client id is its message id, so a send that
 * reached the server but whose answer was lost is stored once when it is retried.
 */
export class Outbox {
  private items: OutboxItem[] = [];
  private listeners = new Set<() => void>();
  private snap: OutboxSnapshot;
  private running: Promise<void> | null = null;
  private again: 'none' | 'due' | 'force' = 'none';
  private unauthorized = false;
  private lastError: string | null = null;
  private dropped = 0;
  private detach: (() => void) | null = null;
  readonly limits: OutboxLimits;
  private readonly now: () => number;

  private constructor(private readonly opts: OutboxOptions) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.now = opts.now ?? Date.now;
    this.snap = this.buildSnapshot();
  }

  /** Opens the outbox on a store and loads what is pending (nothing is sent until `start` or `drain`). */
  static async open(opts: OutboxOptions): Promise<Outbox> {
    const o = new Outbox(opts);
    o.dropped = await getMeta(opts.store, 'dropped');
    await o.reload();
    await o.enforceBounds();
    return o;
  }

  /** Queues an action: persisted first, then a drain is started (it waits behind the backlog). */
  async add(n: NewOutboxItem): Promise<OutboxItem> {
    const item = await putNew(this.opts.store, {
      id: n.id,
      kind: n.kind,
      ...(n.group ? { group: n.group } : {}),
      personId: n.personId,
      capturedAt: n.capturedAt ?? this.now(),
      label: n.label,
      request: n.request,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: 0,
    });
    await this.reload();
    await this.enforceBounds();
    void this.drain();
    return item;
  }

  /**
   * Sends what is pending, oldest first, until the queue is empty or a send must wait (network
   * down, server busy, signed out). `force` (default): retry now even if the backoff has not run
   * out — the triggers (online, visible, start, a new action) mean "the situation changed".
   */
  drain(force = true): Promise<void> {
    if (this.running) {
      // A drain is under way: it runs once more when it ends, and callers wait for that too.
      if (force) this.again = 'force';
      else if (this.again === 'none') this.again = 'due';
      return this.running;
    }
    this.running = (async () => {
      let f = force;
      for (;;) {
        await this.withLock(() => this.run(f));
        if (this.again === 'none') break;
        f = this.again === 'force';
        this.again = 'none';
      }
    })().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  /** Attaches the triggers: now, `online`, page visible, and a timer for due retries. */
  start(target: { window?: Window; document?: Document } = globalThis as never): void {
    if (this.detach) return;
    const w = target.window ?? (typeof window === 'undefined' ? undefined : window);
    const d = target.document ?? (typeof document === 'undefined' ? undefined : document);
    const onOnline = () => void this.drain(true);
    const onVisible = () => {
      if (d?.visibilityState === 'visible') void this.drain(true);
    };
    w?.addEventListener('online', onOnline);
    d?.addEventListener('visibilitychange', onVisible);
    const timer = setInterval(() => {
      void this.enforceBounds().then(() => this.drain(false));
    }, this.opts.tickMs ?? 15_000);
    this.detach = () => {
      w?.removeEventListener('online', onOnline);
      d?.removeEventListener('visibilitychange', onVisible);
      clearInterval(timer);
    };
    void this.drain(true);
  }

  stop(): void {
    this.detach?.();
    this.detach = null;
  }

  /** Puts a refused item back in the queue at its place (same id: the server still de-duplicates). */
  async retry(seq: number): Promise<void> {
    const item = this.items.find((i) => i.seq === seq);
    if (!item) return;
    await updateItem(this.opts.store, { ...item, state: 'pending', nextAttemptAt: 0 });
    await this.reload();
    void this.drain();
  }

  /** Removes an item the person decided to give up (only refused items are offered this). */
  async discard(seq: number): Promise<void> {
    await removeItem(this.opts.store, seq);
    await this.reload();
  }

  /** The person has seen the "dropped" notice. */
  async acknowledgeDropped(): Promise<void> {
    this.dropped = 0;
    await setMeta(this.opts.store, 'dropped', 0);
    this.emit();
  }

  /** Signed in again after a 401: resume sending. */
  resume(): void {
    this.unauthorized = false;
    this.emit();
    void this.drain();
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };

  /** A stable snapshot (new object only on change), for `useSyncExternalStore`. */
  getSnapshot = (): OutboxSnapshot => this.snap;

  private async run(force: boolean): Promise<void> {
    if (this.unauthorized && !force) return;
    this.unauthorized = false;
    this.setDraining(true);
    try {
      for (;;) {
        const head = this.items.find((i) => i.state === 'pending');
        if (!head) {
          this.lastError = null;
          break;
        }
        const me = this.opts.personId();
        if (!me || head.personId !== me) {
          this.lastError = `waiting for ${head.personId} to sign in`;
          break;
        }
        if (!force && head.nextAttemptAt > this.now()) break;
        // The browser knows it has no network at all: do not spend attempts (and backoff) on it;
        // the `online` event starts the drain again.
        if (typeof navigator !== 'undefined' && navigator.onLine === false) {
          this.lastError = 'offline';
          break;
        }
        const outcome = await this.opts.send(head);
        if (outcome.kind === 'sent') {
          await removeItem(this.opts.store, head.seq);
          this.lastError = null;
        } else if (outcome.kind === 'refused') {
          await updateItem(this.opts.store, {
            ...head,
            state: 'failed',
            attempts: head.attempts + 1,
            lastError: outcome.error,
          });
        } else if (outcome.kind === 'unauthorized') {
          this.unauthorized = true;
          break;
        } else {
          const attempts = head.attempts + 1;
          await updateItem(this.opts.store, {
            ...head,
            attempts,
            lastError: outcome.error,
            nextAttemptAt: this.now() + this.backoffMs(attempts),
          });
          this.lastError = outcome.error;
          await this.reload();
          break;
        }
        // Later items were never tried: go on with them at once.
        force = true;
        await this.reload();
      }
    } finally {
      this.setDraining(false);
    }
  }

  private backoffMs(attempts: number): number {
    const { baseMs, maxMs } = this.opts.backoff ?? { baseMs: 2_000, maxMs: 300_000 };
    const raw = Math.min(maxMs, baseMs * 2 ** Math.min(30, attempts - 1));
    return Math.round(raw * (0.5 + 0.5 * (this.opts.random ?? Math.random)()));
  }

  /** Drops items past the bounds (oldest first) and remembers how many, for the notice. */
  private async enforceBounds(): Promise<void> {
    const { maxItems, maxAgeMs } = this.limits;
    const cutoff = this.now() - maxAgeMs;
    const tooOld = this.items.filter((i) => i.capturedAt < cutoff);
    const rest = this.items.filter((i) => i.capturedAt >= cutoff);
    const overflow = rest.slice(0, Math.max(0, rest.length - maxItems));
    const drop = [...tooOld, ...overflow];
    if (drop.length === 0) return;
    for (const i of drop) await removeItem(this.opts.store, i.seq);
    this.dropped += drop.length;
    await setMeta(this.opts.store, 'dropped', this.dropped);
    await this.reload();
  }

  private async reload(): Promise<void> {
    this.items = (await allItems(this.opts.store)).sort((a, b) => a.seq - b.seq);
    this.emit();
  }

  private setDraining(v: boolean) {
    if (this.snap.draining !== v) this.emit(v);
  }

  private emit(draining = this.snap.draining) {
    this.snap = this.buildSnapshot(draining);
    for (const l of this.listeners) l();
  }

  private buildSnapshot(draining = false): OutboxSnapshot {
    const { maxItems, maxAgeMs, warnRatio } = this.limits;
    const oldest = this.items.reduce((m, i) => Math.min(m, i.capturedAt), Number.POSITIVE_INFINITY);
    const oldestAgeMs = Number.isFinite(oldest) ? Math.max(0, this.now() - oldest) : 0;
    const count = new Set(this.items.map((i) => i.group ?? i.id)).size;
    // The bounds count stored requests (what takes room), the badge counts actions.
    const reason =
      this.items.length >= Math.ceil(maxItems * warnRatio)
        ? 'count'
        : oldestAgeMs >= maxAgeMs * warnRatio
          ? 'age'
          : null;
    return {
      count,
      items: this.items,
      draining,
      unauthorized: this.unauthorized,
      lastError: this.lastError,
      warning: reason ? { reason, count: this.items.length, maxItems, oldestAgeMs, maxAgeMs } : null,
      dropped: this.dropped,
    };
  }

  /** One tab drains at a time where Web Locks exist; another tab's drain makes this one a no-op. */
  private async withLock(fn: () => Promise<void>): Promise<void> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    if (!locks) return fn();
    await locks.request('wardmap-outbox-drain', { ifAvailable: true }, async (lock) => {
      if (lock) await fn();
    });
  }
}
