import { importGeoJson } from '@wardmap/db';
import { generateReference, referenceToGeoJSON } from '@wardmap/geo';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestDb, type TestDb } from '../support/db.ts';

const layers = referenceToGeoJSON(generateReference());

describe('GeoJSON import of reference layers', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb({ demo: false });
  });
  afterAll(() => db?.dispose());

  it('imports the exported communities, grids and river segments of the demo geography', async () => {
    for (const [file, layer] of [
      ['communities', 'communities'],
      ['grids', 'grids'],
      ['river-segments', 'river-segments'],
    ] as const) {
      const res = await importGeoJson(db, layers[file], layer);
      expect(res.errors).toEqual([]);
      expect(res.counts[layer]).toBe(layers[file].features.length);
    }
    const km = await db.query<{ km: number }>('SELECT sum(length_m) / 1000 AS km FROM river_segments');
    expect(km.rows[0]!.km).toBeGreaterThan(58);
  });

  it('rejects the whole import, naming the feature, when one feature is invalid', async () => {
    const bad = structuredClone(layers.grids);
    (bad.features[3]!.properties as Record<string, unknown>).households = -5;
    await db.query('DELETE FROM grids');
    const res = await importGeoJson(db, bad, 'grids');
    expect(res.ok).toBe(false);
    expect(res.errors.join('\n')).toMatch(/features\.3 \(grids\): households/);
    const n = await db.query<{ n: number }>('SELECT count(*) AS n FROM grids');
    expect(n.rows[0]!.n).toBe(0);
  });

  it('asks for a layer when neither the feature nor the caller names one', async () => {
    const res = await importGeoJson(db, layers.communities);
    expect(res.ok).toBe(false);
    expect(res.errors[0]).toContain('no target layer');
  });
});

describe('GeoJSON import with dangling references', () => {
  let db: TestDb;
  beforeAll(async () => {
    db = await openTestDb({ demo: false });
  });
  afterAll(() => db?.dispose());

  it('rejects a block whose community does not exist, with the database detail as the reason', async () => {
    const res = await importGeoJson(
      db,
      { type: 'FeatureCollection', features: [layers.grids.features[0]] },
      'grids',
    );
    expect(res.ok).toBe(false);
    expect(res.errors[0]).toMatch(/community_id/);
  });
});
