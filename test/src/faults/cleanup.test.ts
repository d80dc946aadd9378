import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { connect } from 'node:net';
import { fileURLToPath } from 'node:url';
import { expect, it } from 'vitest';
import { describeMosquitto } from '../ingest/mosquitto.ts';
import { describePostgres } from '../support/programs.ts';

// The fault suite's private processes end with it: whatever ends it (SIGTERM, SIGINT, an uncaught
// error, a normal exit), no PostgreSQL or Mosquitto keeps running on its temporary directory, the
// worker child is gone and the directories are removed. cleanup-driver.ts starts the same
// infrastructure as `npm run test:faults` (test/faults/infra.ts) without the scenarios.
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

interface Started {
  pgDir: string;
  pgPort: number;
  mqDir: string;
  mqPort: number;
  workerPid: number;
}

/** Pids of live processes whose command line or working directory names `dir` (Linux /proc). */
function processesUsing(dir: string): number[] {
  const found: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const cmd = readFileSync(`/proc/${e}/cmdline`, 'utf8').replaceAll('\0', ' ');
      let cwd = '';
      try {
        cwd = readlinkSync(`/proc/${e}/cwd`);
      } catch {}
      if (cmd.includes(dir) || cwd.startsWith(dir)) found.push(Number(e));
    } catch {} // gone meanwhile
  }
  return found;
}

/** Runs (not a zombie). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false;
  }
}

const listening = (port: number) =>
  new Promise<boolean>((resolve) => {
    const s = connect(port, '127.0.0.1', () => {
      s.end();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });

async function run(end: 'wait' | 'throw' | 'exit', signal?: NodeJS.Signals) {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/src/faults/cleanup-driver.ts'], {
    cwd: ROOT,
    env: { ...process.env, WARDMAP_DRIVER_END: end },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout.on('data', (d) => {
    out += d;
  });
  child.stderr.on('data', (d) => {
    out += d;
  });
  const exited = new Promise<number | null>((r) => child.once('close', (code) => r(code)));
  const started = await new Promise<Started>((resolve, reject) => {
    const check = () => {
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) resolve(JSON.parse(line) as Started);
    };
    child.stdout.on('data', check);
    void exited.then(() => reject(new Error(`the driver ended before it was ready:\n${out}`)));
  });
  // What the checks below look for is really there while the driver runs (else they prove nothing).
  if (signal) {
    expect(processesUsing(started.pgDir).length, 'postgres processes on the data directory').toBeGreaterThan(
      0,
    );
    expect(processesUsing(started.mqDir).length, 'a mosquitto on its directory').toBeGreaterThan(0);
    expect(alive(started.workerPid)).toBe(true);
    expect(await listening(started.pgPort)).toBe(true);
    expect(await listening(started.mqPort)).toBe(true);
    child.kill(signal);
  }
  const code = await exited;
  return { started, code, out };
}

function expectNothingLeft(s: Started) {
  expect(processesUsing(s.pgDir), 'postgres processes left').toEqual([]);
  expect(processesUsing(s.mqDir), 'mosquitto left').toEqual([]);
  expect(alive(s.workerPid), 'the worker child left').toBe(false);
  expect(existsSync(s.pgDir), 'the PostgreSQL directory left').toBe(false);
  expect(existsSync(s.mqDir), 'the Mosquitto directory left').toBe(false);
}

describePostgres('fault suite cleanup (private PostgreSQL)', () => {
  describeMosquitto('and Mosquitto', () => {
    it('SIGTERM stops PostgreSQL, Mosquitto and the worker, removes their directories, exits 143', async () => {
      const r = await run('wait', 'SIGTERM');
      expect(r.code, r.out).toBe(143);
      expectNothingLeft(r.started);
      expect(await listening(r.started.pgPort)).toBe(false);
      expect(await listening(r.started.mqPort)).toBe(false);
    });

    it('SIGINT (Ctrl-C) likewise, exits 130', async () => {
      const r = await run('wait', 'SIGINT');
      expect(r.code, r.out).toBe(130);
      expectNothingLeft(r.started);
    });

    it('an uncaught error likewise, exits 1', async () => {
      const r = await run('throw');
      expect(r.code, r.out).toBe(1);
      expect(r.out).toContain('driver: an uncaught error');
      expectNothingLeft(r.started);
    });

    it('a normal exit likewise', async () => {
      const r = await run('exit');
      expect(r.code, r.out).toBe(0);
      expectNothingLeft(r.started);
    });
  });
});
