import { createHash } from 'node:crypto';
import { decodeMessage } from '@wardmap/ingest';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAMILIES, hostileMessage, stallPayload, withHostileField } from './hostile.ts';

const at = new Date(Date.now() - 60_000).toISOString();
const STAGES = ['topic', 'size', 'json', 'schema', 'internal'];

describe('decodeMessage on hostile payloads (property)', () => {
  it('never throws: every payload of every topic family is an item or a refusal with a stage and a short reason', () => {
    fc.assert(
      fc.property(hostileMessage(at), (m) => {
        const d = decodeMessage(m.topic, m.payload);
        if (!d.ok) {
          expect(STAGES).toContain(d.stage);
          expect(typeof d.reason).toBe('string');
          expect(d.reason.length).toBeLessThan(2000);
        }
      }),
      { numRuns: 400, seed: 13 },
    );
  });

  it('refuses the stall payloads of the fault run (arrays 5,000+ deep in location and in sub_label)', () => {
    for (const depth of [5_000, 10_000, 30_000]) {
      const d = decodeMessage('wardmap/checkin/p-0002', stallPayload(1, at, depth));
      expect(d).toMatchObject({ ok: false, stage: 'schema' });
      const deep = `${'['.repeat(depth)}1${']'.repeat(depth)}`;
      const frigate = FAMILIES.find((f) => f.name === 'frigate-event')!;
      const e = decodeMessage('frigate/events', withHostileField(frigate, 1, at, 'after.sub_label', deep));
      expect(e).toMatchObject({ ok: false, stage: 'schema' });
      expect(e.ok ? '' : e.reason).toMatch(/an array of 1 item/);
    }
  });

  it('is deterministic: the same bytes decode to the same result (redelivery finds the same dead letter)', () => {
    fc.assert(
      fc.property(hostileMessage(at), (m) => {
        const a = decodeMessage(m.topic, m.payload);
        const b = decodeMessage(m.topic, Buffer.from(m.payload));
        expect(JSON.stringify(a)).toBe(JSON.stringify(b));
        return createHash('sha1').update(m.payload).digest('hex').length === 40;
      }),
      { numRuns: 100, seed: 7 },
    );
  });
});
