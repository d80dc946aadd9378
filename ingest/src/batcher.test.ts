import { describe, expect, it } from 'vitest';
import { createBatcher } from './batcher.ts';

function gate() {
  let open: () => void = () => {};
  const p = new Promise<void>((r) => {
    open = r;
  });
  return { p, open };
}

describe('createBatcher', () => {
  it('batches what arrives while the writer is busy, up to maxRows', async () => {
    const batches: number[][] = [];
    const first = gate();
    const b = createBatcher<number>({
      maxRows: 3,
      maxWaitMs: 0,
      maxBuffered: 100,
      async write(batch) {
        batches.push(batch);
        if (batches.length === 1) await first.p;
      },
    });
    b.offer(1);
    for (let i = 2; i <= 6; i++) b.offer(i);
    first.open();
    await b.drain();
    expect(batches).toEqual([[1], [2, 3, 4], [5, 6]]);
  });

  it('cuts a backlog by group: as few groups per batch as fit, same batch size, arrival order kept', async () => {
    const batches: string[][] = [];
    const first = gate();
    const b = createBatcher<string>({
      maxRows: 4,
      maxWaitMs: 0,
      maxBuffered: 100,
      groupOf: (item) => item[0] as string,
      async write(batch) {
        batches.push(batch);
        if (batches.length === 1) await first.p;
      },
    });
    b.offer('a0');
    // Interleaved as they come from four queues: a b c a b c a b c d
    for (const item of ['b1', 'c1', 'a2', 'b2', 'c2', 'a3', 'b3', 'c3', 'd1', 'a4']) b.offer(item);
    first.open();
    await b.drain();
    // Mixed by arrival, each batch would hold 3-4 groups; cut by group, at most 2 (the batch keeps
    // arrival order inside).
    expect(batches).toEqual([
      ['a0'],
      ['b1', 'c1', 'b2', 'b3'], // group b (oldest waiting) whole, then c's oldest fills the batch
      ['a2', 'c2', 'a3', 'a4'], // waiting: a2 c2 a3 c3 d1 a4 -> group a whole, then c's oldest
      ['c3', 'd1'], // no more than maxRows left: taken as they are
    ]);
    // Nothing lost or duplicated.
    expect(batches.flat().sort()).toEqual(
      ['a0', 'b1', 'c1', 'a2', 'b2', 'c2', 'a3', 'b3', 'c3', 'd1', 'a4'].sort(),
    );
  });

  it('refuses items when full and signals room after a write', async () => {
    const w = gate();
    const b = createBatcher<number>({ maxRows: 10, maxWaitMs: 0, maxBuffered: 2, write: () => w.p });
    expect(b.offer(1)).toBe(true);
    expect(b.offer(2)).toBe(true);
    expect(b.offer(3)).toBe(false);
    expect(b.depth()).toBe(2);
    let roomy = false;
    const room = b.room().then(() => {
      roomy = true;
    });
    await Promise.resolve();
    expect(roomy).toBe(false);
    w.open();
    await room;
    expect(b.offer(3)).toBe(true);
    await b.drain();
    expect(b.depth()).toBe(0);
  });
});

describe('createBatcher with a second writer', () => {
  it('starts another writer while one is busy once overlapRows items wait, never more than maxConcurrent', async () => {
    const batches: number[][] = [];
    const gates = [gate(), gate(), gate()];
    let running = 0;
    let most = 0;
    const b = createBatcher<number>({
      maxRows: 4,
      maxWaitMs: 0,
      maxBuffered: 100,
      maxConcurrent: 2,
      overlapRows: 2,
      async write(batch) {
        const k = batches.push(batch) - 1;
        running++;
        most = Math.max(most, running);
        await gates[k]?.p;
        running--;
      },
    });
    b.offer(1); // first writer, busy
    b.offer(2); // one waiting: not enough for a second writer
    expect(batches).toEqual([[1]]);
    b.offer(3); // two waiting: second writer
    expect(batches).toEqual([[1], [2, 3]]);
    for (let i = 4; i <= 9; i++) b.offer(i); // both busy: these wait
    expect(batches).toHaveLength(2);
    gates[0]?.open();
    await new Promise((r) => setTimeout(r, 0));
    expect(batches[2]).toEqual([4, 5, 6, 7]);
    for (const g of gates) g.open();
    await b.drain();
    expect(batches.flat()).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(most).toBe(2);
    expect(b.depth()).toBe(0);
  });

  it('bounds what it holds in bytes too, but always takes one item into an empty buffer', async () => {
    const first = gate();
    const b = createBatcher<number>({
      maxRows: 10,
      maxWaitMs: 0,
      maxBuffered: 1000,
      maxBufferedBytes: 100,
      sizeOf: (n) => n,
      async write() {
        await first.p;
      },
    });
    expect(b.offer(500)).toBe(true);
    expect(b.bytes()).toBe(500);
    expect(b.offer(1)).toBe(false);
    let roomy = false;
    const room = b.room().then(() => {
      roomy = true;
    });
    await new Promise((r) => setTimeout(r, 10));
    expect(roomy).toBe(false);
    first.open();
    await room;
    expect(b.bytes()).toBe(0);
    expect(b.offer(60)).toBe(true);
    expect(b.offer(30)).toBe(true);
    expect(b.offer(20)).toBe(true);
    expect(b.offer(1)).toBe(false);
    await b.drain();
  });
});
