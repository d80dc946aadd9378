import { randomBytes } from 'node:crypto';
import { type EmbeddedBroker, startEmbeddedBroker } from '@wardmap/ingest';

export interface TestBroker {
  /** `aedes` (embedded, started for this test file) or `mosquitto` (MQTT_URL, shared with other files). */
  readonly kind: 'aedes' | 'mosquitto';
  readonly url: string;
  /**
   * Topic root unique to this test file ('' on Aedes, which no other file shares). On the shared
   * Mosquitto every topic a test publishes or subscribes is put under it, so files running in
   * parallel never see each other's traffic; ingest and the simulator take it as `topicPrefix`.
   */
  readonly topicPrefix: string;
  /** A client id unique to this test file, with a suffix. */
  clientId(suffix: string): string;
  close(): Promise<void>;
}

/**
 * The broker a test talks to: the real Mosquitto when MQTT_URL is set (CI), else an Aedes started on
 * a free port. Same test bodies on both. Aedes gets `authenticate` when given (ACL tests).
 */
export async function openTestBroker(
  opts: {
    authenticate?: Parameters<typeof startEmbeddedBroker>[0]['authenticate'];
    forceEmbedded?: boolean;
  } = {},
): Promise<TestBroker> {
  const tag = `t${process.pid}${randomBytes(3).toString('hex')}`;
  const url = process.env.MQTT_URL;
  if (url && !opts.forceEmbedded) {
    return {
      kind: 'mosquitto',
      url,
      topicPrefix: `${tag}/`,
      clientId: (suffix) => `${tag}-${suffix}`,
      close: async () => {},
    };
  }
  const broker: EmbeddedBroker = await startEmbeddedBroker({
    port: 0,
    ...(opts.authenticate ? { authenticate: opts.authenticate } : {}),
  });
  return {
    kind: 'aedes',
    url: broker.url,
    topicPrefix: '',
    clientId: (suffix) => `${tag}-${suffix}`,
    close: () => broker.close(),
  };
}
