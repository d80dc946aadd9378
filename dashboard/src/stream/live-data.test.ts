import { describe, expect, it } from 'vitest';
import { LiveData } from './live-data.ts';

const pos = (personId: string, at: string, lon = 121.6, lat = 29.7) => ({
  type: 'position' as const,
  personId,
  at,
  location: [lon, lat] as [number, number],
  online: true,
  battery: 50,
  accuracy: 5,
  gridId: null,
});

describe('LiveData burst merge', () => {
  it('keeps one entry per person, the newest by event time, whatever the arrival order', () => {
    const d = new LiveData();
    d.apply(pos('p1', '2025-06-01T08:00:02Z', 1));
    d.apply(pos('p1', '2025-06-01T08:00:03Z', 3));
    d.apply(pos('p1', '2025-06-01T08:00:01Z', 0)); // late arrival of an older one
    d.apply(pos('p2', '2025-06-01T08:00:01Z', 2));
    expect(d.people.size).toBe(2);
    expect(d.people.get('p1')!.lon).toBe(3);
    expect(d.people.get('p1')!.at).toBe('2025-06-01T08:00:03Z');
    expect(d.ignoredOlder).toBe(1);
    expect([...d.dirtyPeople].sort()).toEqual(['p1', 'p2']);
  });

  it('merges a burst of 10,000 events into one dirty entry per person', () => {
    const d = new LiveData();
    for (let i = 0; i < 10_000; i++)
      d.apply(pos(`p${i % 100}`, new Date(Date.UTC(2025, 5, 1, 8, 0, 0, i)).toISOString(), i));
    expect(d.people.size).toBe(100);
    expect(d.dirtyPeople.size).toBe(100);
    expect(d.people.get('p7')!.lon).toBe(9907);
  });

  it('keeps a short trail of distinct positions, newest last', () => {
    const d = new LiveData();
    for (let i = 0; i < 20; i++) d.apply(pos('p1', new Date(Date.UTC(2025, 5, 1, 8, 0, i)).toISOString(), i));
    const trail = d.people.get('p1')!.trail;
    expect(trail.length).toBe(12);
    expect(trail.at(-1)![0]).toBe(19);
  });

  it('drops incidents that a snapshot no longer lists as open', () => {
    const d = new LiveData();
    const inc = {
      id: 'i1',
      title: 't',
      category: null,
      level: 'building',
      state: 'open',
      severity: null,
      lon: 1,
      lat: 2,
      slaDueAt: null,
      createdAt: '2025-06-01T08:00:00Z',
      updatedAt: '2025-06-01T08:00:00Z',
    };
    d.applyIncident(inc);
    d.applySnapshot({ asOf: '2025-06-01T09:00:00Z', people: [], incidents: [], cameras: [] });
    expect(d.incidents.size).toBe(0);
  });
});
