import type { LayerDef } from '../layers/index.ts';

export const MVT_CONTENT_TYPE = 'application/vnd.mapbox-vector-tile';

/** The one place tile responses get their status, type and cache headers. */
export function tileResponse(body: Uint8Array | null, def: LayerDef, cache: 'hit' | 'miss'): Response {
  const headers = {
    // Tiles are served to signed-in callers only: the browser may keep them briefly, shared caches never.
    'cache-control': `private, max-age=${def.maxAgeS}`,
    'x-tile-cache': cache,
  };
  if (!body) return new Response(null, { status: 204, headers });
  return new Response(body as Uint8Array<ArrayBuffer>, {
    status: 200,
    headers: { ...headers, 'content-type': MVT_CONTENT_TYPE, 'content-length': String(body.byteLength) },
  });
}
