import { apiUrl, authHeaders } from '../api/client.ts';

// A fetch-based SSE reader for the desk, outside React. Kept behind `LiveSource` so the board can
// switch to the shared stream client (dashboard/src/stream/) once that lands, without touching
// the components. Resumes with Last-Event-ID; a `resync` event, or a reconnect without an id,
// asks the owner to re-fetch its snapshot before applying further events.

export type LiveState = 'live' | 'connecting' | 'offline';

export interface LiveHandlers {
  onEvent(type: string, data: unknown): void;
  onState(s: LiveState): void;
  /** Re-fetch the snapshot (first connect, `resync`, or a reconnect the server cannot replay). */
  onResync(): void;
}

export interface LiveSource {
  stop(): void;
}

const WATCHDOG_MS = 45_000;

/** Parses an SSE byte stream into (event, data, id) triples; returns what is left unparsed. */
export function parseSse(
  buffer: string,
  emit: (event: string, data: string, id: string | undefined) => void,
): string {
  let rest = buffer;
  for (;;) {
    const m = /\r?\n\r?\n/.exec(rest);
    if (!m) return rest;
    const block = rest.slice(0, m.index);
    rest = rest.slice(m.index + m[0].length);
    let event = 'message';
    let id: string | undefined;
    const data: string[] = [];
    for (const line of block.split(/\r?\n/)) {
      if (!line || line.startsWith(':')) continue;
      const i = line.indexOf(':');
      const field = i < 0 ? line : line.slice(0, i);
      const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
      if (field === 'event') event = value;
      else if (field === 'data') data.push(value);
      else if (field === 'id') id = value;
    }
    if (data.length) emit(event, data.join('\n'), id);
  }
}

/** Connects to `/api/stream` and keeps it connected until `stop()`. */
export function connectLive(h: LiveHandlers): LiveSource {
  let stopped = false;
  let lastId: string | undefined;
  let ctrl: AbortController | undefined;
  let retry = 1000;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let watchdog: ReturnType<typeof setTimeout> | undefined;

  const kick = () => {
    if (watchdog) clearTimeout(watchdog);
    watchdog = setTimeout(() => ctrl?.abort(), WATCHDOG_MS);
  };

  async function run() {
    if (stopped) return;
    h.onState('connecting');
    ctrl = new AbortController();
    const headers: Record<string, string> = { accept: 'text/event-stream', ...authHeaders('GET') };
    if (lastId) headers['last-event-id'] = lastId;
    try {
      const res = await fetch(apiUrl('stream'), { headers, credentials: 'same-origin', signal: ctrl.signal });
      if (!res.ok || !res.body) throw new Error(`stream answered ${res.status}`);
      h.onState('live');
      retry = 1000;
      // Without an id to resume from, whatever happened while away is only in a fresh snapshot.
      if (!lastId) h.onResync();
      kick();
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      let buf = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        kick();
        buf = parseSse(buf + value, (event, data, id) => {
          if (id) lastId = id;
          let parsed: unknown;
          try {
            parsed = JSON.parse(data);
          } catch {
            return;
          }
          if (event === 'resync') h.onResync();
          else if (event !== 'heartbeat') h.onEvent(event, parsed);
          else h.onEvent('heartbeat', parsed);
        });
      }
    } catch {
      // Fall through to reconnect.
    }
    if (stopped) return;
    h.onState('offline');
    timer = setTimeout(run, retry);
    retry = Math.min(retry * 2, 15_000);
  }

  const reconnectNow = () => {
    if (stopped || document.visibilityState === 'hidden') return;
    if (timer) {
      clearTimeout(timer);
      timer = undefined;
      retry = 1000;
      void run();
    }
  };
  window.addEventListener('online', reconnectNow);
  document.addEventListener('visibilitychange', reconnectNow);
  void run();
  return {
    stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      if (watchdog) clearTimeout(watchdog);
      ctrl?.abort();
      window.removeEventListener('online', reconnectNow);
      document.removeEventListener('visibilitychange', reconnectNow);
    },
  };
}
