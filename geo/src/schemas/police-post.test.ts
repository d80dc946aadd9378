import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { PolicePostSchema } from './police-post.ts';

describe('PolicePostSchema', () => {
  it('accepts a police post with and without a community', () => {
    const post = { id: 'pp-3', name: '东钱湖警务岗', location: [121.638, 29.772] };
    expect(PolicePostSchema.parse(post)).toEqual(post);
    expect(PolicePostSchema.parse({ ...post, communityId: 'c-yinxue' })).toMatchObject({
      communityId: 'c-yinxue',
    });
  });

  it('rejects a missing location, naming location', () => {
    const r = parseOrReason(PolicePostSchema, { id: 'pp-3', name: 'x' });
    expect(!r.ok && r.reason).toMatch(/^location: /);
  });

  it('rejects longitude 200, naming location.0', () => {
    expect(parseOrReason(PolicePostSchema, { id: 'pp-3', name: 'x', location: [200, 29.7] })).toEqual({
      ok: false,
      reason: 'location.0: longitude must be between -180 and 180 (got 200)',
    });
  });
});
