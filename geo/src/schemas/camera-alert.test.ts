import { describe, expect, it } from 'vitest';
import { CameraAlertSchema, isKnownCameraLabel } from './camera-alert.ts';
import { parseOrReason } from './errors.ts';

function reasonOf(data: unknown): string {
  const r = parseOrReason(CameraAlertSchema, data);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

const valid = { id: 'al-1', label: 'person', score: 0.82, at: '2024-06-01T21:14:03Z' };

describe('CameraAlertSchema', () => {
  it('accepts a minimal alert, defaulting state to new', () => {
    expect(CameraAlertSchema.parse(valid)).toEqual({
      ...valid,
      at: '2024-06-01T21:14:03.000Z',
      state: 'new',
    });
  });

  it('accepts a full alert with snapshot, zones and event id', () => {
    const a = CameraAlertSchema.parse({
      ...valid,
      label: 'smoke',
      snapshotUrl: 'https://nvr.example.org/snap/evt-9.jpg',
      zones: ['pier', 'car_park'],
      state: 'update',
      eventId: '1717200000.123456-x7k2qa',
    });
    expect(a).toMatchObject({ state: 'update', zones: ['pier', 'car_park'] });
  });

  it('accepts a label outside the known list', () => {
    expect(CameraAlertSchema.parse({ ...valid, label: 'bicycle' }).label).toBe('bicycle');
    expect(isKnownCameraLabel('bicycle')).toBe(false);
    expect(isKnownCameraLabel('fire')).toBe(true);
  });

  it('rejects an empty label, naming label', () => {
    expect(reasonOf({ ...valid, label: '  ' })).toMatch(/^label: /);
  });

  it('rejects score 1.5, naming score', () => {
    expect(reasonOf({ ...valid, score: 1.5 })).toBe('score: score must be between 0 and 1 (got 1.5)');
  });

  it('rejects a javascript: snapshot URL, naming snapshotUrl', () => {
    expect(reasonOf({ ...valid, snapshotUrl: 'javascript:alert(1)' })).toMatch(
      /^snapshotUrl: must be an http\(s\) URL/,
    );
  });

  it('rejects an unknown state, naming state', () => {
    expect(reasonOf({ ...valid, state: 'paused' })).toMatch(/^state: /);
  });
});
