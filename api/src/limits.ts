/** Size and rate limits of the HTTP API; every one can be changed through the stack's environment. */
export interface ApiLimits {
  /** Largest request body, bytes (`WARDMAP_MAX_BODY_BYTES`); 413 above it. */
  bodyBytes: number;
  /** Largest body of `POST /api/import` (bulk GeoJSON), bytes (`WARDMAP_MAX_IMPORT_BYTES`). */
  importBodyBytes: number;
  /** Open `/api/stream` connections per signed-in identity (`WARDMAP_MAX_STREAMS_PER_IDENTITY`); 429 above. */
  streamsPerIdentity: number;
  /** Open `/api/stream` connections in total (`WARDMAP_MAX_STREAMS`); 429 above. */
  streamsTotal: number;
}

export const DEFAULT_LIMITS: ApiLimits = {
  bodyBytes: 256 * 1024,
  importBodyBytes: 32 * 1024 * 1024,
  streamsPerIdentity: 8,
  streamsTotal: 500,
};
