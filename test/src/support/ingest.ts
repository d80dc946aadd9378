// The ingest pipeline for integration tests: a test database, the test broker, ingest subscribed
// to it with the common options, and a QoS 1 publisher. A new ingest test needs:
//
//   const t = useIngestPipeline({ clock });
//   it('...', async () => { await t.pub.publish('wardmap/checkin/p-0002', checkin('c-1')); ... });
//
import type { Queryable } from '@wardmap/db';
import { type IngestDeps, type RunningIngest, startIngest } from '@wardmap/ingest';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll } from 'vitest';
import { openTestDb, type TestDb } from './db.ts';
import { openTestBroker, type TestBroker } from './mqtt.ts';

export { eventually } from './eventually.ts';

/** A point inside grid-yinxue-01 of the demo geography. */
export const LAKE: [number, number] = [121.6202, 29.7505];
/** Patrollers of the demo geography. */
export const PEOPLE = ['p-0002', 'p-0003', 'p-0004', 'p-0005'];

export interface Publisher {
  client: MqttClient;
  /** Publishes at QoS 1 under the broker's topic prefix; resolves when the broker acknowledged. */
  publish(topic: string, payload: unknown): Promise<void>;
  close(): Promise<void>;
}

/** A QoS 1 publisher on the test broker. */
export async function openPublisher(
  broker: TestBroker,
  name: string,
  auth: { username?: string; password?: string } = {},
): Promise<Publisher> {
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

/** A native check-in payload (`wardmap/checkin/<person>`). */
export function checkin(id: string, over: { location?: [number, number]; at?: string } = {}) {
  return { id, location: over.location ?? LAKE, at: over.at ?? '2024-06-01T08:00:00Z' };
}

/** Publishes `n` check-ins `<prefix>-0..n-1`, spread over `PEOPLE`, all at once. */
export function publishCheckins(
  pub: Publisher,
  prefix: string,
  n: number,
  over: { location?: [number, number]; at?: string } = {},
): Promise<void> {
  return Promise.all(
    Array.from({ length: n }, (_, i) =>
      pub.publish(`wardmap/checkin/${PEOPLE[i % PEOPLE.length]}`, checkin(`${prefix}-${i}`, over)),
    ),
  ).then(() => undefined);
}

/** Row count of `sql` (which must select `count(*) AS n`). */
export async function count(q: Queryable, sql: string, params: unknown[] = []): Promise<number> {
  const r = await q.query<{ n: number }>(sql, params);
  return Number(r.rows[0]?.n ?? 0);
}

export type IngestOverrides = Partial<Omit<IngestDeps, 'mqttUrl'>>;

export interface PipelineOptions extends IngestOverrides {
  /** How the test database is opened (see openTestDb). */
  database?: Parameters<typeof openTestDb>[0];
  /** Start the file's ingest (default true); false when each test starts its own. */
  startIngest?: boolean;
  /** The publisher's client-id suffix; false: no publisher. */
  publisher?: string | false;
}

export interface IngestPipeline {
  readonly db: TestDb;
  readonly broker: TestBroker;
  /** The file's ingest (absent with `startIngest: false`). */
  readonly ingest: RunningIngest;
  readonly pub: Publisher;
  /**
   * Another ingest on the same broker: the common options (database, client id `<name>`, topic
   * prefix) plus `overrides`. Stopped by `close()` unless the test stopped it.
   */
  startIngest(name: string, overrides?: IngestOverrides): Promise<RunningIngest>;
  close(): Promise<void>;
}

/** Opens database and broker, starts ingest (common options + `opts`) and a publisher. */
export async function openIngestPipeline(opts: PipelineOptions = {}): Promise<IngestPipeline> {
  const { database, startIngest: start = true, publisher = 'devices', ...common } = opts;
  const [db, broker] = await Promise.all([openTestDb(database), openTestBroker()]);
  const started: RunningIngest[] = [];
  const another = async (name: string, overrides: IngestOverrides = {}) => {
    const ingest = await startIngest({
      db,
      mqttUrl: broker.url,
      clientId: broker.clientId(name),
      topicPrefix: broker.topicPrefix,
      ...common,
      ...overrides,
    });
    started.push(ingest);
    return ingest;
  };
  const ingest = start ? await another('ingest') : undefined;
  const pub = publisher === false ? undefined : await openPublisher(broker, publisher);
  return {
    db,
    broker,
    get ingest(): RunningIngest {
      if (!ingest) throw new Error('this pipeline was opened with startIngest: false');
      return ingest;
    },
    get pub(): Publisher {
      if (!pub) throw new Error('this pipeline was opened with publisher: false');
      return pub;
    },
    startIngest: another,
    async close() {
      await pub?.close();
      for (const i of started) await i.stop();
      await broker.close();
      await db.dispose();
    },
  };
}

/**
 * The pipeline for a test file: opened before its tests, closed after them. Its fields are there
 * once the file's `beforeAll` ran (inside tests and later hooks).
 */
export function useIngestPipeline(opts: PipelineOptions = {}): IngestPipeline {
  let current: IngestPipeline | undefined;
  const get = () => {
    if (!current) throw new Error('the ingest pipeline is used before beforeAll opened it');
    return current;
  };
  beforeAll(async () => {
    current = await openIngestPipeline(opts);
  });
  afterAll(async () => {
    await current?.close();
  });
  return {
    get db() {
      return get().db;
    },
    get broker() {
      return get().broker;
    },
    get ingest() {
      return get().ingest;
    },
    get pub() {
      return get().pub;
    },
    startIngest: (name, overrides) => get().startIngest(name, overrides),
    close: () => get().close(),
  };
}
