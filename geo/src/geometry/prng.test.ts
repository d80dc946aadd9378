import { describe, expect, it } from 'vitest';
import { createRng, hashSeed, mulberry32 } from './prng.ts';

describe('prng', () => {
  it('repeats the same sequence for the same seed', () => {
    const a = mulberry32(7);
    const b = mulberry32(7);
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, mulberry32(8))).not.toEqual(seqA);
  });

  it('draws floats in [0, 1) and integers within inclusive bounds', () => {
    const rng = createRng(1);
    for (let i = 0; i < 1000; i++) {
      const f = rng.next();
      expect(f).toBeGreaterThanOrEqual(0);
      expect(f).toBeLessThan(1);
      const n = rng.int(3, 5);
      expect([3, 4, 5]).toContain(n);
    }
  });

  it('shuffles into a permutation without touching the input', () => {
    const input = [1, 2, 3, 4, 5, 6];
    const out = createRng(2).shuffle(input);
    expect(input).toEqual([1, 2, 3, 4, 5, 6]);
    expect([...out].sort()).toEqual(input);
  });

  it('forks independent streams by label', () => {
    expect(createRng(3).fork('a').next()).toBe(createRng(3).fork('a').next());
    expect(createRng(3).fork('a').next()).not.toBe(createRng(3).fork('b').next());
    expect(hashSeed(3, 'a')).not.toBe(hashSeed(4, 'a'));
  });

  it('refuses to pick from an empty array', () => {
    expect(() => createRng(1).pick([])).toThrow(/empty/);
  });
});
