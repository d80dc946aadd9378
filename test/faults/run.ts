// `npm run test:faults`: the reliability claims, proven against real components on loopback only.
// Starts its own PostgreSQL 15 + PostGIS cluster and Mosquitto 2 (project configuration) on free
// ports, runs ingest as separate processes, injects one fault per scenario while a QoS 1 publisher
// streams check-ins, and prints one table row per scenario: published, acknowledged (PUBACKs the
// publisher received), stored (distinct ids committed), duplicates, lost (acknowledged but not
// stored) and the result. Exit code 1 when any scenario fails.
//
// FAULTS_SCALE=ci (default) keeps counts small (a few minutes in all); FAULTS_SCALE=full is the
// README's table. FAULTS_ONLY=name1,name2 runs a subset.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Db, openDatabase, postgresDb, seedDemoIfEmpty } from '@wardmap/db';
import { endSession } from '@wardmap/ingest';
import mqtt from 'mqtt';
import { stallPayload } from '../src/ingest/hostile.ts';
import {
  isKnownLimit,
  publishStream,
  type Row,
  rowOf,
  runRow,
  type Stream,
  settle,
  settleStored,
  tally,
  untilPublished,
  verdict,
} from './common.ts';
import {
  type Broker,
  cleanUpOnSignals,
  freePort,
  type NodeProc,
  onCleanup,
  type PgCluster,
  sleep,
  spawnNode,
  startBroker,
  startPgCluster,
  startWorker,
} from './infra.ts';
import { runRabbitScenarios, wantsRabbit } from './rabbit-scenarios.ts';

const FULL = process.env.FAULTS_SCALE === 'full';
const N = FULL ? 30_000 : 3_000;
const RATE = FULL ? 3_000 : 1_000; // messages per second offered by the publisher
const SETTLE_MS = FULL ? 120_000 : 60_000; // how long a scenario may take to store everything
const only = process.env.FAULTS_ONLY?.split(',').filter(Boolean);
// FAULTS_MOSQUITTO_SET="autosave_on_changes=true,autosave_interval=1" overrides settings of the
// project's Mosquitto configuration for this run (to compare durability settings).
const MOSQUITTO_SET: Record<string, string> = Object.fromEntries(
  (process.env.FAULTS_MOSQUITTO_SET ?? '')
    .split(',')
    .filter(Boolean)
    .map((kv) => kv.split('=') as [string, string]),
);

/** The suite's publisher: one client with a persistent session that reconnects to `port`. */
const stream = (
  port: number,
  tag: string,
  count: number,
  rate: number,
  auth: { username?: string; password?: string } = {},
  settleMs = SETTLE_MS,
) =>
  publishStream([{ ports: [port], clientId: `faults-pub-${tag}`, ...auth }], tag, count, { rate, settleMs });

// ---------------------------------------------------------------------------------------------
// Scenarios against the private cluster and broker

interface Env {
  pg: PgCluster;
  broker: Broker;
  dbUrl: string;
  db: Db;
}

const workers = new Set<NodeProc>();
async function worker(
  env: Env,
  clientId: string,
  extra: { share?: string; broker?: Broker; env?: Record<string, string> } = {},
) {
  const w = await startWorker({
    databaseUrl: env.dbUrl,
    mqttUrl: (extra.broker ?? env.broker).url,
    clientId,
    ...(extra.share ? { share: extra.share } : {}),
    ...(extra.env ? { extraEnv: extra.env } : {}),
  });
  workers.add(w);
  void w.exited().then(() => workers.delete(w));
  return w;
}

/** With FAULTS_DEBUG=1, the tail of each running worker's output (for a failing scenario). */
function debug(name: string): void {
  if (!process.env.FAULTS_DEBUG) return;
  for (const w of workers) console.log(`\n--- ${name}: worker output ---\n${w.output().slice(-3000)}`);
}

/** Stops a scenario's workers and ends their sessions, so later scenarios' traffic is not queued for them. */
async function cleanUp(url: string, ids: string[]): Promise<void> {
  for (const w of [...workers]) await w.kill('SIGTERM');
  for (const id of ids) await endSession(url, id).catch(() => {});
}

type Scenario = { name: string; run(env: Env): Promise<Row> };

const singleWorkerFault = (name: string, fault: (env: Env, stream: Stream) => Promise<void>): Scenario => ({
  name,
  async run(env) {
    const started = Date.now();
    const tag = `${name.toLowerCase().replace(/[^a-z0-9]+/g, '-')}-${Date.now().toString(36)}`;
    const id = `faults-${tag}`;
    await worker(env, id);
    const s = await stream(env.broker.port, tag, N, RATE);
    await fault(env, s);
    await s.done;
    // After the fault the worker may have been replaced: make sure one runs.
    if (workers.size === 0) await worker(env, id);
    const stored = await settleStored(env.db, tag, N, SETTLE_MS);
    const t = await tally(env.db, tag);
    if (stored < N) debug(name);
    await s.close();
    await cleanUp(env.broker.url, [id]);
    return rowOf(name, s, t, started, stored === N ? '' : `${stored} stored when the wait ran out`);
  },
});

/** Two workers on one $share group; one is SIGKILLed at 30 % and, after a pause, `after` runs. */
const shareWorkerKilled = (
  name: string,
  prefix: string,
  after: (env: Env, id: string, tag: string) => Promise<void>,
): Scenario => ({
  name,
  async run(env) {
    const started = Date.now();
    const tag = `${prefix}-${Date.now().toString(36)}`;
    const ids = [`faults-${tag}-a`, `faults-${tag}-b`];
    const a = await worker(env, ids[0] as string, { share: tag });
    await worker(env, ids[1] as string, { share: tag });
    const s = await stream(env.broker.port, tag, N, RATE);
    await untilPublished(s, N * 0.3);
    await a.kill('SIGKILL');
    await sleep(FULL ? 5_000 : 2_000);
    await after(env, ids[0] as string, tag);
    await s.done;
    await settleStored(env.db, tag, N, SETTLE_MS);
    const t = await tally(env.db, tag);
    await s.close();
    await cleanUp(env.broker.url, ids);
    return rowOf(name, s, t, started);
  },
});

const scenarios: Scenario[] = [
  singleWorkerFault('ingest SIGKILL loop', async (env, s) => {
    // kill -9 ingest every 2 s (full: every 5 s) while publishing, restarting it at once.
    const period = FULL ? 5_000 : 2_000;
    let kills = 0;
    while (s.published < N) {
      await sleep(period);
      const w = [...workers][0];
      if (!w) break;
      await w.kill('SIGKILL');
      kills++;
      await worker(env, `faults-${s.tag}`);
    }
    // And once more while it drains the backlog.
    const w = [...workers][0];
    if (w && kills > 0) {
      await sleep(1_500);
      await w.kill('SIGKILL');
      await worker(env, `faults-${s.tag}`);
    }
  }),
  singleWorkerFault('PostgreSQL restart -m fast', async (env, s) => {
    await untilPublished(s, N * 0.4);
    env.pg.restart('fast');
  }),
  singleWorkerFault('PostgreSQL restart -m immediate', async (env, s) => {
    await untilPublished(s, N * 0.4);
    env.pg.restart('immediate');
  }),
  singleWorkerFault('PostgreSQL outage', async (env, s) => {
    await untilPublished(s, N * 0.3);
    env.pg.stop('fast');
    await sleep(FULL ? 20_000 : 5_000);
    env.pg.start();
  }),
  singleWorkerFault('Mosquitto TERM restart', async (env, s) => {
    await untilPublished(s, N * 0.4);
    await env.broker.restart('SIGTERM');
  }),
  singleWorkerFault('Mosquitto KILL restart', async (env, s) => {
    await untilPublished(s, N * 0.4);
    await env.broker.restart('SIGKILL');
  }),
  shareWorkerKilled('$share worker killed, restarted', 'share-k', async (env, id, tag) => {
    await worker(env, id, { share: tag }); // the supervisor brings it back
  }),
  shareWorkerKilled('$share worker killed, retired', 'share-r', async (env, id, tag) => {
    // Scaled down for good: another process retires the dead worker's session.
    const r = await worker(env, id, { share: tag, env: { WARDMAP_INGEST_RETIRE: '1' } });
    await r.waitFor(/retired/);
  }),
  {
    name: 'stall payloads, in-flight window 20',
    async run(env) {
      const started = Date.now();
      // A broker with Mosquitto's default finite in-flight window: 20 unacknowledged messages
      // would stall a consumer that never acknowledges them.
      const narrow = await startBroker({ max_inflight_messages: '20' });
      const tag = `stall-${Date.now().toString(36)}`;
      const id = `faults-${tag}`;
      try {
        await worker(env, id, { broker: narrow });
        const pub = await mqtt.connectAsync(narrow.url, {
          clientId: `faults-pub-${tag}-stall`,
          protocolVersion: 4,
        });
        const stalls = FULL ? 200 : 40;
        const atIso = new Date(Date.now() - 60_000).toISOString();
        await Promise.all(
          Array.from({ length: stalls }, (_, k) =>
            pub.publishAsync('wardmap/checkin/p-0002', stallPayload(k, atIso, 5_000 + k), { qos: 1 }),
          ),
        );
        await pub.endAsync();
        // Then valid traffic: it must flow.
        const s = await stream(narrow.port, tag, N, RATE);
        await s.done;
        await settleStored(env.db, tag, N, SETTLE_MS);
        const dead = await settle(
          async () =>
            Number(
              (
                await env.db.query<{ n: number }>(
                  `SELECT count(*) AS n FROM dead_letters WHERE topic = 'wardmap/checkin/p-0002' AND stage = 'schema'
                      AND reason LIKE '%an array of 1 item%' AND received_at >= $1`,
                  [new Date(started).toISOString()],
                )
              ).rows[0]?.n ?? 0,
            ),
          stalls,
          20_000,
        );
        const t = await tally(env.db, tag);
        await s.close();
        await cleanUp(narrow.url, [id]);
        return rowOf(
          this.name,
          s,
          t,
          started,
          `${dead}/${stalls} stall payloads dead-lettered`,
          dead === stalls,
        );
      } finally {
        await narrow.destroy();
      }
    },
  },
];

// ---------------------------------------------------------------------------------------------
// The embedded stack (PGlite + Aedes, `npm start`), killed mid-stream

async function embeddedStackKilled(): Promise<Row> {
  const name = 'embedded stack SIGKILL';
  const started = Date.now();
  const dir = mkdtempSync(join(tmpdir(), 'wardmap-faults-stack-'));
  const removeDir = () => rmSync(dir, { recursive: true, force: true });
  const unregister = onCleanup(removeDir);
  const [httpPort, mqttPort] = [await freePort(), await freePort()];
  const token = 'faults-admin-token-0123456789';
  const env = {
    WARDMAP_DATA_DIR: dir,
    WARDMAP_HTTP_PORT: String(httpPort),
    WARDMAP_MQTT_PORT: String(mqttPort),
    WARDMAP_SIMULATE: '0',
    WARDMAP_ADMIN_TOKEN: token,
  };
  const start = async () => {
    const p = spawnNode('stack/src/main.ts', env);
    await p.waitFor(/http: (dashboard and )?API on/, 180_000);
    return p;
  };
  // PGlite is one process and the broker acknowledges each message only after its commit, so one
  // publisher connection moves at the pace of commits: smaller counts than the external scenarios.
  const n = FULL ? 5_000 : 500;
  const tag = `stack-${Date.now().toString(36)}`;
  let stack = await start();
  try {
    const s = await stream(
      mqttPort,
      tag,
      n,
      FULL ? 500 : 250,
      { username: 'admin', password: token },
      240_000,
    );
    await untilPublished(s, n * 0.4);
    await stack.kill('SIGKILL');
    const killedAt = Date.now();
    stack = await start();
    if (process.env.FAULTS_DEBUG)
      console.log(`restarted in ${Date.now() - killedAt} ms; ${s.acked.size} acknowledged so far`);
    await s.done;
    await s.close();
    if (process.env.FAULTS_DEBUG) console.log(`\n--- stack output ---\n${stack.output().slice(-3000)}`);
    await stack.kill('SIGTERM');
    const db = await openDatabase({ dataDir: join(dir, 'pglite') });
    const t = await tally(db, tag);
    await db.close();
    const r = rowOf(name, s, t, started);
    return { ...r, pass: r.lost === 0 && r.duplicates === 0 && r.stored === n && r.acknowledged === n };
  } finally {
    await stack.kill('SIGKILL');
    unregister();
    removeDir();
  }
}

// ---------------------------------------------------------------------------------------------

function printTable(rows: Row[]): void {
  console.log(
    `\n| scenario | published | acknowledged | stored | duplicates | lost | result | s |\n|---|---:|---:|---:|---:|---:|---|---:|`,
  );
  for (const r of rows) {
    console.log(
      `| ${r.scenario} | ${r.published} | ${r.acknowledged} | ${r.stored} | ${r.duplicates} | ${r.lost} | ${verdict(r)}${r.extra ? ` (${r.extra})` : ''} | ${r.seconds} |`,
    );
  }
}

async function main() {
  const t0 = Date.now();
  // SIGINT / SIGTERM / SIGHUP: stop the private PostgreSQL, Mosquitto, RabbitMQ nodes and workers and
  // remove their directories (each registered its cleanup in infra.ts), then exit 128 + signal.
  cleanUpOnSignals();
  console.log(
    `fault suite (${FULL ? 'full' : 'ci'} scale: ${N} messages per scenario at ${RATE}/s), loopback only`,
  );
  const pg = await startPgCluster();
  const broker = await startBroker(MOSQUITTO_SET);
  if (Object.keys(MOSQUITTO_SET).length)
    console.log(`Mosquitto settings overridden: ${JSON.stringify(MOSQUITTO_SET)}`);
  const rows: Row[] = [];
  let db: Db | undefined;
  try {
    const admin = postgresDb(pg.url(), { max: 1 });
    await admin.query('CREATE DATABASE wardmap');
    await admin.close();
    const dbUrl = pg.url('wardmap');
    db = await openDatabase({ databaseUrl: dbUrl, maxConnections: 2 });
    await seedDemoIfEmpty(db, { password: 'faults-demo' });
    const env: Env = { pg, broker, dbUrl, db };
    console.log(
      `private PostgreSQL on ${pg.port}, Mosquitto on ${broker.port}; ready in ${Math.round((Date.now() - t0) / 1000)} s`,
    );
    for (const sc of scenarios) {
      if (only && !only.some((o) => sc.name.toLowerCase().includes(o.toLowerCase()))) continue;
      rows.push(
        await runRow(
          sc.name,
          () => sc.run(env),
          async () => {
            for (const w of [...workers]) await w.kill('SIGKILL');
          },
        ),
      );
    }
    // RabbitMQ cluster scenarios (their own private 3-node cluster): rabbit-scenarios.ts.
    if (wantsRabbit(only)) rows.push(...(await runRabbitScenarios({ dbUrl, db, full: FULL, only })));
    if (!only || only.some((o) => 'embedded stack sigkill'.includes(o.toLowerCase())))
      rows.push(await runRow('embedded stack SIGKILL', embeddedStackKilled));
  } finally {
    for (const w of [...workers]) await w.kill('SIGKILL');
    await db?.close().catch(() => {});
    await broker.destroy();
    pg.destroy();
  }
  printTable(rows);
  const failed = rows.filter((r) => !r.pass);
  const gaps = failed.filter(isKnownLimit);
  console.log(
    `\n${rows.length - failed.length}/${rows.length} scenarios passed${gaps.length ? ` (${gaps.length} known limit)` : ''} in ${Math.round((Date.now() - t0) / 1000)} s`,
  );
  if (gaps.length) {
    console.log(
      `\n!!!!! KNOWN LIMIT: ${gaps.map((r) => `${r.scenario} lost ${r.lost} acknowledged messages`).join('; ')} — Mosquitto 2.0 acknowledges before it saves its store; not counted as a failure !!!!!`,
    );
  }
  process.exit(failed.length > gaps.length ? 1 : 0);
}

await main();
