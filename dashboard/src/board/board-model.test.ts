import { describe, expect, it } from 'vitest';
import type { BoardSnapshot } from './board-api.ts';
import { BoardModel } from './board-model.ts';
import type { BoardIncident } from './queue.ts';

const T = '2026-11-25T08:00:00.000Z';
const due = (min: number) => new Date(Date.parse(T) + min * 60_000).toISOString();
const incident = (id: string, dueMin: number, over: Partial<BoardIncident> = {}): BoardIncident => ({
  id,
  category: 'person',
  level: 'building',
  state: 'open',
  severity: 'medium',
  title: id,
  source: { kind: 'manual', id: null },
  communityId: 'com-a',
  policePostId: 'pp-a',
  createdAt: T,
  updatedAt: T,
  dueAt: due(dueMin),
  ...over,
});
const snapshot = (incidents: BoardIncident[]): BoardSnapshot => ({
  post: { id: 'pp-a', name: 'A', communityId: 'com-a' },
  at: T,
  clockSpeed: 1,
  incidents,
  alerts: [],
  cameras: [],
  patrollersOnDuty: [],
  handover: [],
});

describe('BoardModel', () => {
  it('keeps the list still: arrivals wait behind the pill until taken in, then sort by deadline', () => {
    const m = new BoardModel();
    m.loadSnapshot(snapshot([incident('b', 20), incident('a', 10)]));
    expect(m.visibleIds()).toEqual(['a', 'b']);
    m.setCursor(1);
    m.upsertIncident(incident('urgent', 1), { fromStream: true });
    expect(m.visibleIds()).toEqual(['a', 'b']);
    expect([...m.pending]).toEqual(['urgent']);
    m.applyPending();
    expect(m.visibleIds()).toEqual(['urgent', 'a', 'b']);
    // The focused row stays focused although it moved.
    expect(m.visibleIds()[m.cursor]).toBe('b');
  });

  it('changes a row in place, ignores stale versions and drops finished work unless it is open in the panel', () => {
    const m = new BoardModel();
    m.loadSnapshot(snapshot([incident('a', 10), incident('b', 20)]));
    const later = '2026-11-25T08:05:00.000Z';
    m.upsertIncident(incident('b', 1, { state: 'acknowledged', updatedAt: later }));
    expect(m.visibleIds()).toEqual(['a', 'b']);
    m.upsertIncident(incident('b', 20, { state: 'open', updatedAt: T }));
    expect(m.items.get('b')).toMatchObject({ incident: { state: 'acknowledged' } });
    m.select('a');
    m.upsertIncident(incident('a', 10, { state: 'closed', updatedAt: later }));
    expect(m.visibleIds()).toEqual(['a', 'b']);
    m.select(null);
    expect(m.visibleIds()).toEqual(['b']);
  });

  it('ignores incidents of other posts and tells about high-severity arrivals', () => {
    const m = new BoardModel();
    const arrivals: string[] = [];
    m.onArrival = (a) => arrivals.push(`${a.id}:${a.severity}`);
    m.loadSnapshot(snapshot([]));
    m.upsertIncident(incident('x', 5, { policePostId: 'pp-b', communityId: 'com-b' }), { fromStream: true });
    m.upsertIncident(incident('fire', 5, { severity: 'high' }), { fromStream: true });
    expect(m.pending.has('x')).toBe(false);
    expect(arrivals).toEqual(['fire:high']);
    expect(m.pendingHigh()).toBe(1);
  });

  it('follows the server clock at its speed', () => {
    const m = new BoardModel();
    m.loadSnapshot({ ...snapshot([]), clockSpeed: 60 });
    m.clock.localMs -= 1000;
    expect(m.now() - Date.parse(T)).toBeGreaterThanOrEqual(60_000);
  });
});
