/**
 * Flushes on an adaptive clock (traccar's throttle, made adaptive): the next flush waits a few
 * times as long as the last one took, within [min, max], so flushing never takes more than about
 * 1/(1+ratio) of the main thread however large the burst, and small updates still show quickly.
 */
export class FlushClock {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastCost = 0;
  interval: number;

  constructor(
    private readonly flush: () => void,
    private readonly opts: {
      /** Shortest interval, ms (or a function: e.g. longer for larger crowds, whose redraw costs more). */
      minMs?: number | (() => number);
      maxMs?: number;
      ratio?: number;
      now?: () => number;
    } = {},
  ) {
    this.interval = this.min();
  }

  private min(): number {
    const m = this.opts.minMs;
    return typeof m === 'function' ? m() : (m ?? 100);
  }

  /** Next delay for a flush that cost `costMs`. */
  static nextInterval(costMs: number, minMs = 100, maxMs = 1000, ratio = 4): number {
    return Math.min(maxMs, Math.max(minMs, costMs * ratio));
  }

  /** Asks for a flush (no-op if one is already scheduled). */
  request(): void {
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => this.run(), this.interval);
  }

  private run(): void {
    this.timer = undefined;
    const now = this.opts.now ?? (() => performance.now());
    const t0 = now();
    try {
      this.flush();
    } finally {
      this.lastCost = now() - t0;
      this.interval = FlushClock.nextInterval(
        this.lastCost,
        this.min(),
        this.opts.maxMs ?? 1000,
        this.opts.ratio ?? 4,
      );
    }
  }

  get lastFlushMs(): number {
    return this.lastCost;
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }
}
