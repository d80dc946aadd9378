import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { GridSchema } from './grid.ts';

const polygon = {
  type: 'Polygon',
  coordinates: [
    [
      [121.63, 29.76],
      [121.64, 29.76],
      [121.64, 29.77],
      [121.63, 29.76],
    ],
  ],
};
const valid = {
  id: 'grid-07',
  name: '第七网格',
  communityId: 'c-yinxue',
  households: 296,
  geometry: polygon,
};

describe('GridSchema', () => {
  it('accepts a block with a polygon and one with a multipolygon and liaisons', () => {
    expect(GridSchema.parse(valid)).toEqual(valid);
    const multi = { type: 'MultiPolygon', coordinates: [polygon.coordinates] };
    const g = GridSchema.parse({
      ...valid,
      geometry: multi,
      liaisonId: 'p-010',
      buildingChiefId: 'p-011',
      residents: 820,
    });
    expect(g.geometry.type).toBe('MultiPolygon');
  });

  it('rejects fractional and negative households, naming households', () => {
    expect(parseOrReason(GridSchema, { ...valid, households: 12.5 })).toMatchObject({ ok: false });
    const r = parseOrReason(GridSchema, { ...valid, households: -1 });
    expect(!r.ok && r.reason).toMatch(/^households: /);
  });

  it('rejects a grid without a community, naming communityId', () => {
    const { communityId: _omit, ...noCommunity } = valid;
    expect(parseOrReason(GridSchema, noCommunity)).toEqual({
      ok: false,
      reason: 'communityId: is required (expected string)',
    });
  });
});
