import { describe, expect, it } from 'vitest';
import { FRESHNESS_LIMITS, freshnessOf } from './freshness.ts';

describe('freshness grades', () => {
  it('grades by age: fresh, late, stale, lost', () => {
    expect(freshnessOf(0)).toBe('fresh');
    expect(freshnessOf(FRESHNESS_LIMITS.fresh)).toBe('fresh');
    expect(freshnessOf(FRESHNESS_LIMITS.fresh + 1)).toBe('late');
    expect(freshnessOf(FRESHNESS_LIMITS.late + 1)).toBe('stale');
    expect(freshnessOf(FRESHNESS_LIMITS.stale + 1)).toBe('lost');
    expect(freshnessOf(Number.POSITIVE_INFINITY)).toBe('lost');
  });

  it('never calls a device that said it went offline fresh or late', () => {
    expect(freshnessOf(1000, false)).toBe('stale');
    expect(freshnessOf(FRESHNESS_LIMITS.fresh + 1, false)).toBe('stale');
    expect(freshnessOf(FRESHNESS_LIMITS.stale + 1, false)).toBe('lost');
  });
});
