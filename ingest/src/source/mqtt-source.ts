import { subscriptionFilters } from '../topics.ts';
import { connectSubscriber, endSession, type Subscriber } from './mqtt-client.ts';
import type { IngestSource, SourceSink } from './source.ts';

export interface MqttSourceOptions {
  url: string;
  /** Fixed per worker: the broker keeps the session (and unacknowledged messages) under it. */
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  /** Prepended to every subscribed topic (test isolation on a shared broker). */
  topicPrefix?: string;
  /** Shared-subscription group (`$share/<group>/...`) so several workers split the load. */
  shareGroup?: string | undefined;
}

/**
 * MQTT 3.1.1 with a persistent session (clean: false) at QoS 1: the PUBACK of a message goes out
 * when ingest acknowledges it, after commit. A rejected message is simply never acknowledged: the
 * broker redelivers it when the session resumes.
 */
export function mqttSource(opts: MqttSourceOptions): IngestSource {
  let subscriber: Subscriber | undefined;
  const auth = { username: opts.username, password: opts.password };
  return {
    name: `mqtt ${opts.clientId}`,
    async start(sink: SourceSink) {
      subscriber = await connectSubscriber({
        url: opts.url,
        clientId: opts.clientId,
        ...auth,
        filters: subscriptionFilters(opts.topicPrefix ?? '', opts.shareGroup),
        log: sink.log,
        onMessage: (msg) =>
          sink.deliver({ topic: msg.topic, payload: msg.payload, ack: msg.ack, reject: () => {} }),
      });
    },
    connected: () => subscriber?.connected() ?? false,
    async leave() {
      await subscriber?.unsubscribeAll();
    },
    async close() {
      await subscriber?.close();
    },
    forget: () => endSession(opts.url, opts.clientId, auth),
  };
}
