import { type EmbeddedBroker, startEmbeddedBroker } from '@wardmap/ingest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { publishStream } from '../../faults/common.ts';
import { freePort } from '../../faults/infra.ts';

// The fault suite's publisher behaves like a phone's outbox: when a PUBACK is overdue on a
// connection that stays up (RabbitMQ 3.10 left some unanswered after a node kill), it reconnects
// and its persistent session sends the message again. Shown on the embedded broker holding back
// the PUBACK of one message's first delivery for good.

let broker: EmbeddedBroker;
const seen = new Map<string, number>();
let port: number;

beforeAll(async () => {
  port = await freePort();
  broker = await startEmbeddedBroker({
    port,
    host: '127.0.0.1',
    beforeAck: (_topic, payload) => {
      const id = (JSON.parse(payload.toString('utf8')) as { id: string }).id;
      const n = (seen.get(id) ?? 0) + 1;
      seen.set(id, n);
      // The first delivery of message 3 is never acknowledged (the connection stays up).
      return id.endsWith('-3') && n === 1 ? new Promise<void>(() => {}) : undefined;
    },
  });
});

afterAll(async () => {
  await broker?.close();
});

describe('fault publisher', () => {
  it('reconnects when a PUBACK is overdue, and the resent message is acknowledged', async () => {
    const s = await publishStream([{ ports: [port], clientId: 'publisher-test-1' }], 'overdue', 10, {
      rate: 1000,
      settleMs: 20_000,
      ackTimeoutMs: 1_000,
    });
    await s.done;
    await s.close();
    expect(s.acked.size).toBe(10);
    expect(s.overdueReconnects).toBeGreaterThanOrEqual(1);
    // Message 3 arrived twice: the held first delivery and the resend after the reconnect.
    expect(seen.get('overdue-3')).toBeGreaterThanOrEqual(2);
  }, 30_000);

  it('without the timeout the message waits for an answer that never comes', async () => {
    const s = await publishStream([{ ports: [port], clientId: 'publisher-test-2' }], 'patient', 10, {
      rate: 1000,
      settleMs: 3_000,
      ackTimeoutMs: 60_000,
    });
    await s.done;
    await s.close();
    expect(s.acked.size).toBe(9);
    expect(s.overdueReconnects).toBe(0);
  }, 30_000);
});
