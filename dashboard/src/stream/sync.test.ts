import type { StreamEvent } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { LiveData, type Snapshot } from './live-data.ts';
import { SyncSession } from './sync.ts';

const pos = (personId: string, at: string, lon: number): StreamEvent => ({
  type: 'position',
  personId,
  at,
  location: [lon, 29.7],
  online: true,
});
const snap = (people: Array<[string, string, number]>): Snapshot => ({
  asOf: '2025-06-01T08:00:10Z',
  people: people.map(([id, at, lon]) => ({
    id,
    name: id,
    roles: 'patroller',
    lon,
    lat: 29.7,
    at,
    battery: null,
    accuracy: null,
    gridId: null,
    online: true,
  })),
  incidents: [],
  cameras: [],
});

describe('snapshot then resume', () => {
  it('holds events that arrive before the snapshot and applies them after it, in id order', () => {
    const data = new LiveData();
    const s = new SyncSession(data);
    s.begin();
    s.onEvent(12, pos('p1', '2025-06-01T08:00:12Z', 12));
    s.onEvent(11, pos('p2', '2025-06-01T08:00:11Z', 11));
    expect(data.people.size).toBe(0); // nothing shown before the snapshot
    s.onSnapshot(
      snap([
        ['p1', '2025-06-01T08:00:09Z', 9], // older than the held event: the event wins
        ['p2', '2025-06-01T08:00:15Z', 15], // newer than the held event: the snapshot wins
        ['p3', '2025-06-01T08:00:05Z', 5],
      ]),
    );
    expect(data.people.get('p1')!.lon).toBe(12);
    expect(data.people.get('p2')!.lon).toBe(15);
    expect(data.people.get('p3')!.lon).toBe(5);
    s.onEvent(13, pos('p3', '2025-06-01T08:00:13Z', 13)); // live from now on
    expect(data.people.get('p3')!.lon).toBe(13);
    expect(s.lastEventId).toBe(13);
  });

  it('ignores events replayed twice across a reconnect (ids at or below the last one)', () => {
    const data = new LiveData();
    const s = new SyncSession(data);
    s.begin();
    s.onSnapshot(snap([]));
    s.onEvent(5, pos('p1', '2025-06-01T08:00:05Z', 5));
    // Reconnect resuming after 5: the server replays from 6, but a proxy repeats 5.
    s.begin();
    s.onEvent(5, pos('p1', '2025-06-01T08:00:01Z', 1));
    s.onEvent(6, pos('p1', '2025-06-01T08:00:06Z', 6));
    s.onSnapshot(snap([['p1', '2025-06-01T08:00:05Z', 5]]));
    expect(data.people.get('p1')!.lon).toBe(6);
    expect(s.lastEventId).toBe(6);
  });
});
