import type { IngestSource, SourceSink } from './source.ts';

/** A source fed by a function call: the embedded broker hands each PUBLISH over before its PUBACK. */
export interface InProcessSource extends IngestSource {
  /**
   * Takes one message and resolves once it is committed or dead-lettered (the caller acknowledges
   * its publisher only then); rejects when ingest gave it up (stopping) or is not started.
   */
  accept(topic: string, payload: Buffer): Promise<void>;
}

export function inProcessSource(): InProcessSource {
  let sink: SourceSink | undefined;
  return {
    name: 'in-process',
    async start(s) {
      sink = s;
    },
    connected: () => true,
    async leave() {},
    async close() {},
    accept(topic, payload) {
      const to = sink;
      if (!to) return Promise.reject(new Error('ingest is not running'));
      return new Promise<void>((resolve, reject) => {
        // deliver() may wait for room in the buffer; the promise settles on commit (or give-up).
        void to.deliver({ topic, payload, ack: resolve, reject: (why) => reject(new Error(why)) });
      });
    },
  };
}
