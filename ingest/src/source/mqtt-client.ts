import mqtt, { type IClientOptions, type MqttClient } from 'mqtt';

/** One inbound message; `ack()` sends its PUBACK (QoS 1), and only on the connection it came from. */
export interface InboundMessage {
  topic: string;
  payload: Buffer;
  qos: number;
  ack(): void;
}

export interface SubscriberOptions {
  url: string;
  clientId: string;
  username?: string | undefined;
  password?: string | undefined;
  filters: string[];
  /**
   * Called for each message in arrival order. Return a promise to hold the MQTT client until it
   * settles (backpressure: MQTT.js reads no further packets meanwhile).
   */
  onMessage(msg: InboundMessage): undefined | Promise<void>;
  log?: (line: string) => void;
}

export interface Subscriber {
  readonly client: MqttClient;
  connected(): boolean;
  /** Unsubscribes every filter, now and after any reconnect (the session's queue still drains). */
  unsubscribeAll(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Ends a persistent session for good: connecting with `clean: true` makes the broker discard the
 * session (its subscriptions, including a `$share` membership, and anything queued for it).
 */
export async function endSession(
  url: string,
  clientId: string,
  auth: { username?: string | undefined; password?: string | undefined } = {},
): Promise<void> {
  const c = await mqtt.connectAsync(url, {
    clientId,
    clean: true,
    protocolVersion: 4,
    reconnectPeriod: 0,
    connectTimeout: 10_000,
    ...(auth.username ? { username: auth.username } : {}),
    ...(auth.password ? { password: auth.password } : {}),
  });
  await c.endAsync();
}

// MQTT.js handles inbound packets strictly one at a time: the next PUBLISH is read only after
// handleMessage's callback, and that callback is what sends the PUBACK. Holding it until the
// batch commits would allow one message per commit (a few hundred a second). So the callback is
// held only while the buffer is full (backpressure) and is otherwise released at once with this
// marker, which MQTT.js treats as "do not PUBACK" (it passes the error to its read loop, which
// ignores it); the PUBACK is sent by `ack()` after commit.
const DEFER_ACK = Object.freeze(new Error('wardmap: PUBACK deferred until commit'));

type PacketSender = { _sendPacket(packet: object, cb?: () => void): void };

/** Connects with a persistent session (clean: false, fixed client id) and subscribes at QoS 1. */
export function connectSubscriber(opts: SubscriberOptions): Promise<Subscriber> {
  const log = opts.log ?? (() => {});
  const options: IClientOptions = {
    clientId: opts.clientId,
    clean: false,
    protocolVersion: 4,
    keepalive: 30,
    reconnectPeriod: 1000,
    connectTimeout: 10_000,
    resubscribe: false,
    ...(opts.username ? { username: opts.username } : {}),
    ...(opts.password ? { password: opts.password } : {}),
  };
  const client = mqtt.connect(opts.url, options);
  if (typeof (client as unknown as PacketSender)._sendPacket !== 'function') {
    client.end(true);
    throw new Error('this MQTT.js version has no _sendPacket: deferred PUBACK cannot work');
  }
  // Bumped on every (re)connect and close: an ack from an older connection would name a packet id
  // the broker may have reused, so it is dropped and the broker redelivers (writes are idempotent).
  let generation = 0;
  let filters = opts.filters;
  const sendPuback = (gen: number, messageId: number) => {
    if (gen !== generation || !client.connected) return;
    (client as unknown as PacketSender)._sendPacket({ cmd: 'puback', messageId }, () => {});
  };

  client.handleMessage = (packet, callback) => {
    const gen = generation;
    const qos = packet.qos;
    const messageId = packet.messageId;
    const release = () => callback(qos === 1 ? DEFER_ACK : undefined);
    let held: undefined | Promise<void>;
    try {
      held = opts.onMessage({
        topic: packet.topic,
        payload: Buffer.isBuffer(packet.payload) ? packet.payload : Buffer.from(packet.payload),
        qos,
        ack: qos === 1 && messageId !== undefined ? () => sendPuback(gen, messageId) : () => {},
      });
    } catch (err) {
      log(`message handler failed: ${(err as Error).message}`);
    }
    if (held) held.then(release, release);
    else release();
  };

  return new Promise((resolve, reject) => {
    let settled = false;
    client.on('connect', (connack) => {
      generation++;
      if (filters.length === 0) return; // retiring: reconnected only to drain the session
      client.subscribe(filters, { qos: 1 }, (err, granted) => {
        const refused = (granted ?? []).filter((g) => g.qos === 128).map((g) => g.topic);
        if (err && !client.connected) {
          // The connection dropped before the SUBACK (a resumed session floods its backlog first):
          // not a refusal. The next 'connect' subscribes again.
          log(`subscribe interrupted (${err.message}); retrying on reconnect`);
          return;
        }
        if (err || refused.length) {
          const why = err ? err.message : `refused: ${refused.join(', ')}`;
          log(`subscribe failed (${why})`);
          if (!settled) {
            settled = true;
            client.end(true);
            reject(new Error(`MQTT subscribe failed at ${opts.url}: ${why}`));
          }
          return;
        }
        log(`subscribed as ${opts.clientId} (session ${connack.sessionPresent ? 'resumed' : 'new'})`);
        if (!settled) {
          settled = true;
          resolve({
            client,
            connected: () => client.connected,
            unsubscribeAll: async () => {
              const all = filters;
              filters = [];
              if (all.length) await client.unsubscribeAsync(all);
            },
            close: () =>
              new Promise<void>((r) => {
                generation++;
                client.end(false, {}, () => r());
              }),
          });
        }
      });
    });
    client.on('close', () => {
      generation++;
    });
    client.on('error', (err) => {
      log(`mqtt: ${err.message}`);
      if (
        !settled &&
        /ECONNREFUSED|ENOTFOUND|Not authorized|Bad username|Connection refused/i.test(err.message)
      ) {
        settled = true;
        client.end(true);
        reject(new Error(`cannot connect to MQTT at ${opts.url}: ${err.message}`));
      }
    });
  });
}
