import { z } from 'zod';
import { bboxParam, timestamp } from './fields.ts';

// Query strings arrive as text: epoch milliseconds become numbers so the shared timestamp schema
// accepts them like it does in JSON bodies.
/** A time in a query string: ISO 8601 or epoch milliseconds. */
export const queryInstant = z.preprocess(
  (v) => (typeof v === 'string' && /^\d+$/.test(v) ? Number(v) : v),
  timestamp,
);

/** An integer query parameter between `min` and `max`, named `label` in the error. */
export const queryIntBetween = (label: string, min: number, max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && /^-?\d+$/.test(v) ? Number(v) : v),
    z
      .number({ error: `${label} must be an integer` })
      .int({ error: `${label} must be an integer` })
      .min(min, { error: `${label} must be at least ${min}` })
      .max(max, { error: `${label} must be at most ${max}` }),
  );

/** Shared list parameters: a time window and a row cap (every list endpoint is bounded). */
export const windowQuery = (maxLimit: number, defaultLimit: number) =>
  z.object({
    since: queryInstant.optional(),
    until: queryInstant.optional(),
    limit: queryIntBetween('limit', 1, maxLimit).default(defaultLimit),
  });

/** Query of `GET /api/layers/:name`: window, bbox and an optional zoom (hex bins below the raw zoom). */
export const LayerQuerySchema = windowQuery(20_000, 5_000).extend({
  bbox: bboxParam.optional(),
  zoom: queryIntBetween('zoom', 0, 22).optional(),
});

/** Query of `GET /api/tiles/:name/:z/:x/:y.mvt`: an optional time window. */
export const TileQuerySchema = z.object({ since: queryInstant.optional(), until: queryInstant.optional() });
