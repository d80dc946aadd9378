import { AcceptedSchema, CheckinSchema, HttpRiverReportSchema } from '@wardmap/geo';
import { Hono } from 'hono';
import { HTTPException } from 'hono/http-exception';
import { type AuthEnv, forbidden, requirePrincipal } from '../auth/middleware.ts';
import { isAdmin, type Principal } from '../auth/principal.ts';
import { jsonBody } from '../http/validate.ts';
import { routes } from '../openapi/registry.ts';

/** Publishes one message to the broker (QoS 1) as the `admin` identity; resolves on PUBACK. */
export type Publish = (topic: string, payload: string) => Promise<void>;

/** 503 when the API was started without a broker connection. */
export function needPublish(publish: Publish | undefined): Publish {
  if (!publish) {
    throw new HTTPException(503, {
      message: 'unavailable',
      cause: 'HTTP check-ins need the MQTT broker, and this API runs without a broker connection',
    });
  }
  return publish;
}

/** The person a message is posted for: yourself, or anyone when admin (who must then name them). */
export function actingPerson(p: Principal, claimed: string | undefined): string {
  if (isAdmin(p)) {
    if (!claimed)
      throw new HTTPException(400, {
        message: 'bad_request',
        cause: 'personId: is required when posting as admin',
      });
    return claimed;
  }
  if (claimed !== undefined && claimed !== p.id)
    throw forbidden(`${p.id} may post only as themselves, not as ${claimed}`);
  return p.id;
}

/**
 * HTTP check-ins and river reports. They are not written here: they are published to MQTT on the
 * same topics phones use, so they go through the one ingest pipeline (validation, idempotency,
 * dead letters, notices). 202: accepted by the broker, committed by ingest shortly after.
 */
export function checkinRoutes(deps: { publish?: Publish | undefined }): Hono<AuthEnv> {
  const app = new Hono<AuthEnv>();
  const r = routes(app);

  r.post(
    '/checkins',
    {
      summary: 'HTTP check-in, published to MQTT for ingest (202)',
      tag: 'ingest',
      auth: 'required',
      body: CheckinSchema,
      response: AcceptedSchema,
      status: 202,
      errors: [503],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const body = await jsonBody(c, CheckinSchema);
      const personId = actingPerson(p, body.personId);
      const topic = `wardmap/checkin/${personId}`;
      await needPublish(deps.publish)(topic, JSON.stringify({ ...body, personId }));
      return c.json({ id: body.id, topic, status: 'accepted' }, 202);
    },
  );

  r.post(
    '/river-reports',
    {
      summary: 'HTTP river report, published to MQTT for ingest (202)',
      tag: 'ingest',
      auth: 'required',
      body: HttpRiverReportSchema,
      response: AcceptedSchema,
      status: 202,
      errors: [503],
    },
    async (c) => {
      const p = requirePrincipal(c);
      const body = await jsonBody(c, HttpRiverReportSchema);
      const personId = actingPerson(p, body.personId);
      const chief = isAdmin(p) || p.segmentIds.includes(body.segmentId);
      // A river patrol (start/end) is the segment chief's duty; issues may be reported by a patroller too.
      if (!chief && body.type !== 'issue') {
        throw forbidden(`${p.id} is not the chief of ${body.segmentId}: only the chief patrols it`);
      }
      if (!chief && !p.roles.includes('patroller')) {
        throw forbidden(`${p.id} is not the chief of ${body.segmentId} and not a patroller`);
      }
      const { segmentId, ...report } = body;
      const topic = `wardmap/river/${segmentId}/report`;
      await needPublish(deps.publish)(topic, JSON.stringify({ ...report, personId }));
      return c.json({ id: body.id, topic, status: 'accepted' }, 202);
    },
  );

  return app;
}
