import { parseOrReason, StreamEventSchema } from '@wardmap/geo';
import { apiUrl, authHeaders } from '../api/client.ts';
import type { LiveState } from '../store/index.ts';
import { FlushClock } from './flush-clock.ts';
import { LiveData, type Snapshot } from './live-data.ts';
import { type SseFrame, SseParser } from './sse.ts';
import { SyncSession } from './sync.ts';

export interface StreamClientOptions {
  /** Called with the connection state whenever it changes. */
  onState(state: LiveState): void;
  /** Called after each flush of changed data (on the adaptive clock, not per event). */
  onFlush(data: LiveData): void;
  /** The snapshot loader (tests inject one). */
  loadSnapshot(signal: AbortSignal): Promise<Snapshot>;
  /** `fetch` (tests inject one). */
  fetch?: typeof fetch;
  /** A stream without any frame for this long is dead (heartbeats come every 15 s). */
  silenceMs?: number;
  /** Reconnect delays, ms, growing up to the last. */
  backoffMs?: number[];
}

/**
 * The one live connection of the page, outside React: fetch-based SSE (works with the session
 * cookie and with a bearer token), events validated with the geo schemas and merged into
 * {@link LiveData}; snapshot first on every (re)connect, then events, resuming with
 * `Last-Event-ID`; reconnects with backoff, at once when the browser goes `online` or the page
 * becomes visible; a `resync` event re-fetches the snapshot.
 */
export class StreamClient {
  readonly data = new LiveData();
  readonly session = new SyncSession(this.data);
  private readonly clock: FlushClock;
  private abort: AbortController | undefined;
  private retryTimer: ReturnType<typeof setTimeout> | undefined;
  private watchdog: ReturnType<typeof setTimeout> | undefined;
  private attempts = 0;
  private stopped = true;
  private state: LiveState = 'connecting';
  /** Frames whose data did not validate (kept for diagnostics). */
  invalid = 0;
  private readonly onOnline = () => this.reconnectNow();
  private readonly onVisible = () => {
    if (document.visibilityState === 'visible' && this.state !== 'live') this.reconnectNow();
  };

  constructor(private readonly opts: StreamClientOptions) {
    // Redrawing the layer costs more than the flush itself for large crowds: flush at most 10 times
    // a second for up to 2,000 people, down to twice a second for 10,000 (latency stays < 1 s).
    this.clock = new FlushClock(() => this.flush(), {
      minMs: () => Math.min(500, Math.max(100, this.data.people.size / 20)),
    });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    if (typeof window !== 'undefined') {
      window.addEventListener('online', this.onOnline);
      document.addEventListener('visibilitychange', this.onVisible);
    }
    void this.connect();
  }

  stop(): void {
    this.stopped = true;
    this.abort?.abort();
    clearTimeout(this.retryTimer);
    clearTimeout(this.watchdog);
    this.clock.stop();
    if (typeof window !== 'undefined') {
      window.removeEventListener('online', this.onOnline);
      document.removeEventListener('visibilitychange', this.onVisible);
    }
  }

  /** Asks for a flush on the adaptive clock (data applied from elsewhere, e.g. a synthetic load). */
  requestFlush(): void {
    this.clock.request();
  }

  /** Drops the current connection and connects again now (also used after `online`). */
  reconnectNow(): void {
    if (this.stopped) return;
    clearTimeout(this.retryTimer);
    this.attempts = 0;
    void this.connect();
  }

  private setState(s: LiveState) {
    if (s === this.state) return;
    this.state = s;
    this.opts.onState(s);
  }

  private flush() {
    this.opts.onFlush(this.data);
    this.data.dirtyPeople.clear();
    this.data.incidentsDirty = false;
    this.data.camerasDirty = false;
    this.data.staleTiles.clear();
  }

  private kick() {
    clearTimeout(this.watchdog);
    this.watchdog = setTimeout(() => {
      // No heartbeat for too long: the connection is dead even if TCP has not noticed.
      this.fail();
    }, this.opts.silenceMs ?? 45_000);
  }

  private fail() {
    this.abort?.abort();
    if (this.stopped) return;
    this.setState('offline');
    const backoff = this.opts.backoffMs ?? [500, 1000, 2000, 3000];
    const delay = backoff[Math.min(this.attempts, backoff.length - 1)]!;
    this.attempts++;
    clearTimeout(this.retryTimer);
    this.retryTimer = setTimeout(() => void this.connect(), delay);
  }

  private async connect(): Promise<void> {
    this.abort?.abort();
    const abort = new AbortController();
    this.abort = abort;
    if (this.state !== 'offline') this.setState('connecting');
    this.session.begin();
    const f = this.opts.fetch ?? fetch;
    const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders('GET') };
    if (this.session.lastEventId !== null) headers['last-event-id'] = String(this.session.lastEventId);
    let res: Response;
    try {
      // The stream first (events are held), then the snapshot: nothing falls between the two.
      res = await f(apiUrl('stream'), { headers, credentials: 'same-origin', signal: abort.signal });
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
    } catch {
      if (abort.signal.aborted && this.abort !== abort) return;
      this.fail();
      return;
    }
    this.kick();
    const reading = this.read(res.body, abort);
    try {
      await this.snapshot(abort);
    } catch {
      if (this.abort === abort) this.fail();
      return;
    }
    if (this.abort !== abort) return;
    this.attempts = 0;
    this.setState('live');
    await reading;
  }

  private async snapshot(abort: AbortController): Promise<void> {
    const snap = await this.opts.loadSnapshot(abort.signal);
    if (this.abort !== abort) return;
    this.session.onSnapshot(snap);
    this.clock.request();
  }

  private async read(body: ReadableStream<Uint8Array>, abort: AbortController): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.kick();
        for (const frame of parser.push(decoder.decode(value, { stream: true }))) this.onFrame(frame, abort);
      }
    } catch {
      // Aborted or the connection dropped: handled below.
    }
    if (this.abort === abort && !this.stopped) this.fail();
  }

  private onFrame(frame: SseFrame, abort: AbortController) {
    if (frame.event === 'heartbeat') return;
    let json: unknown;
    try {
      json = JSON.parse(frame.data);
    } catch {
      this.invalid++;
      return;
    }
    const parsed = parseOrReason(StreamEventSchema, json);
    if (!parsed.ok) {
      this.invalid++;
      return;
    }
    const event = parsed.value;
    if (event.type === 'resync') {
      // Events were missed beyond what the server can replay: hold events, re-read the snapshot.
      if (frame.id) this.session.lastEventId = Number(frame.id);
      this.session.begin();
      this.snapshot(abort).catch(() => {
        if (this.abort === abort) this.fail();
      });
      return;
    }
    this.session.onEvent(frame.id ? Number(frame.id) : null, event);
    this.clock.request();
  }
}
