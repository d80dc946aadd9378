// `npm run bench:dashboard`: the operations map in headless Chromium against the real stack.
//
//  1. first map: navigation -> map style + tiles loaded + live stream `live` (target < 3 s), and the
//     JavaScript the map page downloads, gzip, fonts apart, against a budget;
//  2. synthetic load: 1,000 and 10,000 live patrollers each moving once a second, drawn by Wardmap's
//     layer (merge by id, adaptive flush, binary deck.gl attributes) and by a naive baseline (a
//     MapLibre GeoJSON source whose whole collection is setData() per update batch), measured in
//     the same run: main-thread busy % (CDP TaskDuration / wall time), long tasks (> 50 ms) per
//     minute, p95 frame interval. Targets at 10,000: busy < 25% and >= 4x less than the baseline;
//  3. publish-to-map latency at 2,000 msg/s through the real stack (MQTT QoS 1 -> ingest -> PostGIS
//     -> NOTIFY -> SSE -> the page's flush into the layer): p50 / p99 (target p99 < 1 s).
//
// Embedded PGlite unless DATABASE_URL is set (then that database is created if needed, used and
// its bench rows removed). Knobs: BENCH_SECONDS (per synthetic run, default 12), BENCH_SIZES
// (default 1000,10000), BENCH_RATE (default 2000), BENCH_RATE_SECONDS (default 8).
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import mqtt from 'mqtt';
import pg from 'pg';
import { type CDPSession, chromium, type Page } from 'playwright-core';
import { DASHBOARD_DIST } from '../../stack/src/dashboard/build.ts';

const CHROMIUM = process.env.WARDMAP_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SECONDS = Number(process.env.BENCH_SECONDS ?? 12);
const SIZES = (process.env.BENCH_SIZES ?? '1000,10000').split(',').map(Number);
const RATE = Number(process.env.BENCH_RATE ?? 2000);
const RATE_SECONDS = Number(process.env.BENCH_RATE_SECONDS ?? 8);
const ADMIN_TOKEN = 'bench-dashboard-admin-token';
/** Gzip JS budget of the map page, fonts apart (see README: MapLibre + deck.gl + React). */
const JS_BUDGET_KB = 650;
const log = (line: string) => console.log(`[bench:dashboard] ${line}`);

const pct = (xs: number[], p: number) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))] ?? Number.NaN;
};

async function ensureDatabase(url: string): Promise<void> {
  const target = new URL(url);
  const admin = new URL(url);
  admin.pathname = '/postgres';
  const client = new pg.Client({ connectionString: admin.toString() });
  await client.connect();
  try {
    const name = decodeURIComponent(target.pathname.slice(1));
    const exists = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (exists.rowCount === 0) await client.query(`CREATE DATABASE ${pg.escapeIdentifier(name)}`);
  } finally {
    await client.end();
  }
}

/** Seconds the renderer's main thread spent in tasks, and of that in JavaScript, so far. */
async function taskSeconds(cdp: CDPSession): Promise<{ task: number; script: number }> {
  const { metrics } = await cdp.send('Performance.getMetrics');
  const m = (name: string) => metrics.find((x) => x.name === name)?.value ?? 0;
  return { task: m('TaskDuration'), script: m('ScriptDuration') };
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const port = (srv.address() as { port: number }).port;
      srv.close(() => resolve(port));
    });
  });
}

/** `npm start` as a separate process (the browser, the publisher and the server do not share a thread). */
async function startServer(
  env: Record<string, string>,
): Promise<{ child: ChildProcess; http: number; mqtt: string }> {
  const [http, mqttPort] = [await freePort(), await freePort()];
  const child = spawn(process.execPath, ['--import', 'tsx', 'stack/src/main.ts'], {
    env: { ...process.env, ...env, WARDMAP_HTTP_PORT: String(http), WARDMAP_MQTT_PORT: String(mqttPort) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const mqttUrl = process.env.MQTT_URL ?? `mqtt://127.0.0.1:${mqttPort}`;
  await new Promise<void>((resolve, reject) => {
    let seen = '';
    const onData = (b: Buffer) => {
      seen += b.toString();
      for (const line of b.toString().split('\n'))
        if (/dashboard:|error|cannot/i.test(line)) log(`stack: ${line.trim()}`);
      if (seen.includes('http: dashboard and API on')) resolve();
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    child.once('exit', (code) => reject(new Error(`the stack exited with ${code}:\n${seen.slice(-2000)}`)));
  });
  return { child, http, mqtt: mqttUrl };
}

interface Run {
  n: number;
  mode: string;
  busyPct: number;
  /** JavaScript only (the layer's own work; the rest is the browser drawing). */
  scriptPct: number;
  /** The machine's 1-minute load average during the run (2 cores). */
  load: number;
  longPerMin: number;
  p95Frame: number;
  updatesPerS: number;
}

async function main() {
  const started = Date.now();
  const url = process.env.DATABASE_URL;
  if (url) await ensureDatabase(url);
  const dir = await mkdtemp(join(tmpdir(), 'wardmap-bench-dash-'));
  log(`starting the stack (${url ? 'PostgreSQL' : 'embedded PGlite'}, simulator off)…`);
  const server = await startServer({
    ...(url ? { DATABASE_URL: url } : {}),
    WARDMAP_DATA_DIR: dir,
    WARDMAP_SIMULATE: '0',
    WARDMAP_ADMIN_TOKEN: ADMIN_TOKEN,
  });
  const base = `http://127.0.0.1:${server.http}`;
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const out: string[] = [];
  try {
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    const page = await context.newPage();
    // Sign in once (the token is kept for the tab), then measure a fresh navigation.
    await page.goto(`${base}/`);
    await page.getByTestId('login-id').fill('p-0001');
    await page.getByTestId('login-password').fill('wardmap-demo');
    await page.getByTestId('login-submit').click();
    await page.getByTestId('map').waitFor();

    // 1. First map and the JS it downloads.
    const js = new Set<string>();
    page.on('response', (r) => {
      const u = new URL(r.url());
      if (/\.m?js$/.test(u.pathname)) js.add(u.pathname);
    });
    await page.goto(`${base}/?bench=latency`, { waitUntil: 'commit' });
    await page.waitForFunction(
      () => {
        const m = window.__wardmapMap;
        const live =
          document.querySelector('[data-testid="live-status"]')?.getAttribute('data-state') === 'live';
        return live && m?.loaded() && m.areTilesLoaded();
      },
      null,
      { timeout: 30_000, polling: 20 },
    );
    const firstMap = await page.evaluate(() => performance.now());
    const slowest = await page.evaluate(() =>
      (performance.getEntriesByType('resource') as PerformanceResourceTiming[])
        .filter((e) => e.name.includes('/api/'))
        .sort((a, b) => b.duration - a.duration)
        .slice(0, 4)
        .map((e) => `${new URL(e.name).pathname} ${e.duration.toFixed(0)} ms`),
    );
    log(`slowest API requests of the first map: ${slowest.join(', ')}`);
    let gz = 0;
    for (const p of js) {
      const file = await readFile(join(DASHBOARD_DIST, p)).catch(() => undefined);
      if (file) gz += gzipSync(file, { level: 9 }).length;
    }
    const gzKb = gz / 1024;
    out.push(
      `first map (navigation -> style, tiles and live stream ready): ${firstMap.toFixed(0)} ms (target < 3000: ${firstMap < 3000 ? 'met' : 'missed'})`,
    );
    out.push(
      `map page JavaScript: ${js.size} files, ${gzKb.toFixed(0)} KB gzip, fonts apart (budget ${JS_BUDGET_KB} KB: ${gzKb <= JS_BUDGET_KB ? 'within' : 'over'})`,
    );
    log(out.at(-2)!);
    log(out.at(-1)!);

    // 3. Publish-to-map latency through the real stack (done before the synthetic runs so the
    // page is the plain live page).
    // Every demo person publishes (a few times a second each at 2,000 msg/s).
    const ids = (
      (await (
        await fetch(`${base}/api/people`, { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } })
      ).json()) as {
        items: Array<{ id: string }>;
      }
    ).items.map((p) => p.id);
    const people = ids.length;
    const client = await mqtt.connectAsync(server.mqtt, {
      username: 'admin',
      password: ADMIN_TOKEN,
      clientId: `bench-dashboard-${process.pid}`,
      protocolVersion: 4,
    });
    await page.evaluate(() => {
      window.__wardmapBench!.latencies.length = 0;
    });
    log(`publishing ${RATE} check-ins/s for ${RATE_SECONDS} s over MQTT (QoS 1)…`);
    let sent = 0;
    const pubStart = Date.now();
    const inflight: Promise<unknown>[] = [];
    while (Date.now() - pubStart < RATE_SECONDS * 1000) {
      const due = Math.floor(((Date.now() - pubStart) / 1000) * RATE);
      while (sent < due) {
        const i = sent % people;
        const k = Math.floor(sent / people);
        const lon = 121.6 + (i % 30) * 0.002 + (k % 100) * 1e-5;
        const lat = 29.73 + Math.floor(i / 30) * 0.008;
        inflight.push(
          client.publishAsync(
            `wardmap/checkin/${ids[i]}`,
            JSON.stringify({
              id: `bd-${process.pid}-${sent}`,
              location: [lon, lat],
              at: new Date().toISOString(),
            }),
            { qos: 1 },
          ),
        );
        sent++;
      }
      await new Promise((r) => setTimeout(r, 5));
    }
    await Promise.all(inflight);
    const achieved = sent / ((Date.now() - pubStart) / 1000);
    await new Promise((r) => setTimeout(r, 3000));
    const lat = await page.evaluate(() => window.__wardmapBench!.latencies.slice());
    await client.endAsync();
    out.push(
      `publish-to-map at ${achieved.toFixed(0)} msg/s (${sent} check-ins over ${people} people, merged per flush): ${lat.length} applied, ` +
        `p50 ${pct(lat, 50).toFixed(0)} ms, p99 ${pct(lat, 99).toFixed(0)} ms (target p99 < 1000: ${pct(lat, 99) < 1000 ? 'met' : 'missed'})`,
    );
    log(out.at(-1)!);

    // 2. Synthetic load, Wardmap vs naive, same run.
    const runs: Run[] = [];
    const cdp = await context.newCDPSession(page);
    await cdp.send('Performance.enable');
    for (const n of SIZES) {
      for (const mode of ['wardmap', 'naive']) {
        await page.goto(`${base}/?bench=${mode}&synthetic=${n}`);
        await page.getByTestId('map').waitFor();
        await page
          .waitForFunction(() => window.__wardmapMap?.isStyleLoaded(), null, { timeout: 60_000 })
          .catch(() => log(`  (${mode} ${n}: the style was still loading after 60 s; measuring anyway)`));
        await page.waitForTimeout(3000);
        await page.evaluate(() => {
          const b = window.__wardmapBench!;
          b.frames.length = 0;
          b.longTasks.length = 0;
          b.updates = 0;
        });
        const t0 = await taskSeconds(cdp);
        const w0 = Date.now();
        await page.waitForTimeout(SECONDS * 1000);
        const t1 = await taskSeconds(cdp);
        const wall = (Date.now() - w0) / 1000;
        const r = await page.evaluate(() => {
          const b = window.__wardmapBench!;
          return { frames: b.frames.slice(), long: b.longTasks.length, updates: b.updates };
        });
        const run: Run = {
          n,
          mode,
          busyPct: ((t1.task - t0.task) / wall) * 100,
          scriptPct: ((t1.script - t0.script) / wall) * 100,
          load: loadavg()[0]!,
          longPerMin: (r.long / wall) * 60,
          p95Frame: pct(r.frames, 95),
          updatesPerS: r.updates / wall,
        };
        runs.push(run);
        log(
          `  ${n.toLocaleString('en')} moving, ${mode}: main thread busy ${run.busyPct.toFixed(1)}% (JS ${run.scriptPct.toFixed(1)}%), ` +
            `long tasks ${run.longPerMin.toFixed(1)}/min, p95 frame ${run.p95Frame.toFixed(1)} ms, ${run.updatesPerS.toFixed(0)} updates/s, load ${run.load.toFixed(1)}`,
        );
      }
    }
    out.push('');
    out.push(
      '| moving patrollers | layer | main-thread busy | of which JS | long tasks / min | p95 frame interval | updates/s | load avg |',
    );
    out.push('|---|---|---|---|---|---|---|---|');
    for (const r of runs) {
      out.push(
        `| ${r.n.toLocaleString('en')} | ${r.mode === 'naive' ? 'naive GeoJSON setData' : 'Wardmap (binary deck.gl)'} | ${r.busyPct.toFixed(1)}% | ${r.scriptPct.toFixed(1)}% | ${r.longPerMin.toFixed(1)} | ${r.p95Frame.toFixed(1)} ms | ${r.updatesPerS.toFixed(0)} | ${r.load.toFixed(1)} |`,
      );
    }
    for (const n of SIZES) {
      const w = runs.find((r) => r.n === n && r.mode === 'wardmap')!;
      const b = runs.find((r) => r.n === n && r.mode === 'naive')!;
      out.push(
        `${n.toLocaleString('en')}: Wardmap uses ${(b.busyPct / w.busyPct).toFixed(1)}x less main-thread time (${(b.scriptPct / w.scriptPct).toFixed(1)}x less JS) than the naive baseline` +
          (n === 10_000
            ? ` (targets: busy < 25% ${w.busyPct < 25 ? 'met' : 'missed'}, >= 4x ${b.busyPct / w.busyPct >= 4 ? 'met' : 'missed'})`
            : ''),
      );
    }
    await context.close();
  } finally {
    await browser.close();
    server.child.kill('SIGTERM');
    await new Promise((r) => server.child.once('exit', r));
    await rm(dir, { recursive: true, force: true });
  }
  console.log(`\n${out.join('\n')}\n\n(total ${((Date.now() - started) / 1000).toFixed(0)} s)`);
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
