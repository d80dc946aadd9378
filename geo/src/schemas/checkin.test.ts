import { describe, expect, it } from 'vitest';
import { CheckinSchema, resolveCheckinPerson } from './checkin.ts';
import { parseOrReason } from './errors.ts';

function reasonOf(data: unknown): string {
  const r = parseOrReason(CheckinSchema, data);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

const valid = { id: 'ck-0001', location: [121.6402, 29.7713], at: '2024-06-01T08:00:00+08:00' };

describe('CheckinSchema', () => {
  it('accepts a minimal check-in, defaulting kind to location and normalising at', () => {
    expect(CheckinSchema.parse(valid)).toEqual({
      id: 'ck-0001',
      location: [121.6402, 29.7713],
      at: '2024-06-01T00:00:00.000Z',
      kind: 'location',
    });
  });

  it('accepts a full checkpoint check-in with epoch-millisecond time', () => {
    const c = CheckinSchema.parse({
      ...valid,
      personId: 'p-001',
      accuracy: 4.5,
      battery: 76,
      altitude: -2,
      speed: 1.3,
      heading: 359.5,
      at: 1717200000000,
      kind: 'checkpoint',
      patrolId: 'patrol-2024-06-01-p-001',
      checkpointId: 'cp-07',
    });
    expect(c).toMatchObject({ kind: 'checkpoint', at: '2024-06-01T00:00:00.000Z', checkpointId: 'cp-07' });
  });

  it('drops unknown fields', () => {
    expect(CheckinSchema.parse({ ...valid, mood: 'happy' })).not.toHaveProperty('mood');
  });

  it('rejects a check-in with latitude 91, naming location.1', () => {
    expect(reasonOf({ ...valid, location: [121.64, 91] })).toBe(
      'location.1: latitude must be between -90 and 90 (got 91)',
    );
  });

  it('rejects a check-in without a message id, naming id', () => {
    const { id: _omit, ...noId } = valid;
    expect(reasonOf(noId)).toBe('id: is required (expected string)');
  });

  it('rejects battery 120, negative accuracy and heading 400, naming each', () => {
    const reason = reasonOf({ ...valid, battery: 120, accuracy: -1, heading: 400 });
    expect(reason).toContain('battery: battery must be between 0 and 100 (got 120)');
    expect(reason).toContain('accuracy: accuracy must not be negative (got -1)');
    expect(reason).toContain('heading: heading must be between 0 and 360 (got 400)');
  });

  it('rejects an unknown kind, naming kind', () => {
    expect(reasonOf({ ...valid, kind: 'lunch' })).toMatch(/^kind: /);
  });

  it('rejects a time in epoch seconds, naming at', () => {
    expect(reasonOf({ ...valid, at: 1717200000 })).toMatch(/^at: .*looks like seconds/);
  });
});

describe('resolveCheckinPerson', () => {
  it('fills personId from the topic when absent', () => {
    const r = resolveCheckinPerson(CheckinSchema.parse(valid), 'p-001');
    expect(r).toMatchObject({ ok: true, value: { personId: 'p-001' } });
  });

  it('accepts a personId equal to the topic person', () => {
    expect(resolveCheckinPerson(CheckinSchema.parse({ ...valid, personId: 'p-001' }), 'p-001').ok).toBe(true);
  });

  it('rejects a personId that differs from the topic person, naming personId', () => {
    const r = resolveCheckinPerson(CheckinSchema.parse({ ...valid, personId: 'p-002' }), 'p-001');
    expect(r).toEqual({ ok: false, reason: `personId: 'p-002' does not match the topic's person 'p-001'` });
  });
});
