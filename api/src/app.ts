import { createLoginThrottle, type Db, type LoginThrottle } from '@wardmap/db';
import { type Clock, systemClock } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { secureHeaders } from 'hono/secure-headers';
import { authenticate } from './auth/middleware.ts';
import { authRoutes } from './auth/routes.ts';
import { boardRoutes } from './board/routes.ts';
import { complianceRoutes } from './compliance/routes.ts';
import { DEFAULT_PHOTO_CONFIG, type PhotoConfig } from './incidents/photos/check-photo.ts';
import { photoRoutes } from './incidents/photos/routes.ts';
import { incidentRoutes } from './incidents/routes.ts';
import { type ApiLimits, DEFAULT_LIMITS } from './limits.ts';
import { layerRoutes } from './map/layer-routes.ts';
import { tileRoutes } from './map/tile-routes.ts';
import type { TileCache } from './map/tiles/tile-cache.ts';
import { docsOf, mount } from './openapi/registry.ts';
import { openApiRoutes } from './openapi/routes.ts';
import { healthRoutes, type Readiness } from './ops/health-routes.ts';
import { metricsRoutes } from './ops/metrics-routes.ts';
import { peopleRoutes } from './people/routes.ts';
import { ownTracksRoutes } from './reads/owntracks-routes.ts';
import { checkinRoutes, type Publish } from './reads/publish-routes.ts';
import { readRoutes } from './reads/routes.ts';
import { trackRoutes } from './reads/track-routes.ts';
import { nvrRoutes } from './reference/nvr-routes.ts';
import { referenceRoutes } from './reference/routes.ts';
import { guardRequests, limitBodies } from './request-guards.ts';
import { overviewRoutes } from './stats/overview-routes.ts';
import { statsRoutes } from './stats/routes.ts';
import { createStreamHub, type StreamHub } from './stream/hub.ts';
import { streamRoutes } from './stream/routes.ts';

export interface AppDeps {
  db: Db;
  /** Whether the MQTT broker is the embedded Aedes or an external one. */
  mqttMode: 'embedded' | 'external';
  /** Flips to ready once migrations, demo data and the broker are up. */
  readiness: Readiness;
  /** Extra Prometheus text (e.g. ingest counters) appended to /metrics. */
  extraMetrics?: () => string;
  /** Time for SLA deadlines and on-duty windows (default: the system clock). */
  clock?: Clock;
  /** `WARDMAP_ADMIN_TOKEN`: a bearer token with the admin role. Unset: no bootstrap admin. */
  adminToken?: string | undefined;
  /** Publishes HTTP check-ins to MQTT (QoS 1). Unset: those endpoints answer 503. */
  publish?: Publish | undefined;
  /** The live-stream hub (from `startApiServices`); unset: one is created and started on first use. */
  stream?: StreamHub;
  /** SSE heartbeat interval, real ms (default 15 s). */
  heartbeatMs?: number;
  /** Vector-tile cache (`createTileCache()` + `listenForTileChanges(db, cache)`); unset: tiles render every time. */
  tileCache?: TileCache | undefined;
  /** Failed sign-in counting (API login, Basic); default: one per app with the default policy. */
  loginThrottle?: LoginThrottle | undefined;
  /** Body sizes and stream counts (defaults: `DEFAULT_LIMITS`). */
  limits?: Partial<ApiLimits> | undefined;
  /** Photo upload limits (`WARDMAP_PHOTO_MAX_BYTES`, `WARDMAP_PHOTO_KEEP_METADATA`); unset: 8 MiB, metadata stripped. */
  photos?: Partial<PhotoConfig> | undefined;
}

/** Builds the Wardmap HTTP API. `main.ts` serves it; tests call `app.request()`. */
export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  const clock = deps.clock ?? systemClock;
  const db = deps.db;
  const hub = deps.stream ?? createStreamHub({ db });
  const limits: ApiLimits = { ...DEFAULT_LIMITS, ...deps.limits };
  // Security headers on everything this app serves (the dashboard's pages included). The CSP fits a
  // Vite-built SPA with MapLibre: its workers start from blob: URLs, its canvas reads data:/blob:
  // images, and inline style attributes are set by MapLibre and React.
  app.use(
    '*',
    secureHeaders({
      contentSecurityPolicy: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        workerSrc: ["'self'", 'blob:'],
        childSrc: ["'self'", 'blob:'],
        imgSrc: ["'self'", 'data:', 'blob:'],
        styleSrc: ["'self'", "'unsafe-inline'"],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'self'"],
        frameAncestors: ["'none'"],
        formAction: ["'self'"],
      },
      // Service worker and the field app's geolocation stay allowed for this origin.
      permissionsPolicy: { geolocation: ['self'], camera: ['self'] },
    }),
  );
  mount(app, '/api', healthRoutes(deps));
  // Sizes first (before anything reads a body or a password hash), then who is calling, then shapes.
  const photos: PhotoConfig = { ...DEFAULT_PHOTO_CONFIG, ...deps.photos };
  app.use('/api/*', limitBodies(limits, photos.maxBytes));
  // Every route below needs a signed-in caller (login itself excepted); routes check roles and areas.
  const throttle = deps.loginThrottle ?? createLoginThrottle();
  const auth = authenticate({ db, adminToken: deps.adminToken, throttle });
  app.use('/api/*', auth);
  app.use('/metrics', auth);
  app.use('/api/*', guardRequests());
  // Personal data must not linger in caches: every authenticated answer is no-store unless the
  // route chose otherwise (tiles: private, a few seconds).
  app.use('/api/*', async (c, next) => {
    await next();
    if (!c.res.headers.has('cache-control')) c.res.headers.set('cache-control', 'no-store');
  });
  app.use('/metrics', async (c, next) => {
    await next();
    c.res.headers.set('cache-control', 'no-store');
  });
  mount(app, '/api', authRoutes({ db, throttle }));
  mount(app, '/api', incidentRoutes({ db, clock }));
  mount(app, '/api', boardRoutes({ db, clock }));
  mount(
    app,
    '/api',
    streamRoutes({
      hub,
      clock,
      limits: { perIdentity: limits.streamsPerIdentity, total: limits.streamsTotal },
      ...(deps.heartbeatMs ? { heartbeatMs: deps.heartbeatMs } : {}),
    }),
  );
  mount(app, '/api', peopleRoutes({ db }));
  mount(app, '/api', nvrRoutes({ db }));
  mount(app, '/api', referenceRoutes({ db, clock }));
  mount(app, '/api', checkinRoutes({ publish: deps.publish, db }));
  mount(app, '/api', ownTracksRoutes({ publish: deps.publish }));
  mount(
    app,
    '/api',
    openApiRoutes(() => docsOf(app)),
  );
  mount(app, '/api', layerRoutes({ db, clock }));
  mount(app, '/api', tileRoutes({ db, clock, tileCache: deps.tileCache }));
  mount(app, '/api', complianceRoutes({ db, clock }));
  mount(app, '/api', statsRoutes({ db, clock }));
  mount(app, '/api', overviewRoutes({ db, clock }));
  mount(app, '/api', readRoutes({ db }));
  mount(app, '/api', trackRoutes({ db, clock }));
  mount(app, '/api', photoRoutes({ db, config: photos }));
  mount(app, '/', metricsRoutes(deps));
  app.notFound((c) =>
    c.json({ error: 'not_found', reason: `no route for ${c.req.method} ${c.req.path}` }, 404),
  );
  // One place shapes every error as JSON with its reason.
  app.onError((err, c) => {
    if (err instanceof HTTPException) {
      // A prepared answer (429 with Retry-After, 413 with the limit) goes out as it is.
      if (err.res) return err.getResponse();
      const cause = err.cause instanceof Error ? err.cause.message : err.cause;
      return c.json({ error: err.message || 'error', reason: cause ?? err.message }, err.status);
    }
    // Message and code only: never the query string, the SQL parameters or a stack with values in it.
    const code = (err as { code?: unknown }).code;
    console.error(
      `[api] unhandled error on ${c.req.method} ${c.req.path}: ${code ? `${String(code)} ` : ''}${err.message}`,
    );
    return c.json({ error: 'internal', reason: 'internal server error' }, 500);
  });
  return app;
}
