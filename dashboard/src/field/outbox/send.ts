import { apiUrl, authHeaders } from '../../api/client.ts';
import type { OutboxItem, Sender, SendOutcome } from './types.ts';

/** Statuses worth retrying: the request may succeed later unchanged. */
const TRANSIENT = new Set([408, 425, 429, 500, 502, 503, 504]);

/**
 * Sends an outbox item as one POST (JSON, or the photo's bytes), with the session cookie, bearer
 * token and CSRF header the API expects. Network errors and busy answers are retried; 401 pauses
 * the outbox; other refusals are kept as failed items with the server's reason.
 */
export function httpSender(fetchFn: typeof fetch = (...a) => fetch(...a)): Sender {
  return async (item: OutboxItem): Promise<SendOutcome> => {
    const r = item.request;
    const headers: Record<string, string> = { accept: 'application/json', ...authHeaders('POST') };
    let body: BodyInit;
    if (r.bytes) {
      headers['content-type'] = r.contentType ?? 'application/octet-stream';
      body = r.bytes;
    } else {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(r.json ?? {});
    }
    let res: Response;
    try {
      res = await fetchFn(apiUrl(r.path, r.query), {
        method: 'POST',
        headers,
        body,
        credentials: 'same-origin',
      });
    } catch (err) {
      return { kind: 'retry', error: `network: ${err instanceof Error ? err.message : String(err)}` };
    }
    if (res.ok) return { kind: 'sent' };
    if (res.status === 401) return { kind: 'unauthorized' };
    let reason = res.statusText;
    try {
      const j = (await res.json()) as { reason?: string };
      if (j.reason) reason = j.reason;
    } catch {
      // Not JSON (a proxy's error page): the status says enough.
    }
    const error = `${res.status} ${reason}`;
    return TRANSIENT.has(res.status) ? { kind: 'retry', error } : { kind: 'refused', error };
  };
}
