import { createReadStream, existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';

type Fetch = (req: Request, ...rest: never[]) => Response | Promise<Response>;

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.txt': 'text/plain; charset=utf-8',
  '.wasm': 'application/wasm',
};

/** Client-side routes of the SPA: answered with index.html. */
const PAGE = /^\/(?:board(?:\/[^/]+)?|overview|field(?:\/.*)?)?\/?$/;

/**
 * Puts the built dashboard in front of the API on one origin. `/api/*` and `/metrics` always go to
 * the API (never the SPA fallback); hashed `/assets/*` are cached for a year (immutable); everything
 * else, `index.html` above all, is `no-cache` so a new build is picked up on the next load.
 */
export function withDashboard<F extends Fetch>(apiFetch: F, distDir: string): F {
  const root = normalize(distDir + sep);
  const wrapped: Fetch = async (req: Request, ...rest: never[]) => {
    const url = new URL(req.url);
    const path = url.pathname;
    if (path.startsWith('/api/') || path === '/api' || path === '/metrics') return apiFetch(req, ...rest);
    if (req.method !== 'GET' && req.method !== 'HEAD') return apiFetch(req, ...rest);
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return apiFetch(req, ...rest);
    }
    const file = normalize(join(root, decoded));
    if (file.startsWith(root) && !decoded.endsWith('/')) {
      const s = await stat(file).catch(() => undefined);
      if (s?.isFile() && !decoded.startsWith('/.'))
        return fileResponse(req, file, s.size, decoded.startsWith('/assets/'));
    }
    if (PAGE.test(path)) {
      const index = join(root, 'index.html');
      if (!existsSync(index)) {
        return new Response('The dashboard is not built yet: run `npm run build:dashboard`.\n', {
          status: 503,
          headers: { 'content-type': 'text/plain; charset=utf-8', 'cache-control': 'no-store' },
        });
      }
      const s = await stat(index);
      return fileResponse(req, index, s.size, false);
    }
    return apiFetch(req, ...rest);
  };
  return wrapped as F;
}

function fileResponse(req: Request, file: string, size: number, immutable: boolean): Response {
  const headers = new Headers({
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'content-length': String(size),
    'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    'x-content-type-options': 'nosniff',
  });
  if (req.method === 'HEAD') return new Response(null, { status: 200, headers });
  const body = Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  return new Response(body, { status: 200, headers });
}
