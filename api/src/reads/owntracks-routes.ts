import { OwnTracksMessageSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { z } from 'zod';
import { type AuthEnv, requirePrincipal } from '../auth/middleware.ts';
import { parseOr400 } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';
import { actingPerson, needPublish, type Publish } from './publish-routes.ts';

const DEVICE = /^[A-Za-z0-9._-]{1,64}$/;

/**
 * OwnTracks HTTP mode: the app POSTs its JSON with Basic (or Bearer) auth and `X-Limit-U` /
 * `X-Limit-D` naming user and device (or `?u=&d=`). The payload is published unchanged to
 * `owntracks/<user>/<device>` (`/event` for transitions), so ingest treats it like MQTT mode.
 * The answer is `[]`: OwnTracks expects a JSON array (of commands for the device).
 */
export function ownTracksRoutes(deps: { publish?: Publish | undefined }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);
  r.post(
    '/owntracks',
    {
      summary: 'OwnTracks HTTP mode (Basic auth, X-Limit-U/X-Limit-D); answers []',
      tag: 'ingest',
      auth: 'required',
      body: OwnTracksMessageSchema,
      response: z.array(z.unknown()).length(0),
      errors: [503],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const raw = await c.req.text();
      let json: unknown;
      try {
        json = JSON.parse(raw);
      } catch {
        throw new HTTPException(400, {
          message: 'bad_request',
          cause: 'body must be an OwnTracks JSON message',
        });
      }
      const msg = parseOr400(OwnTracksMessageSchema, json);
      const user = actingPerson(
        p,
        c.req.header('x-limit-u') ?? c.req.query('u') ?? (p.id === 'admin' ? undefined : p.id),
      );
      const device = c.req.header('x-limit-d') ?? c.req.query('d') ?? 'http';
      if (!DEVICE.test(device)) {
        throw new HTTPException(400, {
          message: 'bad_request',
          cause: `device must be 1-64 letters, digits, . _ or - (got ${JSON.stringify(device.slice(0, 40))})`,
        });
      }
      const topic = `owntracks/${user}/${device}${msg._type === 'transition' ? '/event' : ''}`;
      await needPublish(deps.publish)(topic, raw);
      return c.json([]);
    },
  );
  return app;
}
