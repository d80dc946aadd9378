import { describe, expect, it } from 'vitest';
import { inProcessSource } from './in-process-source.ts';
import type { SourceMessage } from './source.ts';

describe('in-process source', () => {
  it('settles accept() only when ingest acknowledges or rejects the message', async () => {
    const got: SourceMessage[] = [];
    const source = inProcessSource();
    await expect(source.accept('wardmap/checkin/p-0002', Buffer.from('{}'))).rejects.toThrow(/not running/);
    await source.start({ deliver: (m) => void got.push(m), log: () => {} });

    let settled = '';
    const first = source.accept('wardmap/checkin/p-0002', Buffer.from('a')).then(() => {
      settled = 'acked';
    });
    const second = source.accept('wardmap/checkin/p-0003', Buffer.from('b'));
    await new Promise((r) => setTimeout(r, 10));
    expect(settled).toBe('');
    expect(got.map((m) => [m.topic, m.payload.toString()])).toEqual([
      ['wardmap/checkin/p-0002', 'a'],
      ['wardmap/checkin/p-0003', 'b'],
    ]);
    got[0]!.ack();
    await first;
    expect(settled).toBe('acked');
    got[1]!.reject('ingest is stopping');
    await expect(second).rejects.toThrow('ingest is stopping');
  });
});
