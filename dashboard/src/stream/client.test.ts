import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveState } from '../store/index.ts';
import { StreamClient } from './client.ts';
import type { Snapshot } from './live-data.ts';

/** A fetch that answers /api/stream with an SSE body the test writes to. */
function sseFetch() {
  const calls: Array<{ lastEventId: string | null }> = [];
  let controller!: ReadableStreamDefaultController<Uint8Array>;
  const enc = new TextEncoder();
  const f = vi.fn(async (_url: string | URL | Request, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    calls.push({ lastEventId: headers.get('last-event-id') });
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    init?.signal?.addEventListener('abort', () => {
      try {
        controller.error(new Error('aborted'));
      } catch {}
    });
    return new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } });
  });
  return {
    fetch: f as unknown as typeof fetch,
    calls,
    send(id: number, event: object) {
      controller.enqueue(
        enc.encode(
          `id: ${id}\nevent: ${(event as { type: string }).type}\ndata: ${JSON.stringify(event)}\n\n`,
        ),
      );
    },
    drop() {
      controller.error(new Error('connection reset'));
    },
  };
}

const position = (personId: string, at: string, lon: number) => ({
  type: 'position',
  personId,
  at,
  location: [lon, 29.7],
  online: true,
});
const empty: Snapshot = { asOf: '2025-06-01T08:00:00Z', people: [], incidents: [], cameras: [] };
const tick = () => new Promise((r) => setTimeout(r, 0));

describe('StreamClient', () => {
  let client: StreamClient | undefined;
  afterEach(() => client?.stop());

  it('loads the snapshot after opening the stream, applies held events after it, resumes with Last-Event-ID', async () => {
    const sse = sseFetch();
    const states: LiveState[] = [];
    let release!: (s: Snapshot) => void;
    const snapshots: Array<Promise<Snapshot>> = [];
    client = new StreamClient({
      fetch: sse.fetch,
      onState: (s) => states.push(s),
      onFlush: () => {},
      loadSnapshot: () => {
        const p = new Promise<Snapshot>((r) => {
          release = r;
        });
        snapshots.push(p);
        return p;
      },
      backoffMs: [10],
    });
    client.start();
    await tick();
    await tick();
    expect(sse.calls).toHaveLength(1);
    expect(sse.calls[0]!.lastEventId).toBeNull();
    sse.send(1, position('p1', '2025-06-01T08:00:01Z', 1));
    await tick();
    expect(client.data.people.size).toBe(0); // held until the snapshot
    release({
      ...empty,
      people: [
        {
          id: 'p1',
          name: null,
          roles: '',
          lon: 0,
          lat: 29.7,
          at: '2025-06-01T08:00:00Z',
          battery: null,
          accuracy: null,
          gridId: null,
          online: true,
        },
      ],
    });
    await tick();
    await tick();
    expect(client.data.people.get('p1')!.lon).toBe(1);
    expect(states.at(-1)).toBe('live');

    // The connection drops: offline, then a reconnect that resumes after event 1.
    sse.drop();
    await vi.waitFor(() => expect(states).toContain('offline'));
    await vi.waitFor(() => expect(sse.calls).toHaveLength(2));
    expect(sse.calls[1]!.lastEventId).toBe('1');
    sse.send(2, position('p1', '2025-06-01T08:00:02Z', 2));
    release(empty);
    await vi.waitFor(() => expect(states.at(-1)).toBe('live'));
    expect(client.data.people.get('p1')!.lon).toBe(2);
  });

  it('rejects events that do not match the stream schemas', async () => {
    const sse = sseFetch();
    client = new StreamClient({
      fetch: sse.fetch,
      onState: () => {},
      onFlush: () => {},
      loadSnapshot: async () => empty,
    });
    client.start();
    await vi.waitFor(() => expect(sse.calls).toHaveLength(1));
    await tick();
    sse.send(1, { type: 'position', personId: 'p1', at: 'yesterday', location: [500, 0], online: true });
    sse.send(2, position('p2', '2025-06-01T08:00:01Z', 1));
    await vi.waitFor(() => expect(client!.data.people.has('p2')).toBe(true));
    expect(client.invalid).toBe(1);
    expect(client.data.people.has('p1')).toBe(false);
  });
});
