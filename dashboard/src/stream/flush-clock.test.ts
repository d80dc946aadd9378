import { describe, expect, it } from 'vitest';
import { FlushClock } from './flush-clock.ts';

describe('adaptive flush clock', () => {
  it('waits longer after an expensive flush, within bounds', () => {
    expect(FlushClock.nextInterval(1)).toBe(100);
    expect(FlushClock.nextInterval(50)).toBe(200);
    expect(FlushClock.nextInterval(5000)).toBe(1000);
  });

  it('coalesces many requests into one flush', async () => {
    let flushes = 0;
    const clock = new FlushClock(() => flushes++, { minMs: 5 });
    for (let i = 0; i < 1000; i++) clock.request();
    await new Promise((r) => setTimeout(r, 30));
    expect(flushes).toBe(1);
    clock.stop();
  });
});
