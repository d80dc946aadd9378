import { describe, expect, it } from 'vitest';
import { manualClock, realMsFor, scaledClock } from './clock.ts';

describe('clocks', () => {
  it('runs a scaled clock faster than real time from its origin', async () => {
    const origin = new Date('2026-01-01T00:00:00Z');
    const clock = scaledClock(1000, origin);
    await new Promise((r) => setTimeout(r, 20));
    const elapsed = clock.now().getTime() - origin.getTime();
    expect(elapsed).toBeGreaterThanOrEqual(15_000);
    expect(elapsed).toBeLessThan(2_000_000);
  });

  it('rejects a non-positive speed with the value in the message', () => {
    expect(() => scaledClock(0)).toThrow(/positive number, got 0/);
  });

  it('moves a manual clock only when told', () => {
    const clock = manualClock(new Date('2026-03-01T08:00:00Z'));
    clock.advance(90_000);
    expect(clock.now().toISOString()).toBe('2026-03-01T08:01:30.000Z');
    clock.set(new Date('2026-04-01T00:00:00Z'));
    expect(clock.now().toISOString()).toBe('2026-04-01T00:00:00.000Z');
  });

  it('converts clock intervals to real intervals', () => {
    expect(realMsFor(60_000, { speed: 60 })).toBe(1000);
  });
});
