import type { Rejection } from './items.ts';

/** Default cap on payload size: check-ins are ~200 bytes, Frigate events a few KiB. */
export const DEFAULT_MAX_PAYLOAD_BYTES = 64 * 1024;

const utf8 = new TextDecoder('utf-8', { fatal: true });

export type ParsedPayload = { ok: true; text: string } | ({ ok: false } & Rejection);

/** Checks size and UTF-8, returning the payload text. */
export function payloadText(payload: Uint8Array, maxBytes = DEFAULT_MAX_PAYLOAD_BYTES): ParsedPayload {
  if (payload.byteLength > maxBytes) {
    return {
      ok: false,
      stage: 'size',
      reason: `payload: ${payload.byteLength} bytes exceeds the limit of ${maxBytes}`,
    };
  }
  try {
    return { ok: true, text: utf8.decode(payload) };
  } catch {
    return { ok: false, stage: 'json', reason: 'payload: not valid UTF-8' };
  }
}

export type ParsedJson = { ok: true; value: unknown } | ({ ok: false } & Rejection);

/** Parses JSON text; the reason quotes the parser's message. */
export function parseJson(text: string): ParsedJson {
  try {
    return { ok: true, value: JSON.parse(text) as unknown };
  } catch (err) {
    return {
      ok: false,
      stage: 'json',
      reason: `payload: invalid JSON (${(err as Error).message.slice(0, 120)})`,
    };
  }
}
