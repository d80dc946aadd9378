import mqtt from 'mqtt';

export interface Publisher {
  /** Publishes at QoS 1 and resolves once the broker acknowledged it. */
  publish(topic: string, payload: string): Promise<void>;
  close(): Promise<void>;
}

/**
 * The API's MQTT connection: HTTP check-ins are published on the same topics phones use, so they
 * take the one ingest pipeline (validation, idempotency, dead letters) instead of a second path.
 */
export async function connectPublisher(opts: {
  url: string;
  username?: string;
  password?: string;
  clientId: string;
  /** Put before every topic (the stack's `WARDMAP_TOPIC_PREFIX`). */
  topicPrefix?: string;
}): Promise<Publisher> {
  const prefix = opts.topicPrefix ?? '';
  const client = await mqtt.connectAsync(opts.url, {
    clientId: `${opts.clientId}-${process.pid}`,
    clean: true,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    ...(opts.username ? { username: opts.username } : {}),
    ...(opts.password ? { password: opts.password } : {}),
  });
  return {
    async publish(topic, payload) {
      await client.publishAsync(`${prefix}${topic}`, payload, { qos: 1 });
    },
    async close() {
      await client.endAsync();
    },
  };
}
