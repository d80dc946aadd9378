import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { FrigateAvailabilitySchema, FrigateEventSchema, stableFrigateMessageId } from './frigate.ts';

function reasonOf(data: unknown): string {
  const r = parseOrReason(FrigateEventSchema, data);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

// Shaped like Frigate 0.14 output, including fields Wardmap does not know about.
const base = {
  id: '1717200000.123456-x7k2qa',
  camera: 'cam-lake-north',
  frame_time: 1717200000.123456,
  snapshot: null,
  label: 'person',
  sub_label: null,
  top_score: 0.78,
  false_positive: false,
  start_time: 1717199999.9,
  end_time: null,
  score: 0.78,
  box: [412, 210, 480, 390],
  area: 12240,
  ratio: 0.3777,
  region: [320, 160, 640, 480],
  active: true,
  stationary: false,
  motionless_count: 0,
  position_changes: 1,
  current_zones: [],
  entered_zones: [],
  has_clip: false,
  has_snapshot: false,
  attributes: {},
  current_attributes: [],
  pending_loitering: false,
  max_severity: 'alert',
  recognized_license_plate: null,
};

const newEvent = { type: 'new', before: base, after: base };
const updateEvent = {
  type: 'update',
  before: base,
  after: {
    ...base,
    frame_time: 1717200003.5,
    sub_label: ['alice', 0.87],
    top_score: 0.91,
    score: 0.88,
    current_zones: ['pier'],
    entered_zones: ['pier'],
    has_snapshot: true,
    snapshot: {
      frame_time: 1717200003.5,
      box: [400, 200, 470, 380],
      area: 12600,
      region: [0, 0, 640, 480],
      score: 0.88,
    },
  },
};
const endEvent = {
  type: 'end',
  before: updateEvent.after,
  after: {
    ...updateEvent.after,
    frame_time: 1717200012.25,
    end_time: 1717200012.25,
    active: false,
    has_clip: true,
  },
};

describe('FrigateEventSchema', () => {
  it('accepts a new/update/end triple with unknown extra fields', () => {
    for (const evt of [newEvent, updateEvent, endEvent]) {
      const parsed = FrigateEventSchema.parse(evt);
      expect(parsed.type).toBe(evt.type);
      expect(parsed.after).toMatchObject({ max_severity: 'alert' });
    }
  });

  it('accepts sub_label as null, as a string and as [name, score]', () => {
    expect(FrigateEventSchema.parse(newEvent).after.sub_label).toBeNull();
    expect(FrigateEventSchema.parse(updateEvent).after.sub_label).toEqual(['alice', 0.87]);
    const legacy = { ...newEvent, after: { ...base, sub_label: 'alice' } };
    expect(FrigateEventSchema.parse(legacy).after.sub_label).toBe('alice');
  });

  it('accepts extra top-level fields', () => {
    expect(FrigateEventSchema.safeParse({ ...newEvent, version: 2 }).success).toBe(true);
  });

  it('rejects an unknown event type, naming type and the value', () => {
    expect(reasonOf({ ...newEvent, type: 'deleted' })).toBe(
      `type: unsupported Frigate event type "deleted" (expected 'new' | 'update' | 'end')`,
    );
  });

  it('rejects a score of 1.5, naming after.score', () => {
    expect(reasonOf({ ...newEvent, after: { ...base, score: 1.5 } })).toBe(
      'after.score: score must be between 0 and 1 (got 1.5)',
    );
  });

  it('rejects a malformed sub_label, naming after.sub_label', () => {
    expect(reasonOf({ ...newEvent, after: { ...base, sub_label: ['alice', 'high'] } })).toContain(
      'after.sub_label:',
    );
  });

  it('rejects an event without after.camera', () => {
    const { camera: _omit, ...noCamera } = base;
    expect(reasonOf({ ...newEvent, after: noCamera })).toBe('after.camera: is required (expected string)');
  });
});

describe('FrigateAvailabilitySchema', () => {
  it('accepts online and offline, ignoring surrounding whitespace', () => {
    expect(FrigateAvailabilitySchema.parse('online')).toBe('online');
    expect(FrigateAvailabilitySchema.parse('offline\n')).toBe('offline');
  });

  it('rejects anything else with the value in the reason', () => {
    expect(parseOrReason(FrigateAvailabilitySchema, 'maybe')).toEqual({
      ok: false,
      reason: `Frigate availability must be 'online' or 'offline' (got "maybe")`,
    });
  });
});

describe('stableFrigateMessageId', () => {
  it('is fr:<after.id>:<type>:<after.frame_time>', () => {
    const evt = FrigateEventSchema.parse(updateEvent);
    expect(stableFrigateMessageId(evt)).toBe('fr:1717200000.123456-x7k2qa:update:1717200003.5');
  });

  it('differs between the messages of one event', () => {
    const ids = [newEvent, updateEvent, endEvent].map((e) =>
      stableFrigateMessageId(FrigateEventSchema.parse(e)),
    );
    expect(new Set(ids).size).toBe(3);
  });
});
