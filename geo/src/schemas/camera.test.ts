import { describe, expect, it } from 'vitest';
import { CameraSchema, CameraViewSchema } from './camera.ts';
import { parseOrReason } from './errors.ts';

const valid = { id: 'cam-lake-north', name: '北岸码头', location: [121.641, 29.781] };

describe('CameraSchema', () => {
  it('accepts a minimal camera and one with optics, post and Frigate name', () => {
    expect(CameraSchema.parse(valid)).toEqual(valid);
    const c = CameraSchema.parse({
      ...valid,
      password: 'camera-secret',
      heading: 135,
      fov: 90,
      policePostId: 'pp-3',
      frigateName: 'north_pier',
    });
    expect(c).toMatchObject({ fov: 90, frigateName: 'north_pier' });
  });

  it('rejects latitude 91, naming location.1', () => {
    expect(parseOrReason(CameraSchema, { ...valid, location: [121.6, 91] })).toEqual({
      ok: false,
      reason: 'location.1: latitude must be between -90 and 90 (got 91)',
    });
  });

  it('rejects fov 0 and heading -5, naming each', () => {
    const r = parseOrReason(CameraSchema, { ...valid, fov: 0, heading: -5 });
    expect(!r.ok && r.reason).toContain('heading: heading must be between 0 and 360 (got -5)');
    expect(!r.ok && r.reason).toContain('fov: fov must be between 1 and 360 (got 0)');
  });

  it('rejects a Frigate name with spaces', () => {
    expect(CameraSchema.safeParse({ ...valid, frigateName: 'north pier' }).success).toBe(false);
  });

  it('never exposes the password in the view', () => {
    expect(CameraViewSchema.parse({ ...valid, password: 'camera-secret' })).not.toHaveProperty('password');
  });
});
