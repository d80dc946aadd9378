import { describe, expect, it } from 'vitest';
import { KNOWN_CAMERA_LABELS } from './camera-alert.ts';
import { parseOrReason } from './errors.ts';
import {
  IncidentCategorySchema,
  IncidentSchema,
  IncidentTransitionSchema,
  NewIncidentSchema,
} from './incident.ts';
import { RiverIssueKindSchema } from './river-report.ts';

const incident = {
  id: 'inc-0042',
  category: 'smoke',
  level: 'block',
  state: 'dispatched',
  severity: 'high',
  title: '北岸码头 烟雾',
  note: null,
  location: [121.641, 29.781],
  communityId: 'c-yinxue',
  gridId: 'grid-07',
  segmentId: null,
  cameraId: 'cam-lake-north',
  source: { kind: 'camera_alert', id: 'fr:1717200000.123456-x7k2qa:new:1717200000.123456' },
  reporterId: null,
  assigneeId: 'p-010',
  createdAt: '2024-06-01T21:14:03Z',
  updatedAt: 1717276500000,
  dueAt: '2024-06-01T22:14:03Z',
};

describe('IncidentCategorySchema', () => {
  it('covers every camera alert label and river issue kind', () => {
    for (const c of [...KNOWN_CAMERA_LABELS, ...RiverIssueKindSchema.options]) {
      expect(IncidentCategorySchema.options).toContain(c);
    }
  });
});

describe('IncidentSchema', () => {
  it('accepts an API incident with nulls, normalising timestamps', () => {
    const i = IncidentSchema.parse(incident);
    expect(i.createdAt).toBe('2024-06-01T21:14:03.000Z');
    expect(i.updatedAt).toBe('2024-06-01T21:15:00.000Z');
  });

  it('rejects an unknown state and level, naming each', () => {
    const r = parseOrReason(IncidentSchema, { ...incident, state: 'pending', level: 'city' });
    expect(!r.ok && r.reason).toMatch(/level: .*; state: /);
  });
});

describe('NewIncidentSchema', () => {
  it('accepts a hand report, defaulting severity and level', () => {
    const n = NewIncidentSchema.parse({
      id: 'app-7f3a',
      category: 'noise',
      location: [121.63, 29.76],
      at: 1717200000000,
    });
    expect(n).toMatchObject({ severity: 'medium', level: 'building', at: '2024-06-01T00:00:00.000Z' });
  });

  it('rejects an unknown category, naming category', () => {
    const r = parseOrReason(NewIncidentSchema, { category: 'ufo', location: [121.63, 29.76] });
    expect(!r.ok && r.reason).toMatch(/^category: .*\(got "ufo"\)/);
  });
});

describe('IncidentTransitionSchema', () => {
  it('accepts acknowledge with a note, dispatch with an assignee and escalate with a level', () => {
    expect(IncidentTransitionSchema.parse({ action: 'acknowledge', note: '已收到' })).toEqual({
      action: 'acknowledge',
      note: '已收到',
    });
    expect(IncidentTransitionSchema.parse({ action: 'dispatch', assigneeId: 'p-010' })).toMatchObject({
      assigneeId: 'p-010',
    });
    expect(IncidentTransitionSchema.parse({ action: 'escalate', level: 'community' })).toMatchObject({
      level: 'community',
    });
  });

  it('rejects dispatch without an assignee, naming assigneeId', () => {
    expect(parseOrReason(IncidentTransitionSchema, { action: 'dispatch' })).toEqual({
      ok: false,
      reason: 'assigneeId: is required (expected string)',
    });
  });

  it('rejects an unknown action, naming action and the value', () => {
    const r = parseOrReason(IncidentTransitionSchema, { action: 'ignore' });
    expect(!r.ok && r.reason).toMatch(/^action: unsupported incident action "ignore"/);
  });
});
