import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { processEnv } from '@wardmap/geo/config';

/** The dashboard workspace (`dashboard/` at the repository root). */
export const DASHBOARD_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../dashboard');
/** Where the built dashboard lives; `npm start` serves it. */
export const DASHBOARD_DIST = join(DASHBOARD_DIR, 'dist');
const STAMP = '.wardmap-build.json';
const LOCK = join(DASHBOARD_DIR, '.build-lock');

// What the build reads: the app's own files, its config, and geo (whose schemas it bundles).
const INPUTS = [
  join(DASHBOARD_DIR, 'index.html'),
  join(DASHBOARD_DIR, 'vite.config.ts'),
  join(DASHBOARD_DIR, 'package.json'),
  join(DASHBOARD_DIR, 'public'),
  join(DASHBOARD_DIR, 'src'),
  resolve(DASHBOARD_DIR, '../geo/src'),
];

async function listFiles(path: string, out: string[]): Promise<void> {
  const s = await stat(path).catch(() => undefined);
  if (!s) return;
  if (s.isFile()) {
    // Tests do not go into the bundle.
    if (!/\.test\.tsx?$/.test(path)) out.push(path);
    return;
  }
  for (const e of await readdir(path)) await listFiles(join(path, e), out);
}

/** A digest of every input of the dashboard build (paths and contents). */
export async function dashboardSourceDigest(): Promise<string> {
  const files: string[] = [];
  for (const i of INPUTS) await listFiles(i, files);
  files.sort();
  const h = createHash('sha256');
  for (const f of files) {
    h.update(relative(DASHBOARD_DIR, f));
    h.update('\0');
    h.update(await readFile(f));
    h.update('\0');
  }
  return h.digest('hex').slice(0, 16);
}

async function builtDigest(): Promise<string | undefined> {
  try {
    const stamp = JSON.parse(await readFile(join(DASHBOARD_DIST, STAMP), 'utf8')) as { digest?: string };
    return existsSync(join(DASHBOARD_DIST, 'index.html')) ? stamp.digest : undefined;
  } catch {
    return undefined;
  }
}

function runVite(outDir: string, log: (line: string) => void): Promise<void> {
  const require = createRequire(join(DASHBOARD_DIR, 'package.json'));
  const viteBin = join(dirname(require.resolve('vite/package.json')), 'bin/vite.js');
  return new Promise((ok, fail) => {
    const child = spawn(process.execPath, [viteBin, 'build', '--outDir', outDir, '--emptyOutDir'], {
      cwd: DASHBOARD_DIR,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...processEnv(), NODE_ENV: 'production' },
    });
    let tail = '';
    const keep = (b: Buffer) => {
      tail = (tail + b.toString()).slice(-4000);
    };
    child.stdout.on('data', keep);
    child.stderr.on('data', keep);
    child.on('error', fail);
    child.on('exit', (code) => {
      if (code === 0) ok();
      else {
        log(`dashboard: vite build failed (exit ${code}):\n${tail}`);
        fail(new Error(`vite build exited with ${code}`));
      }
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Builds `dashboard/dist` when it is missing or older than its sources (a digest of them is kept in
 * the output). Concurrent callers (several test files, `npm install` + `npm start`) share one build
 * through a lock directory; the output is swapped in with a rename, so a server never sees half a build.
 */
export async function ensureDashboardBuilt(
  opts: { log?: (line: string) => void; force?: boolean } = {},
): Promise<{ built: boolean; digest: string }> {
  const log = opts.log ?? (() => {});
  const digest = await dashboardSourceDigest();
  if (!opts.force && (await builtDigest()) === digest) return { built: false, digest };
  // Take the lock, or wait for whoever holds it (a lock older than 5 minutes is a crashed build).
  for (;;) {
    try {
      await mkdir(LOCK);
      break;
    } catch {
      const age = Date.now() - ((await stat(LOCK).catch(() => undefined))?.mtimeMs ?? 0);
      if (age > 300_000) await rm(LOCK, { recursive: true, force: true });
      else await sleep(250);
      if (!opts.force && (await builtDigest()) === digest) return { built: false, digest };
    }
  }
  try {
    if (!opts.force && (await builtDigest()) === digest) return { built: false, digest };
    log('dashboard: building (sources changed or no build yet)…');
    const started = Date.now();
    const tmp = join(DASHBOARD_DIR, `.dist-${process.pid}-${Date.now()}`);
    await runVite(tmp, log);
    await writeFile(join(tmp, STAMP), JSON.stringify({ digest, builtAt: new Date().toISOString() }));
    const old = join(DASHBOARD_DIR, `.dist-old-${process.pid}-${Date.now()}`);
    if (existsSync(DASHBOARD_DIST)) await rename(DASHBOARD_DIST, old);
    await rename(tmp, DASHBOARD_DIST);
    await rm(old, { recursive: true, force: true });
    log(`dashboard: built in ${((Date.now() - started) / 1000).toFixed(1)} s`);
    return { built: true, digest };
  } finally {
    await rm(LOCK, { recursive: true, force: true });
  }
}
