import type { Queryable } from '@wardmap/db';
import mqtt, { type MqttClient } from 'mqtt';
import type { TestBroker } from '../support/mqtt.ts';

/** A QoS 1 publisher on the test broker; `publish` resolves when the broker acknowledged. */
export async function openPublisher(
  broker: TestBroker,
  name: string,
  auth: { username?: string; password?: string } = {},
): Promise<{
  client: MqttClient;
  publish(topic: string, payload: unknown): Promise<void>;
  close(): Promise<void>;
}> {
  const client = await mqtt.connectAsync(broker.url, {
    clientId: broker.clientId(name),
    protocolVersion: 4,
    reconnectPeriod: 0,
    ...auth,
  });
  return {
    client,
    async publish(topic, payload) {
      const body =
        typeof payload === 'string' || Buffer.isBuffer(payload) ? payload : JSON.stringify(payload);
      await client.publishAsync(`${broker.topicPrefix}${topic}`, body as string | Buffer, { qos: 1 });
    },
    close: () => client.endAsync(),
  };
}

/** Polls `probe` until it returns a truthy value (or throws after `timeoutMs`). */
export async function eventually<T>(
  probe: () => Promise<T | undefined | null | false>,
  timeoutMs = 15_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await probe();
      if (v) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`condition not met within ${timeoutMs} ms${last ? `: ${String(last)}` : ''}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Row count of `sql` (which must select `count(*) AS n`). */
export async function count(q: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const r = await q.query<{ n: number }>(sql, params);
  return Number(r.rows[0]?.n ?? 0);
}
