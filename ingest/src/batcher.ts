/**
 * A bounded buffer that hands out batches to a writer. Items wait while the writer is busy, so
 * batches grow with load (small and quick when idle, up to `maxRows` under pressure).
 * `offer` refuses when `maxBuffered` items are held (buffered plus being written): the caller then
 * waits on `room()` — that wait is the backpressure the MQTT client feels.
 *
 * With `maxConcurrent` > 1, a further writer starts while others are busy once `overlapRows` items
 * wait: its batch is prepared while the previous one is still being written. (Ingest's writers
 * still take turns in the database; see writer.ts.)
 */
export interface BatcherOptions<T> {
  maxRows: number;
  /** How long the first item of a batch may wait for company while the writer is idle. */
  maxWaitMs: number;
  maxBuffered: number;
  /**
   * Bytes held at most (by `sizeOf`), besides the count: a backlog of large messages must not
   * grow the process without bound. One item is always accepted into an empty buffer, however large.
   */
  maxBufferedBytes?: number;
  sizeOf?(item: T): number;
  /** Writes running at once (default 1). */
  maxConcurrent?: number;
  /** Items waiting that start another writer while one is busy (default `maxRows`). */
  overlapRows?: number;
  /**
   * The group of an item (e.g. the broker queue it came from, which holds a fixed set of
   * communities). When more than `maxRows` wait, a batch is cut by group — the groups in the order
   * their oldest item arrived, each in arrival order — so it holds as few groups as fit, at the
   * same size. Without it (or with `maxRows` or fewer waiting) a batch is the oldest items.
   */
  groupOf?(item: T): string;
  write(batch: T[]): Promise<void>;
}

export interface Batcher<T> {
  /** Adds an item; false (and nothing added) when the buffer is full. */
  offer(item: T): boolean;
  /** Resolves when there is room for one more item. */
  room(): Promise<void>;
  /** Items held: waiting plus being written. */
  depth(): number;
  /** Bytes held (by `sizeOf`): waiting plus being written. */
  bytes(): number;
  /** Writes everything held, then resolves. */
  drain(): Promise<void>;
}

export function createBatcher<T>(opts: BatcherOptions<T>): Batcher<T> {
  const maxConcurrent = Math.max(1, opts.maxConcurrent ?? 1);
  const overlapRows = Math.max(1, opts.overlapRows ?? opts.maxRows);
  let buffer: T[] = [];
  let inFlight = 0;
  let heldBytes = 0;
  const maxBytes = opts.maxBufferedBytes ?? Number.POSITIVE_INFINITY;
  const sizeOf = opts.sizeOf ?? (() => 0);
  const batchBytes = (batch: readonly T[]) => batch.reduce((n, item) => n + sizeOf(item), 0);
  let writers = 0;
  let timer: NodeJS.Timeout | null = null;
  let draining = false;
  const roomWaiters: Array<() => void> = [];
  const idleWaiters: Array<() => void> = [];

  const held = () => buffer.length + inFlight;
  const cut = (items: T[]): [T[], T[]] => {
    if (items.length <= opts.maxRows) return [items, []];
    if (!opts.groupOf) return [items.slice(0, opts.maxRows), items.slice(opts.maxRows)];
    // Group ranks in order of first arrival; then a stable pick of the first maxRows by rank.
    const rank = new Map<string, number>();
    const ranks = items.map((item) => {
      const g = opts.groupOf?.(item) ?? '';
      const known = rank.get(g);
      if (known !== undefined) return known;
      rank.set(g, rank.size);
      return rank.size - 1;
    });
    if (rank.size === 1) return [items.slice(0, opts.maxRows), items.slice(opts.maxRows)];
    const perRank = new Array<number>(rank.size).fill(0);
    for (const r of ranks) perRank[r] = (perRank[r] ?? 0) + 1;
    // Whole groups below `lastRank`, the first `partial` items of `lastRank`.
    let lastRank = 0;
    let room = opts.maxRows;
    while (room > (perRank[lastRank] ?? 0)) room -= perRank[lastRank++] ?? 0;
    const batch: T[] = [];
    const rest: T[] = [];
    items.forEach((item, i) => {
      const r = ranks[i] as number;
      if (r < lastRank || (r === lastRank && room-- > 0)) batch.push(item);
      else rest.push(item);
    });
    return [batch, rest];
  };
  const full = () => held() > 0 && (held() >= opts.maxBuffered || heldBytes >= maxBytes);
  const wakeRoom = () => {
    while (roomWaiters.length && !full()) roomWaiters.shift()?.();
  };

  const schedule = () => {
    if (buffer.length === 0) {
      if (writers === 0) for (const w of idleWaiters.splice(0)) w();
      return;
    }
    if (writers > 0) {
      if (writers < maxConcurrent && buffer.length >= overlapRows) start();
      return;
    }
    if (buffer.length >= opts.maxRows || draining || opts.maxWaitMs <= 0) {
      start();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        if (writers === 0 && buffer.length) start();
      }, opts.maxWaitMs);
    }
  };

  const start = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const [batch, rest] = cut(buffer);
    buffer = rest;
    inFlight += batch.length;
    writers++;
    opts.write(batch).then(
      () => {
        inFlight -= batch.length;
        heldBytes -= batchBytes(batch);
        writers--;
        wakeRoom();
        // Whatever arrived during the write has already waited that long: go again at once.
        if (buffer.length && writers < maxConcurrent) start();
        else schedule();
      },
      (err: unknown) => {
        // write() must not reject (it retries internally); if it does, do not lose the items.
        buffer = [...batch, ...buffer];
        inFlight -= batch.length;
        writers--;
        queueMicrotask(() => {
          throw err;
        });
      },
    );
    // A full buffer may start another writer at once.
    if (buffer.length >= overlapRows && writers < maxConcurrent) start();
  };

  return {
    offer(item) {
      if (full()) return false;
      heldBytes += sizeOf(item);
      buffer.push(item);
      schedule();
      return true;
    },
    room() {
      if (!full()) return Promise.resolve();
      return new Promise((resolve) => roomWaiters.push(resolve));
    },
    depth: held,
    bytes: () => heldBytes,
    drain() {
      draining = true;
      return new Promise<void>((resolve) => {
        idleWaiters.push(() => {
          draining = false;
          resolve();
        });
        schedule();
      });
    },
  };
}
