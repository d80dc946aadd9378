/**
 * A bounded buffer that hands out batches to one writer at a time. Items wait while the writer is
 * busy, so batches grow with load (small and quick when idle, up to `maxRows` under pressure).
 * `offer` refuses when `maxBuffered` items are held (buffered plus being written): the caller then
 * waits on `room()` — that wait is the backpressure the MQTT client feels.
 */
export interface BatcherOptions<T> {
  maxRows: number;
  /** How long the first item of a batch may wait for company while the writer is idle. */
  maxWaitMs: number;
  maxBuffered: number;
  write(batch: T[]): Promise<void>;
}

export interface Batcher<T> {
  /** Adds an item; false (and nothing added) when the buffer is full. */
  offer(item: T): boolean;
  /** Resolves when there is room for one more item. */
  room(): Promise<void>;
  /** Items held: waiting plus being written. */
  depth(): number;
  /** Writes everything held, then resolves. */
  drain(): Promise<void>;
}

export function createBatcher<T>(opts: BatcherOptions<T>): Batcher<T> {
  let buffer: T[] = [];
  let inFlight = 0;
  let writing: Promise<void> | null = null;
  let timer: NodeJS.Timeout | null = null;
  let draining = false;
  const roomWaiters: Array<() => void> = [];
  const idleWaiters: Array<() => void> = [];

  const held = () => buffer.length + inFlight;
  const wakeRoom = () => {
    while (roomWaiters.length && held() < opts.maxBuffered) roomWaiters.shift()?.();
  };

  const schedule = () => {
    if (writing || buffer.length === 0) {
      if (!writing && buffer.length === 0) for (const w of idleWaiters.splice(0)) w();
      return;
    }
    if (buffer.length >= opts.maxRows || draining || opts.maxWaitMs <= 0) {
      start();
    } else if (!timer) {
      timer = setTimeout(() => {
        timer = null;
        if (!writing) start();
      }, opts.maxWaitMs);
    }
  };

  const start = () => {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch = buffer.slice(0, opts.maxRows);
    buffer = buffer.slice(batch.length);
    inFlight = batch.length;
    writing = opts.write(batch).then(
      () => {
        inFlight = 0;
        writing = null;
        wakeRoom();
        // Whatever arrived during the write has already waited that long: go again at once.
        if (buffer.length) start();
        else schedule();
      },
      (err: unknown) => {
        // write() must not reject (it retries internally); if it does, do not lose the items.
        buffer = [...batch, ...buffer];
        inFlight = 0;
        writing = null;
        queueMicrotask(() => {
          throw err;
        });
      },
    );
  };

  return {
    offer(item) {
      if (held() >= opts.maxBuffered) return false;
      buffer.push(item);
      schedule();
      return true;
    },
    room() {
      if (held() < opts.maxBuffered) return Promise.resolve();
      return new Promise((resolve) => roomWaiters.push(resolve));
    },
    depth: held,
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
