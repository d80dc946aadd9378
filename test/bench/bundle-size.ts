// The field app's bundle budget: the gzip size of the JavaScript a phone downloads to show /field
// the first time (entry + the field page chunk and everything they import statically). Run
// `npm run bench:field-bundle` after a build, or call `fieldBundleSize()` (bench:dashboard prints it).
import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { DASHBOARD_DIST } from '../../stack/src/dashboard/build.ts';

/** Budget for /field's first-load JavaScript, gzip level 9, KiB (fonts and CSS apart). */
export const FIELD_JS_BUDGET_KB = 120;

export interface FieldBundleReport {
  /** Files of the first load: entry, its static imports, the field chunk and its static imports. */
  files: Array<{ name: string; bytes: number; gzip: number }>;
  gzipKb: number;
  rawKb: number;
  budgetKb: number;
  withinBudget: boolean;
  /** Loaded after first paint (service-worker registration), not counted in the budget. */
  lazyGzipKb: number;
  /** Files of the first load that contain map or chart code (must be none). */
  heavy: string[];
}

const STATIC_IMPORT = /(?:^|[;}\s])import\s*(?:[\w*{}\s,$]*from\s*)?["']\.\/([\w.-]+\.js)["']/g;
const DYNAMIC_IMPORT = /import\(\s*["'`]\.\/([\w.-]+\.js)["'`]\s*\)/g;
const HEAVY = /maplibre|deck\.gl|@deck\.gl|echarts|luma\.gl/i;

async function staticClosure(assets: string, roots: string[], followDynamic = false): Promise<Set<string>> {
  const seen = new Set<string>();
  const queue = [...roots];
  while (queue.length) {
    const name = queue.shift()!;
    if (seen.has(name)) continue;
    seen.add(name);
    const code = await readFile(join(assets, name), 'utf8');
    for (const m of code.matchAll(STATIC_IMPORT)) queue.push(m[1]!);
    if (followDynamic) for (const m of code.matchAll(DYNAMIC_IMPORT)) queue.push(m[1]!);
  }
  return seen;
}

/** Measures /field's first-load JavaScript in a built `dashboard/dist`. */
export async function fieldBundleSize(dist = DASHBOARD_DIST): Promise<FieldBundleReport> {
  const html = await readFile(join(dist, 'index.html'), 'utf8');
  const assets = join(dist, 'assets');
  const entry = [...html.matchAll(/<script[^>]+src="\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  const preload = [...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="\/assets\/([^"]+\.js)"/g)].map(
    (m) => m[1]!,
  );
  const field = (await readdir(assets)).filter((f) => /^FieldPage-[\w-]+\.js$/.test(f));
  if (!entry.length || field.length !== 1)
    throw new Error(`cannot find the entry and one FieldPage chunk in ${dist}`);
  const first = await staticClosure(assets, [...entry, ...preload, field[0]!]);
  const lazy = new Set<string>();
  for (const name of first) {
    const code = await readFile(join(assets, name), 'utf8');
    for (const m of code.matchAll(DYNAMIC_IMPORT)) if (/pwa-register|workbox/.test(m[1]!)) lazy.add(m[1]!);
  }
  const lazyAll = await staticClosure(assets, [...lazy], true);
  const size = async (name: string) => {
    const buf = await readFile(join(assets, name));
    return {
      name,
      bytes: buf.length,
      gzip: gzipSync(buf, { level: 9 }).length,
      heavy: HEAVY.test(buf.toString('utf8')),
    };
  };
  const files = await Promise.all([...first].map(size));
  const lazyFiles = await Promise.all([...lazyAll].filter((f) => !first.has(f)).map(size));
  const gzipKb = files.reduce((n, f) => n + f.gzip, 0) / 1024;
  return {
    files: files.map(({ name, bytes, gzip }) => ({ name, bytes, gzip })).sort((a, b) => b.gzip - a.gzip),
    gzipKb,
    rawKb: files.reduce((n, f) => n + f.bytes, 0) / 1024,
    budgetKb: FIELD_JS_BUDGET_KB,
    withinBudget: gzipKb <= FIELD_JS_BUDGET_KB,
    lazyGzipKb: lazyFiles.reduce((n, f) => n + f.gzip, 0) / 1024,
    heavy: files.filter((f) => f.heavy).map((f) => f.name),
  };
}

/** One line per fact, for bench output. */
export function formatFieldBundle(r: FieldBundleReport): string {
  return [
    `field page (/field) first-load JavaScript: ${r.files.length} files, ${r.gzipKb.toFixed(1)} KB gzip (${r.rawKb.toFixed(0)} KB raw), budget ${r.budgetKb} KB: ${r.withinBudget ? 'within' : 'OVER'}`,
    ...r.files.map((f) => `  ${f.name}: ${(f.gzip / 1024).toFixed(1)} KB gzip`),
    `  after first paint (service-worker registration): ${r.lazyGzipKb.toFixed(1)} KB gzip`,
    `  map/chart code in the first load: ${r.heavy.length ? r.heavy.join(', ') : 'none'}`,
  ].join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (!existsSync(join(DASHBOARD_DIST, 'index.html'))) {
    console.error('no dashboard build: run `npm run build -w dashboard` (or `npm start` once) first');
    process.exit(1);
  }
  const r = await fieldBundleSize();
  console.log(formatFieldBundle(r));
  process.exit(r.withinBudget && r.heavy.length === 0 ? 0 : 1);
}
