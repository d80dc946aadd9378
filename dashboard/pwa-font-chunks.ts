import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// Noto Sans SC comes as ~100 unicode-range slices per weight (3.7 MB of woff2 for one weight):
// too much to precache on a patroller's data plan. The service worker precaches only the slices
// that hold the field app's own zh-CN strings, so its screens render offline from the first day;
// other slices are cached as they are used, and phones fall back to their system CJK font.

const here = dirname(fileURLToPath(import.meta.url));

function textOf(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v && typeof v === 'object') return Object.values(v).map(textOf).join('');
  return '';
}

/** Indices of the Noto Sans SC slices whose unicode-range covers a character of the given i18n files. */
export function fontSlicesFor(i18nFiles: string[]): number[] {
  const chars = new Set<number>();
  for (const f of i18nFiles) {
    for (const ch of textOf(JSON.parse(readFileSync(join(here, f), 'utf8')))) chars.add(ch.codePointAt(0)!);
  }
  const require = createRequire(import.meta.url);
  const css = readFileSync(require.resolve('@fontsource/noto-sans-sc/400.css'), 'utf8');
  const slices: number[] = [];
  for (const block of css.split('@font-face').slice(1)) {
    const index = /noto-sans-sc-(\d+)-400-normal\.woff2/.exec(block)?.[1];
    const range = /unicode-range:\s*([^;]+);/.exec(block)?.[1];
    if (!index || !range) continue;
    const covers = range.split(',').some((part) => {
      const [lo, hi] = part.trim().replace(/^U\+/i, '').split('-');
      const a = Number.parseInt(lo!, 16);
      const b = hi ? Number.parseInt(hi, 16) : a;
      for (const c of chars) if (c >= a && c <= b) return true;
      return false;
    });
    if (covers) slices.push(Number(index));
  }
  return slices.sort((a, b) => a - b);
}
