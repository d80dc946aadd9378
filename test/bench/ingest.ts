// `npm run bench:ingest`: ingest throughput and publish->commit latency, against real Mosquitto +
// PostGIS when MQTT_URL / DATABASE_URL are set (the database is migrated and seeded here), else
// embedded Aedes + PGlite. The publisher is a separate process (this file with --publish). In the
// same run: a naive baseline (one INSERT per message, ack on receipt) and the database's raw
// multi-row INSERT floor, printed as ratios.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { type Db, openDatabase, seedDemoIfEmpty } from '@wardmap/db';
import { type BatchEntry, startEmbeddedBroker, startIngest } from '@wardmap/ingest';
import mqtt from 'mqtt';
import { INGEST_NODE_ARGS } from '../../ingest/src/config.ts';
import { type Broker, freePort, spawnNode, startBroker } from '../faults/infra.ts';
import { runRabbitLeg } from './ingest-rabbit.ts';

const PERSONS = Array.from({ length: 200 }, (_, i) => `p-${String(i + 2).padStart(4, '0')}`);
const point = (i: number): [number, number] => [121.6 + (i % 97) * 0.0009, 29.74 + (i % 89) * 0.0009];

/** Publisher process: `--publish <url> <run> <count> <rate|0>`; prints progress and "done". */
async function publisher() {
  const [, , , url, run, countArg, rateArg, communityFile] = process.argv as string[];
  // With a person -> community map (JSON), devices publish the community form of their topic.
  const communityOf: Record<string, string> = communityFile
    ? JSON.parse(readFileSync(communityFile, 'utf8'))
    : {};
  const topicOf = (person: string) =>
    communityOf[person]
      ? `wardmap/community/${communityOf[person]}/checkin/${person}`
      : `wardmap/checkin/${person}`;
  const total = Number(countArg);
  const rate = Number(rateArg);
  const client = await mqtt.connectAsync(url as string, { clientId: `bench-pub-${run}`, protocolVersion: 4 });
  const t0 = Date.now();
  const window: Promise<unknown>[] = [];
  for (let i = 0; i < total; i++) {
    if (rate > 0 && i % 20 === 0) {
      const due = t0 + (i / rate) * 1000;
      if (due > Date.now()) await new Promise((r) => setTimeout(r, due - Date.now()));
    }
    const [lon, lat] = point(i);
    const sent = Date.now();
    const body = `{"id":"${run}-${i}-${sent}","location":[${lon},${lat}],"at":${sent},"battery":80}`;
    window.push(client.publishAsync(topicOf(PERSONS[i % PERSONS.length] as string), body, { qos: 1 }));
    if (window.length >= 1000) await Promise.all(window.splice(0, 500));
  }
  await Promise.all(window);
  await client.endAsync();
  console.log(`done ${total} in ${Date.now() - t0} ms`);
}

interface Result {
  /** Communities one batch wrote to, on average (the RabbitMQ legs). */
  communitiesPerBatch?: number;
  /** Peak resident set size of the ingest process while it drained the backlog, MiB. */
  peakRssMb?: number;
  /** Publishing the backlog (ingest away): messages per second the broker acknowledged. */
  publishRate?: number;
  label: string;
  count: number;
  seconds: number;
  rate: number;
  p50: number;
  p99: number;
}

const pct = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))] ?? Number.NaN;

/** Runs the publisher process; resolves with its own publishing time in ms (process start-up excluded). */
function publish(
  url: string,
  run: string,
  count: number,
  rate: number,
  communityFile?: string,
): Promise<number> {
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      [
        '--import',
        'tsx',
        fileURLToPath(import.meta.url),
        '--publish',
        url,
        run,
        String(count),
        String(rate),
        ...(communityFile ? [communityFile] : []),
      ],
      {
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    let ms = Number.NaN;
    p.stdout?.on('data', (d) => {
      process.stdout.write(`  publisher: ${d}`);
      const m = String(d).match(/done \d+ in (\d+) ms/);
      if (m) ms = Number(m[1]);
    });
    p.on('exit', (code) => (code === 0 ? resolve(ms) : reject(new Error(`publisher exited ${code}`))));
  });
}

/** Tracks commits of one run: latency from the send time carried in the message id. */
function tracker(run: string, count: number, label: string) {
  const lat: number[] = [];
  let first = 0;
  let last = 0;
  let resolve: () => void = () => {};
  const done = new Promise<void>((r) => {
    resolve = r;
  });
  let depth: () => number = () => Number.NaN;
  const progress = setInterval(() => {
    // Only Wardmap's ingest has a buffer to report; the naive baseline holds nothing.
    const held = depth();
    const rss = Math.round(process.memoryUsage().rss / 1024 / 1024);
    console.log(
      `  ${label}: ${lat.length}/${count} committed${Number.isNaN(held) ? '' : `, ${held} held in ingest`}, RSS ${rss} MiB`,
    );
  }, 1000);
  return {
    done,
    watch(held: () => number) {
      depth = held;
    },
    committed(ids: string[]) {
      const now = Date.now();
      for (const id of ids) {
        if (!id.startsWith(`${run}-`)) continue;
        if (!first) first = now;
        lat.push(now - Number(id.slice(id.lastIndexOf('-') + 1)));
      }
      last = now;
      if (lat.length >= count) resolve();
    },
    result(startedAt: number): Result {
      clearInterval(progress);
      const sorted = [...lat].sort((a, b) => a - b);
      // Sustained rate: from the first commit to the last (publisher process start-up excluded).
      const seconds = (last - (first || startedAt)) / 1000;
      return {
        label,
        count: lat.length,
        seconds,
        rate: lat.length / seconds,
        p50: pct(sorted, 0.5),
        p99: pct(sorted, 0.99),
      };
    },
  };
}

async function runWardmap(db: Db, url: string, label: string, count: number, rate: number): Promise<Result> {
  const run = `w${Date.now().toString(36)}`;
  const t = tracker(run, count, label);
  const ingest = await startIngest({
    db,
    mqttUrl: url,
    clientId: `bench-ingest-${run}`,
    onCommit: (entries) =>
      t.committed(
        entries.map((e) => (e.decoded.ok && 'messageId' in e.decoded.item ? e.decoded.item.messageId : '')),
      ),
  });
  t.watch(() => ingest.stats().buffered);
  const started = Date.now();
  await publish(url, run, count, rate);
  await t.done;
  const r = t.result(started);
  await ingest.stop();
  await forgetSession(url, `bench-ingest-${run}`);
  return r;
}

/**
 * Discards a run's persistent session. Left behind, it would stay subscribed on the broker and,
 * with Mosquitto's `max_queued_messages 0`, queue a copy of every later message forever (each
 * later run then pays for every earlier one).
 */
async function forgetSession(url: string, clientId: string): Promise<void> {
  const c = await mqtt.connectAsync(url, { clientId, clean: true, protocolVersion: 4, reconnectPeriod: 0 });
  await c.endAsync();
}

/**
 * Ingest's own capacity, without the publisher competing for the same two cores: the messages are
 * published while ingest is away (its persistent session queues them on the broker), then ingest
 * starts and drains the backlog. Latency is meaningless here (the messages waited on purpose).
 */
async function runDrain(db: Db, url: string, label: string, count: number): Promise<Result> {
  const run = `d${Date.now().toString(36)}`;
  const clientId = `bench-ingest-${run}`;
  const t = tracker(run, count, label);
  const opts = {
    db,
    mqttUrl: url,
    clientId,
    onCommit: (entries: readonly BatchEntry[]) =>
      t.committed(
        entries.map((e) => (e.decoded.ok && 'messageId' in e.decoded.item ? e.decoded.item.messageId : '')),
      ),
  };
  await (await startIngest(opts)).stop();
  const publishRate = count / ((await publish(url, run, count, 0)) / 1000);
  const started = Date.now();
  let peak = process.memoryUsage().rss;
  const sampler = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage().rss);
  }, 50);
  const ingest = await startIngest(opts);
  t.watch(() => ingest.stats().buffered);
  await t.done;
  clearInterval(sampler);
  const r = { ...t.result(started), peakRssMb: Math.round(peak / 1024 / 1024), publishRate };
  console.log(`  peak RSS of this process (ingest in-process) while draining ${count}: ${r.peakRssMb} MiB`);
  await ingest.stop();
  await forgetSession(url, clientId);
  return { ...r, p50: Number.NaN, p99: Number.NaN };
}

/** A field of /proc/<pid>/status in MiB (VmRSS now, VmHWM the peak so far); NaN when unreadable. */
function procMb(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = readFileSync(`/proc/${pid}/status`, 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    return m ? Number(m[1]) / 1024 : Number.NaN;
  } catch {
    return Number.NaN;
  }
}

/** Unlabelled samples of a Prometheus text page. */
async function scrape(port: number): Promise<Map<string, number>> {
  const text = await (await fetch(`http://127.0.0.1:${port}/metrics`)).text();
  const out = new Map<string, number>();
  for (const line of text.split('\n')) {
    const m = line.match(/^([a-z_]+) ([0-9.e+-]+)$/);
    if (m) out.set(m[1] as string, Number(m[2]));
  }
  return out;
}

interface DrainVariant {
  label: string;
  nodeArgs: string[];
  env: Record<string, string>;
}

/** How the standalone ingest ran before the memory work (node's default heap, 32 MiB buffer), and now. */
const DRAIN_VARIANTS: Record<string, DrainVariant> = {
  before: {
    label: 'before: default V8 heap, buffer 20,000 messages / 32 MiB',
    nodeArgs: [],
    env: { WARDMAP_INGEST_BUFFER: '20000', WARDMAP_INGEST_BUFFER_MB: '32' },
  },
  shipped: {
    label: `shipped: ${INGEST_NODE_ARGS.join(' ')}, buffer 8,000 messages / 16 MiB`,
    nodeArgs: INGEST_NODE_ARGS,
    env: {},
  },
};

/**
 * The backlog drain with ingest as its own process (ingest/src/main.ts, launched like production),
 * so its resident memory is ingest's alone: the kernel's peak (VmHWM, start-up included) and the
 * V8 heap / external split sampled from its /metrics while it drains.
 */
async function runDrainProcess(
  db: Db,
  databaseUrl: string,
  url: string,
  variant: DrainVariant,
  count: number,
): Promise<Result> {
  const run = `d${Date.now().toString(36)}`;
  const clientId = `bench-ingest-${run}`;
  await (await startIngest({ db, mqttUrl: url, clientId })).stop(); // the session that queues the backlog
  const publishRate = count / ((await publish(url, run, count, 0)) / 1000);
  const port = await freePort();
  const w = spawnNode(
    'ingest/src/main.ts',
    {
      DATABASE_URL: databaseUrl,
      MQTT_URL: url,
      WARDMAP_INGEST_CLIENT_ID: clientId,
      WARDMAP_INGEST_METRICS_PORT: String(port),
      ...variant.env,
    },
    variant.nodeArgs,
  );
  const pid = w.proc.pid as number;
  let first = 0;
  let last = 0;
  let done = 0;
  const peak = { rss: 0, heapTotal: 0, heapUsed: 0, external: 0 };
  const mb = (n: number | undefined) => (n ?? 0) / 1024 / 1024;
  let lastLog = 0;
  const deadline = Date.now() + 600_000;
  // Done when every message's batch committed (the session's backlog is all this run's messages).
  for (;;) {
    const m = await scrape(port).catch(() => new Map<string, number>());
    const committed = m.get('wardmap_ingest_messages_committed_total') ?? 0;
    const now = Date.now();
    if (committed > 0 && !first) first = now;
    if (committed > done) last = now;
    done = committed;
    peak.rss = Math.max(peak.rss, procMb(pid, 'VmRSS'));
    peak.heapTotal = Math.max(peak.heapTotal, mb(m.get('nodejs_heap_size_total_bytes')));
    peak.heapUsed = Math.max(peak.heapUsed, mb(m.get('nodejs_heap_size_used_bytes')));
    peak.external = Math.max(peak.external, mb(m.get('nodejs_external_memory_bytes')));
    if (now - lastLog >= 1000 && m.size) {
      lastLog = now;
      console.log(
        `  ${variant.label}: ${done}/${count} written, RSS ${Math.round(procMb(pid, 'VmRSS'))} MiB (heap ${Math.round(mb(m.get('nodejs_heap_size_used_bytes')))}/${Math.round(mb(m.get('nodejs_heap_size_total_bytes')))} MiB, external ${Math.round(mb(m.get('nodejs_external_memory_bytes')))} MiB)`,
      );
    }
    if (done >= count || now > deadline) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const hwm = procMb(pid, 'VmHWM');
  await w.kill('SIGTERM');
  await forgetSession(url, clientId);
  const seconds = (last - first) / 1000;
  const stored = Number(
    (
      await db.query<{ n: string }>('SELECT count(*) AS n FROM checkins WHERE message_id LIKE $1', [
        `${run}-%`,
      ])
    ).rows[0]?.n,
  );
  console.log(
    `  ${variant.label}: ${stored}/${count} stored in ${seconds.toFixed(1)} s; peak RSS ${Math.round(hwm)} MiB (kernel VmHWM, start-up included; sampled while draining ${Math.round(peak.rss)}), ` +
      `peak V8 heap ${Math.round(peak.heapUsed)} used / ${Math.round(peak.heapTotal)} reserved, peak external ${Math.round(peak.external)} MiB — target < 200 MB: ${hwm * 1.048576 < 200 ? 'met' : 'NOT met'}`,
  );
  return {
    label: `draining a ${count} backlog, ingest process — ${variant.label}`,
    count: done,
    seconds,
    rate: done / seconds,
    p50: Number.NaN,
    p99: Number.NaN,
    peakRssMb: Math.round(hwm),
    publishRate,
  };
}

/** Mosquitto settings compared by BENCH_ONLY=autosave (the first is the baseline of the ratios). */
const AUTOSAVE_VARIANTS: Array<{ label: string; conf: Record<string, string> }> = [
  { label: '`autosave_interval 30`', conf: { autosave_interval: '30', autosave_on_changes: 'false' } },
  { label: '`autosave_interval 1`', conf: { autosave_interval: '1', autosave_on_changes: 'false' } },
  {
    label: '`autosave_on_changes true`, `autosave_interval 1`',
    conf: { autosave_interval: '1', autosave_on_changes: 'true' },
  },
];

/**
 * The cost of Mosquitto's save settings, each on a private Mosquitto with the project's
 * configuration: live ingest at maximum rate, publishing a backlog while ingest is away, and the
 * drain of that backlog.
 */
async function runAutosave(db: Db, count: number): Promise<void> {
  const rows: Array<{ label: string; live: Result; drain: Result }> = [];
  for (const v of AUTOSAVE_VARIANTS) {
    const broker = await startBroker(v.conf);
    console.log(`\n${v.label} (Mosquitto on ${broker.port})`);
    try {
      const live = await runWardmap(db, broker.url, `live, ${v.label}`, count, 0);
      const drain = await runDrain(db, broker.url, `drain, ${v.label}`, count);
      rows.push({ label: v.label, live, drain });
    } finally {
      await broker.destroy();
    }
  }
  const base = rows[0] as (typeof rows)[number];
  const ratio = (a: number, b: number) => `${(a / b).toFixed(2)}×`;
  console.log(
    `\n| Mosquitto (${count} messages) | live ingest, max rate | p50 / p99 ms | publishing a backlog (ingest away) | draining it |\n|---|---:|---:|---:|---:|`,
  );
  for (const r of rows) {
    const pr = r.drain.publishRate ?? Number.NaN;
    const bpr = base.drain.publishRate ?? Number.NaN;
    console.log(
      `| ${r.label} | ${Math.round(r.live.rate)} msg/s (${ratio(r.live.rate, base.live.rate)}) | ${r.live.p50} / ${r.live.p99} | ${Math.round(pr)} msg/s (${ratio(pr, bpr)}) | ${Math.round(r.drain.rate)} msg/s (${ratio(r.drain.rate, base.drain.rate)}) |`,
    );
  }
}

async function runNaive(db: Db, url: string, label: string, count: number, rate: number): Promise<Result> {
  const run = `n${Date.now().toString(36)}`;
  const t = tracker(run, count, label);
  // The obvious implementation: default MQTT.js handling (PUBACK on receipt), one INSERT each.
  const client = await mqtt.connectAsync(url, {
    clientId: `bench-naive-${run}`,
    protocolVersion: 4,
    clean: true,
  });
  let chain = Promise.resolve();
  client.on('message', (_topic, payload, packet) => {
    chain = chain.then(async () => {
      const m = JSON.parse(payload.toString()) as {
        id: string;
        location: [number, number];
        at: number;
        battery: number;
      };
      const person = packet.topic.split('/')[2];
      await db.query(
        `INSERT INTO checkins (message_id, person_id, geom, battery, at, grid_id, community_id)
         SELECT $1, $2, p, $5, $6, (SELECT id FROM grids WHERE ST_Intersects(geom, p) LIMIT 1),
                (SELECT community_id FROM grids WHERE ST_Intersects(geom, p) LIMIT 1)
           FROM ST_SetSRID(ST_MakePoint($3, $4), 4326) AS p
         ON CONFLICT DO NOTHING`,
        [m.id, person, m.location[0], m.location[1], m.battery, new Date(m.at).toISOString()],
      );
      t.committed([m.id]);
    });
  });
  await client.subscribeAsync('wardmap/checkin/+', { qos: 1 });
  const started = Date.now();
  await publish(url, run, count, rate);
  await t.done;
  const r = t.result(started);
  await client.endAsync();
  return r;
}

/** The database alone: multi-row INSERT of the same rows in batches of 2000, no MQTT, no enrichment. */
async function runFloor(db: Db, count: number): Promise<Result> {
  const run = `f${Date.now().toString(36)}`;
  const started = Date.now();
  for (let off = 0; off < count; off += 2000) {
    const n = Math.min(2000, count - off);
    const idx = Array.from({ length: n }, (_, k) => off + k);
    await db.query(
      `INSERT INTO checkins (message_id, person_id, geom, battery, at)
       SELECT id, person, ST_SetSRID(ST_MakePoint(lon, lat), 4326), 80, at
         FROM unnest($1::text[], $2::text[], $3::float8[], $4::float8[], $5::timestamptz[]) AS t(id, person, lon, lat, at)
       ON CONFLICT DO NOTHING`,
      [
        idx.map((i) => `${run}-${i}`),
        idx.map((i) => PERSONS[i % PERSONS.length]),
        idx.map((i) => point(i)[0]),
        idx.map((i) => point(i)[1]),
        idx.map(() => new Date().toISOString()),
      ],
    );
  }
  const seconds = (Date.now() - started) / 1000;
  return {
    label: 'raw multi-row INSERT (DB floor)',
    count,
    seconds,
    rate: count / seconds,
    p50: Number.NaN,
    p99: Number.NaN,
  };
}

async function main() {
  const databaseUrl = process.env.DATABASE_URL;
  // BENCH_MOSQUITTO=1: a private Mosquitto with the project's configuration on a free port
  // (BENCH_MOSQUITTO_SET="autosave_interval=30,autosave_on_changes=false" overrides settings).
  const privateBroker = process.env.BENCH_MOSQUITTO === '1';
  const real = !!databaseUrl && (!!process.env.MQTT_URL || privateBroker);
  const scale = Number(process.env.BENCH_SCALE ?? (real ? 1 : 0.3));
  const db = await openDatabase({ databaseUrl, maxConnections: 4 });
  await seedDemoIfEmpty(db);
  const only = process.env.BENCH_ONLY;
  if (only === 'autosave') {
    if (!databaseUrl)
      throw new Error('BENCH_ONLY=autosave needs DATABASE_URL (it starts its own Mosquittos)');
    console.log('ingest benchmark: Mosquitto save settings, PostgreSQL + PostGIS');
    await runAutosave(db, Number(process.env.BENCH_AUTOSAVE_N ?? 20_000));
    return cleanUp(db, undefined);
  }
  const mosquitto: Broker | undefined = privateBroker
    ? await startBroker(
        Object.fromEntries(
          (process.env.BENCH_MOSQUITTO_SET ?? '')
            .split(',')
            .filter(Boolean)
            .map((kv) => kv.split('=') as [string, string]),
        ),
      )
    : undefined;
  const broker = process.env.MQTT_URL || mosquitto ? undefined : await startEmbeddedBroker({ port: 0 });
  const url = mosquitto?.url ?? process.env.MQTT_URL ?? (broker?.url as string);
  console.log(
    `ingest benchmark: ${databaseUrl ? 'PostgreSQL + PostGIS' : 'PGlite + PostGIS'}, ${broker ? 'embedded Aedes' : `MQTT ${url}${mosquitto ? ' (private Mosquitto, project configuration)' : ''}`}`,
  );
  const maxN = Math.round(60_000 * scale);
  const fixedN = Math.round(20_000 * Math.max(scale, 0.5));
  const naiveN = Math.round(10_000 * scale);
  // BENCH_ONLY=max (or drain, or memory) runs just that (for profiling); the summary needs all six.
  const results: Result[] = [];
  if (only === 'memory') {
    // The drain as a separate ingest process, before and after the memory bounds, on one backlog
    // size (BENCH_DRAIN, default 200k): peak RSS against the 200 MB target, and throughput.
    if (!real || !databaseUrl) throw new Error('BENCH_ONLY=memory needs DATABASE_URL and a Mosquitto');
    const n = Number(process.env.BENCH_DRAIN ?? 200_000);
    const names = (process.env.BENCH_DRAIN_VARIANTS ?? 'before,shipped').split(',');
    // `custom`: node arguments from BENCH_DRAIN_ARGS, environment from BENCH_DRAIN_ENV (K=V,K=V).
    DRAIN_VARIANTS.custom = {
      label: `custom: ${process.env.BENCH_DRAIN_ARGS ?? ''} ${process.env.BENCH_DRAIN_ENV ?? ''}`.trim(),
      nodeArgs: (process.env.BENCH_DRAIN_ARGS ?? '').split(' ').filter(Boolean),
      env: Object.fromEntries(
        (process.env.BENCH_DRAIN_ENV ?? '')
          .split(',')
          .filter(Boolean)
          .map((kv) => kv.split('=') as [string, string]),
      ),
    };
    for (const name of names) {
      const v = DRAIN_VARIANTS[name];
      if (!v) throw new Error(`unknown drain variant ${name}`);
      results.push(await runDrainProcess(db, databaseUrl, url, v, n));
    }
  }
  if (only !== 'drain' && only !== 'memory')
    results.push(await runWardmap(db, url, 'wardmap ingest, max rate', maxN, 0));
  if (only !== 'max' && only !== 'memory')
    results.push(
      real && databaseUrl
        ? await runDrainProcess(
            db,
            databaseUrl,
            url,
            DRAIN_VARIANTS.shipped as DrainVariant,
            Number(process.env.BENCH_DRAIN ?? maxN),
          )
        : await runDrain(
            db,
            url,
            'wardmap ingest, draining a broker backlog',
            Number(process.env.BENCH_DRAIN ?? maxN),
          ),
    );
  if (!only) {
    results.push(await runWardmap(db, url, 'wardmap ingest, 2000/s', fixedN, 2000));
    results.push(await runNaive(db, url, 'naive (INSERT each, ack on receipt), max rate', naiveN, 0));
    results.push(await runNaive(db, url, 'naive, 2000/s', Math.round(10_000 * Math.max(scale, 0.5)), 2000));
    results.push(await runFloor(db, maxN));
  }
  // The same ingest through a private RabbitMQ cluster (ingest-rabbit.ts); BENCH_ONLY=rabbit: with max + drain only.
  const viaRabbit = !only || only === 'rabbit' ? await runRabbitLeg(db, maxN, { tracker, publish }) : [];
  console.log(
    '\n| run | messages | seconds | msg/s | p50 ms | p99 ms | peak RSS MiB |\n|---|---:|---:|---:|---:|---:|---:|',
  );
  for (const r of [...results, ...viaRabbit]) {
    console.log(
      `| ${r.label} | ${r.count} | ${r.seconds.toFixed(1)} | ${Math.round(r.rate)} | ${Number.isNaN(r.p50) ? '—' : r.p50} | ${Number.isNaN(r.p99) ? '—' : r.p99} | ${r.peakRssMb ?? '—'} |`,
    );
  }
  if (only === 'memory' && results.length > 1) {
    const [b, ...rest] = results as [Result, ...Result[]];
    for (const r of rest) {
      console.log(
        `\n${r.label} vs ${b.label}: peak RSS ${r.peakRssMb} vs ${b.peakRssMb} MiB (${((r.peakRssMb ?? 0) / (b.peakRssMb ?? 1)).toFixed(2)}×; target < 200 MB = 190.7 MiB), drain ${Math.round(r.rate)} vs ${Math.round(b.rate)} msg/s (${(r.rate / b.rate).toFixed(2)}×)`,
      );
    }
  }
  const [rq, rd, rc] = viaRabbit;
  if (rq && rd && results[0] && results[1]) {
    console.log(
      `\nthrough RabbitMQ (3 nodes, quorum queues, AMQP) vs Mosquitto: ${Math.round(rq.rate)} vs ${Math.round(results[0].rate)} msg/s at max rate; ${Math.round(rd.rate)} vs ${Math.round(results[1].rate)} msg/s draining a backlog`,
    );
  }
  if (rd && rc) {
    console.log(
      `RabbitMQ backlog, community topics vs device topics: ${Math.round(rc.rate)} vs ${Math.round(rd.rate)} msg/s (${(rc.rate / rd.rate).toFixed(2)}×); communities per batch ${rc.communitiesPerBatch?.toFixed(1)} vs ${rd.communitiesPerBatch?.toFixed(1)}`,
    );
  }
  if (only) return cleanUp(db, broker, mosquitto);
  const [w, d, w2k, n, n2k, f] = results as [Result, Result, Result, Result, Result, Result];
  console.log(
    `\nwardmap / naive throughput: ${(w.rate / n.rate).toFixed(1)}x; wardmap / DB floor: ${(w.rate / f.rate).toFixed(2)}; backlog drain / DB floor: ${(d.rate / f.rate).toFixed(2)}`,
  );
  console.log(`at 2000/s: wardmap p99 ${w2k.p99} ms vs naive p99 ${n2k.p99} ms`);
  console.log(
    `targets (real Mosquitto + PostGIS): >= 20000 msg/s sustained -> ${Math.round(w.rate)} with the publisher on the same cores, ${Math.round(d.rate)} draining a backlog; p99 < 150 ms at 2000/s -> ${w2k.p99} ms`,
  );
  await cleanUp(db, broker, mosquitto);
}

async function cleanUp(
  db: Db,
  broker: { close(): Promise<void> } | undefined,
  mosquitto?: Broker,
): Promise<void> {
  await db.query(`DELETE FROM checkins WHERE message_id ~ '^[wdnfr][0-9a-z]+-'`);
  await db.query(`DELETE FROM checkin_claims WHERE message_id ~ '^[wdnfr][0-9a-z]+-'`);
  await db.query(`DELETE FROM positions`);
  await broker?.close();
  await mosquitto?.destroy();
  await db.close();
}

// Dispatch last: top-level await must not run before the constants above are initialised.
if (process.argv.includes('--publish')) await publisher();
else await main();
