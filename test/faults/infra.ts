// Private infrastructure for the fault suite: a PostgreSQL 15 cluster, Mosquitto brokers and ingest
// processes, all on free loopback ports in temporary directories that the suite owns and removes.
// Never the machine's shared services. Everything started here registers a cleanup (below), so it
// is stopped and removed on normal exit, an uncaught error and (with cleanUpOnSignals) SIGINT/SIGTERM.
import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, connect as tcpConnect } from 'node:net';
import { constants as osConstants, tmpdir } from 'node:os';
import { join } from 'node:path';
import { INGEST_NODE_ARGS } from '../../ingest/src/config.ts';

export const ROOT = new URL('../../', import.meta.url).pathname;
const PG_BIN = process.env.WARDMAP_PG_BIN ?? '/usr/lib/postgresql/15/bin';
const MOSQUITTO =
  process.env.WARDMAP_MOSQUITTO ?? (existsExec('/usr/sbin/mosquitto') ? '/usr/sbin/mosquitto' : 'mosquitto');

function existsExec(path: string): boolean {
  try {
    execFileSync(path, ['-h'], { stdio: 'ignore' });
    return true;
  } catch (err) {
    return (err as { code?: string }).code !== 'ENOENT';
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

// ---------------------------------------------------------------------------------------------
// Cleanups: one registry of what this process started. Each cleanup is synchronous, so it can run
// from an 'exit' handler (normal exit, process.exit, an uncaught error or rejection) as well as from
// a signal handler; the newest runs first (workers before their broker and database).

const cleanups = new Set<() => void>();
let exitHooked = false;

/** Registers `fn` to run once at exit (or on a signal); returns a function that unregisters it. */
export function onCleanup(fn: () => void): () => void {
  if (!exitHooked) {
    exitHooked = true;
    process.on('exit', runCleanups);
  }
  cleanups.add(fn);
  return () => {
    cleanups.delete(fn);
  };
}

/** Runs (and forgets) every registered cleanup, newest first. */
export function runCleanups(): void {
  for (const fn of [...cleanups].reverse()) {
    cleanups.delete(fn);
    try {
      fn();
    } catch (err) {
      console.error(`cleanup failed: ${(err as Error).message}`);
    }
  }
}

/**
 * For a program's entry point (the suite, not a library user such as a vitest file): on SIGINT,
 * SIGTERM or SIGHUP run every cleanup, then exit with 128 + the signal's number.
 */
export function cleanUpOnSignals(): void {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.error(`\n${signal}: stopping the private processes and removing their directories`);
      runCleanups();
      process.exit(128 + osConstants.signals[signal]);
    });
  }
}

/** True when `pid` no longer runs (gone, or a zombie its parent has not reaped yet). Linux /proc. */
function gone(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return true;
  }
}

/**
 * Sends `signal` to `pid` (to its process group with `group`) and blocks until it is gone, at most
 * `timeoutMs`: usable from an 'exit' handler, where nothing asynchronous runs any more.
 */
export function killSync(
  pid: number,
  signal: NodeJS.Signals = 'SIGKILL',
  group = false,
  timeoutMs = 5_000,
): void {
  try {
    process.kill(group ? -pid : pid, signal);
  } catch {
    return; // already gone
  }
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + timeoutMs;
  while (!gone(pid) && Date.now() < deadline) Atomics.wait(tick, 0, 0, 10);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

export async function waitForPort(port: number, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((r) => {
      const s = tcpConnect(port, '127.0.0.1', () => {
        s.end();
        r(true);
      });
      s.on('error', () => r(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port} after ${timeoutMs} ms`);
    await sleep(100);
  }
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL

export interface PgCluster {
  port: number;
  /** The temporary directory holding the data directory, socket and log. */
  dir: string;
  url(db?: string): string;
  /** `pg_ctl restart -m <mode>` (fast | immediate). */
  restart(mode: 'fast' | 'immediate'): void;
  stop(mode?: 'fast' | 'immediate'): void;
  start(): void;
  destroy(): void;
}

/** initdb + pg_ctl start of a throwaway cluster (run as `postgres` when we are root; initdb refuses root). */
export async function startPgCluster(): Promise<PgCluster> {
  const dir = mkdtempSync(join(tmpdir(), 'wardmap-faults-pg-'));
  const data = join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  const run = (bin: string, args: string[]) =>
    execFileSync(
      asRoot ? 'runuser' : join(PG_BIN, bin),
      asRoot ? ['-u', 'postgres', '--', join(PG_BIN, bin), ...args] : args,
      {
        stdio: ['ignore', 'pipe', 'pipe'],
        cwd: dir,
      },
    );
  const pgCtl = (args: string[]) =>
    run('pg_ctl', ['-D', data, '-l', join(dir, 'log'), '-w', '-t', '60', ...args]);
  // Registered before initdb: a failed start still leaves nothing behind.
  const destroy = () => {
    unregister();
    try {
      if (existsSync(join(data, 'postmaster.pid'))) pgCtl(['stop', '-m', 'immediate']);
    } catch {}
    rmSync(dir, { recursive: true, force: true });
  };
  const unregister = onCleanup(destroy);
  if (asRoot) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim());
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim());
    chownSync(dir, uid, gid);
  }
  const port = await freePort();
  run('initdb', ['-D', data, '-U', 'postgres', '--auth=trust', '-E', 'UTF8', '--no-sync']);
  writeFileSync(
    join(data, 'postgresql.auto.conf'),
    [
      `port = ${port}`,
      `listen_addresses = '127.0.0.1'`,
      `unix_socket_directories = '${dir}'`,
      'max_connections = 60',
      'shared_buffers = 64MB',
      // Durable like production: a restart -m immediate must not lose committed rows.
      'fsync = on',
      'synchronous_commit = on',
    ].join('\n'),
  );
  pgCtl(['start']);
  return {
    port,
    dir,
    url: (db = 'postgres') => `postgres://postgres@127.0.0.1:${port}/${db}`,
    restart: (mode) => pgCtl(['restart', '-m', mode]),
    stop: (mode = 'fast') => pgCtl(['stop', '-m', mode]),
    start: () => pgCtl(['start']),
    destroy,
  };
}

// ---------------------------------------------------------------------------------------------
// Mosquitto

export interface Broker {
  port: number;
  url: string;
  /** The temporary directory holding the configuration, persistence and log. */
  dir: string;
  /** Restart after `kill -<signal>`, same configuration and persistence directory. */
  restart(signal: 'SIGTERM' | 'SIGKILL'): Promise<void>;
  destroy(): Promise<void>;
}

/** Mosquitto with the project's configuration (deploy/mosquitto), adapted as .ci/run does. */
export async function startBroker(extra: Record<string, string> = {}): Promise<Broker> {
  const dir = mkdtempSync(join(tmpdir(), 'wardmap-faults-mq-'));
  let child: ChildProcess | undefined;
  const running = (c: ChildProcess | undefined): c is ChildProcess =>
    !!c && c.exitCode === null && c.signalCode === null;
  const unregister = onCleanup(() => {
    if (running(child) && child.pid) killSync(child.pid);
    rmSync(dir, { recursive: true, force: true });
  });
  chmodSync(dir, 0o777);
  const port = await freePort();
  let conf = readFileSync(join(ROOT, 'deploy/mosquitto/mosquitto.conf'), 'utf8')
    .replace(/^listener .*/m, `listener ${port} 127.0.0.1`)
    .replace(/^persistence_location .*/m, `persistence_location ${dir}/`)
    .replace(/^password_file .*\n/m, '')
    .replace(/^acl_file .*\n/m, '')
    .replace(/^allow_anonymous .*/m, 'allow_anonymous true')
    .replace(/^log_type .*\n/gm, '');
  for (const [k, v] of Object.entries(extra)) {
    conf = new RegExp(`^${k} `, 'm').test(conf)
      ? conf.replace(new RegExp(`^${k} .*`, 'm'), `${k} ${v}`)
      : `${conf}${k} ${v}\n`;
  }
  writeFileSync(
    join(dir, 'mosquitto.conf'),
    `${conf}log_dest file ${dir}/mosquitto.log\nlog_type error\nlog_type warning\n`,
  );
  const launch = async () => {
    child = spawn(MOSQUITTO, ['-c', join(dir, 'mosquitto.conf')], { stdio: 'ignore' });
    await waitForPort(port);
  };
  const kill = async (signal: NodeJS.Signals) => {
    const c = child;
    if (!running(c)) return;
    const exited = new Promise((r) => c.once('exit', r));
    c.kill(signal);
    await exited;
  };
  await launch();
  return {
    port,
    url: `mqtt://127.0.0.1:${port}`,
    dir,
    async restart(signal) {
      await kill(signal);
      await launch();
    },
    async destroy() {
      await kill('SIGTERM');
      unregister();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

// ---------------------------------------------------------------------------------------------
// Node processes (ingest workers, the embedded stack)

export interface NodeProc {
  readonly proc: ChildProcess;
  output(): string;
  /** Resolves when `pattern` appears in the output. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<void>;
  kill(signal: NodeJS.Signals): Promise<void>;
  exited(): Promise<number | null>;
}

export function spawnNode(script: string, env: Record<string, string>, nodeArgs: string[] = []): NodeProc {
  const full: Record<string, string> = { ...(process.env as Record<string, string>), ...env };
  for (const k of ['DATABASE_URL', 'MQTT_URL', 'WARDMAP_ADMIN_TOKEN']) if (!(k in env)) delete full[k];
  const proc = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', script], {
    cwd: ROOT,
    env: full,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  const listeners = new Set<() => void>();
  const feed = (d: Buffer) => {
    out += d.toString();
    if (out.length > 200_000) out = out.slice(-100_000);
    for (const l of listeners) l();
  };
  proc.stdout?.on('data', feed);
  proc.stderr?.on('data', feed);
  const unregister = onCleanup(() => {
    if (proc.pid && proc.exitCode === null && proc.signalCode === null) killSync(proc.pid);
  });
  const exit = new Promise<number | null>((r) =>
    proc.once('exit', (code) => {
      unregister();
      r(code);
    }),
  );
  return {
    proc,
    output: () => out,
    waitFor(pattern, timeoutMs = 90_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          if (pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(timer);
            resolve();
          }
        };
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`${script}: no ${pattern} within ${timeoutMs} ms; output:\n${out.slice(-2000)}`));
        }, timeoutMs);
        listeners.add(check);
        void exit.then(() => {
          if (!pattern.test(out)) {
            listeners.delete(check);
            clearTimeout(timer);
            reject(new Error(`${script} exited before ${pattern}; output:\n${out.slice(-2000)}`));
          }
        });
        check();
      });
    },
    async kill(signal) {
      if (proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill(signal);
      await exit;
    },
    exited: () => exit,
  };
}

/** A standalone ingest worker (ingest/src/main.ts) on the private cluster and broker. */
export async function startWorker(opts: {
  databaseUrl: string;
  mqttUrl: string;
  clientId: string;
  share?: string;
  extraEnv?: Record<string, string>;
}): Promise<NodeProc> {
  // Launched as production launches it: with the standalone ingest's V8 heap settings.
  const w = spawnNode(
    'ingest/src/main.ts',
    {
      DATABASE_URL: opts.databaseUrl,
      MQTT_URL: opts.mqttUrl,
      WARDMAP_INGEST_CLIENT_ID: opts.clientId,
      ...(opts.share ? { WARDMAP_INGEST_SHARE: opts.share } : {}),
      ...opts.extraEnv,
    },
    INGEST_NODE_ARGS,
  );
  await w.waitFor(/\[ingest\] ready|retired/);
  return w;
}
