import { describe, expect, it } from 'vitest';
import {
  actionsFor,
  type BoardIncident,
  compareItems,
  displayTitle,
  formatCountdown,
  groupCameraChanges,
  type QueueItem,
  slaState,
  tabCounts,
} from './queue.ts';

const T = Date.parse('2026-11-25T08:00:00Z');
const iso = (ms: number) => new Date(ms).toISOString();
const inc = (id: string, over: Partial<BoardIncident> = {}): QueueItem => ({
  kind: 'incident',
  id,
  incident: {
    id,
    category: 'person',
    level: 'building',
    state: 'open',
    severity: 'medium',
    title: id,
    source: { kind: 'camera_alert', id: `a-${id}` },
    createdAt: iso(T),
    updatedAt: iso(T),
    dueAt: iso(T + 30 * 60_000),
    ...over,
  },
});

describe('slaState', () => {
  it('is within, then near in the last quarter of the window, then overdue', () => {
    const due = iso(T + 40 * 60_000);
    expect(slaState(due, iso(T), T + 20 * 60_000)).toBe('within');
    expect(slaState(due, iso(T), T + 31 * 60_000)).toBe('near');
    expect(slaState(due, iso(T), T + 40 * 60_000)).toBe('overdue');
    expect(slaState(null, iso(T), T)).toBe('none');
  });
});

describe('formatCountdown', () => {
  it('shows minutes:seconds, hours when long, a minus once overdue', () => {
    expect(formatCountdown(65_000)).toBe('01:05');
    expect(formatCountdown(3_723_000)).toBe('1:02:03');
    expect(formatCountdown(-5_000)).toBe('-00:05');
  });
});

describe('queue order', () => {
  it('puts the earliest deadline first, severity breaks ties, bare alerts last', () => {
    const alert: QueueItem = {
      kind: 'alert',
      id: 'alert:x',
      alert: { id: 'x', cameraId: 'c', label: 'car', score: 0.5, state: 'new', at: iso(T), incidentId: null },
    };
    const items = [
      alert,
      inc('late', { dueAt: iso(T + 90 * 60_000) }),
      inc('soon-low', { severity: 'low', dueAt: iso(T + 10 * 60_000) }),
      inc('soon-high', { severity: 'high', dueAt: iso(T + 10 * 60_000) }),
      inc('none', { dueAt: null }),
    ];
    expect(items.sort(compareItems).map((i) => i.id)).toEqual([
      'soon-high',
      'soon-low',
      'late',
      'none',
      'alert:x',
    ]);
    expect(tabCounts(items)).toEqual({ all: 5, high: 1, medium: 2, low: 2 });
  });
});

describe('actionsFor', () => {
  it('offers acknowledge only while open and no escalation at the top of the ladder', () => {
    expect(actionsFor('open', 'building')).toEqual(['acknowledge', 'dispatch', 'escalate']);
    expect(actionsFor('dispatched', 'community')).toEqual(['resolve']);
    expect(actionsFor('verified', 'block')).toEqual(['close']);
  });
});

describe('groupCameraChanges', () => {
  it('folds 30 cameras going offline together into one event', () => {
    const changes = Array.from({ length: 30 }, (_, i) => ({
      cameraId: `cam-${i}`,
      online: false,
      at: iso(T + i * 1000),
    }));
    changes.push({ cameraId: 'cam-1', online: true, at: iso(T + 600_000) });
    const groups = groupCameraChanges(changes);
    expect(groups).toHaveLength(2);
    expect(groups[0]).toMatchObject({ online: true, cameraIds: ['cam-1'] });
    expect(groups[1]!.cameraIds).toHaveLength(30);
  });
});

describe('displayTitle', () => {
  it('translates the label part of a camera incident title', () => {
    expect(displayTitle({ title: 'person · 环湖路08号监控', category: 'person' }, () => '人员')).toBe(
      '人员 · 环湖路08号监控',
    );
    expect(displayTitle({ title: '楼道堆物', category: 'safety_hazard' }, () => 'x')).toBe('楼道堆物');
  });
});
