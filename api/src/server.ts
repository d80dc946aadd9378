import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { serve } from '@hono/node-server';
import type { Hono } from 'hono';
import { type AppDeps, createApp } from './app.ts';
import {
  createTileCache,
  listenForTileChanges,
  type TileCache,
  tileCacheMetrics,
} from './map/tiles/tile-cache.ts';
import { type ApiServices, startApiServices } from './services.ts';

type Fetch = Hono['fetch'];

export interface ApiServerOptions extends Omit<AppDeps, 'stream' | 'tileCache' | 'extraMetrics'> {
  port: number;
  hostname: string;
  /** More Prometheus text after the API's own (e.g. the in-process ingest's). */
  extraMetrics?: () => string;
  /** Wraps the API's fetch handler (the stack serves the dashboard beside it). */
  wrapFetch?: (fetch: Fetch) => Fetch;
  log?: (line: string) => void;
}

export interface ApiServer {
  /** The port actually listened on (port 0 picks a free one). */
  readonly port: number;
  readonly app: Hono;
  readonly services: ApiServices;
  readonly tileCache: TileCache;
  /** Stops listening, then the tile listener and the background services. */
  stop(): Promise<void>;
}

/**
 * The API's one server wiring, shared by its own process (`api/src/main.ts`) and the one-process
 * stack: background services (stream hub, SLA escalation), the tile cache and its change listener,
 * the Hono app, and the HTTP listener. Readiness stays with the caller. A busy port is refused
 * with a message naming `WARDMAP_HTTP_PORT`; whatever was started before is stopped again.
 */
export async function startApiServer(opts: ApiServerOptions): Promise<ApiServer> {
  const { port, hostname, extraMetrics, wrapFetch, log, ...deps } = opts;
  const services = await startApiServices({
    db: deps.db,
    ...(deps.clock ? { clock: deps.clock } : {}),
    ...(log ? { log } : {}),
  });
  const stops: Array<() => Promise<void>> = [() => services.stop()];
  const stopAll = async () => {
    for (const stop of stops.reverse()) await stop();
  };
  try {
    const tileCache = createTileCache();
    stops.push(await listenForTileChanges(deps.db, tileCache));
    const app = createApp({
      ...deps,
      stream: services.stream,
      tileCache,
      extraMetrics: () => services.metrics() + tileCacheMetrics(tileCache) + (extraMetrics?.() ?? ''),
    });
    const fetch = wrapFetch ? wrapFetch(app.fetch) : app.fetch;
    const server = serve({ fetch, port, hostname }) as Server;
    try {
      await Promise.race([
        once(server, 'listening'),
        once(server, 'error').then(([err]) => {
          throw err;
        }),
      ]);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
        throw new Error(`WARDMAP_HTTP_PORT ${port} is already in use: choose another port`);
      }
      throw err;
    }
    stops.push(() => new Promise<void>((r) => server.close(() => r())));
    return {
      port: (server.address() as AddressInfo).port,
      app,
      services,
      tileCache,
      stop: stopAll,
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
