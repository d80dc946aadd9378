// Where ingest's messages come from. The pipeline (ingest.ts) knows nothing of brokers: a source
// hands it messages one at a time and is told, per message, when that message is safe (committed,
// or its dead letter committed) or was given up. MQTT (mqtt-source.ts), in-process
// (in-process-source.ts) and AMQP sources implement this.

/** One message from a source. Exactly one of `ack` / `reject` is called for it, at most once. */
export interface SourceMessage {
  /**
   * The MQTT topic the message was published on (an AMQP source gives the topic the device used,
   * e.g. from the RabbitMQ MQTT plugin's routing key). Decoding routes by it.
   */
  topic: string;
  payload: Buffer;
  /**
   * The partition of the source the message came from, when it has them (the AMQP source: the
   * quorum queue, which holds a fixed set of communities). A backlog is batched by it.
   */
  group?: string;
  /** The message is committed (as a row or as a dead letter): the broker may forget it. */
  ack(): void;
  /**
   * Ingest gave the message up unwritten (it is stopping): the broker must deliver it again, to
   * this worker's session later or to another worker. `reason` is for logs.
   */
  reject(reason: string): void;
}

/** What a source hands its messages to. */
export interface SourceSink {
  /**
   * Takes one message. Returns a promise while ingest's buffer is full: the source must read no
   * further until it settles (backpressure). Never throws, never rejects.
   */
  deliver(msg: SourceMessage): undefined | Promise<void>;
  log(line: string): void;
}

export interface IngestSource {
  /** For logs, e.g. `mqtt wardmap-ingest-1`. */
  readonly name: string;
  /** Connects and starts delivering to `sink`; resolves once subscribed / consuming. */
  start(sink: SourceSink): Promise<void>;
  /** Whether the connection to the broker is up (the `..._mqtt_connected` gauge). */
  connected(): boolean;
  /**
   * Scale-down, first step: leave the group of workers (MQTT: unsubscribe from the `$share`
   * filters; AMQP: cancel the consumer), so the broker sends new work to the others. What the broker
   * already holds for this worker may still arrive and is delivered as usual.
   */
  leave(): Promise<void>;
  /** Disconnects. Messages delivered but not acknowledged stay with the broker (redelivered later). */
  close(): Promise<void>;
  /**
   * Scale-down, last step, after `close()`: drop what the broker keeps for this worker so nothing
   * waits for a worker that will not come back (MQTT: end the persistent session). May be absent
   * where the broker keeps nothing per worker (AMQP: unacknowledged messages are requeued on close).
   */
  forget?(): Promise<void>;
}
