import { describe, expect, it } from 'vitest';
import { CommunitySchema } from './community.ts';
import { parseOrReason } from './errors.ts';

const ring = [
  [121.6, 29.7],
  [121.7, 29.7],
  [121.7, 29.8],
  [121.6, 29.7],
];

describe('CommunitySchema', () => {
  it('accepts a resettlement community with a polygon', () => {
    const c = {
      id: 'c-yinxue',
      name: '隐学山庄',
      kind: 'resettlement',
      residents: 3200,
      geometry: { type: 'Polygon', coordinates: [ring] },
    };
    expect(CommunitySchema.parse(c)).toEqual(c);
  });

  it('rejects a point geometry, naming geometry.type', () => {
    const r = parseOrReason(CommunitySchema, {
      id: 'c-1',
      name: 'x',
      geometry: { type: 'Point', coordinates: [121.6, 29.7] },
    });
    expect(!r.ok && r.reason).toMatch(/^geometry\.type: unsupported area geometry type "Point"/);
  });

  it('rejects an unknown kind, naming kind', () => {
    const r = parseOrReason(CommunitySchema, {
      id: 'c-1',
      name: 'x',
      kind: 'city',
      geometry: { type: 'Polygon', coordinates: [ring] },
    });
    expect(!r.ok && r.reason).toMatch(/^kind: /);
  });
});
