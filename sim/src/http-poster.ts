import type { Publication } from './publication.ts';

export interface HttpPosterOptions {
  /** Base URL of the Wardmap API, e.g. `http://127.0.0.1:8080` (no `/api`). */
  apiUrl: string;
  /** Every simulated person's password (the demo's `wardmap-demo`). */
  password: string;
  log: (line: string) => void;
  /** Tries per message before it counts as failed. Default 8 (about half a minute of backoff). */
  maxAttempts?: number;
  /** First backoff after a 5xx or network error; doubles each try up to `retryMaxMs`. Default 250. */
  retryBaseMs?: number;
  retryMaxMs?: number;
  /** A request that takes longer is abandoned and retried. Default 10 000. */
  requestTimeoutMs?: number;
}

export interface HttpPosterStats {
  /** Messages handed to `post`. */
  posted: number;
  /** Successful `POST /api/auth/login`s (one per person, more after a 401). */
  logins: number;
  /** Requests repeated after a 5xx, a timeout or a network error. */
  retries: number;
}

export interface HttpPoster {
  /** Posts one check-in or OwnTracks message; resolves on a 2xx, rejects once it gives up. */
  post(p: Publication): Promise<void>;
  stats(): HttpPosterStats;
  /** Abandons retries and requests in flight (their `post` rejects). */
  close(): void;
}

const OWNTRACKS_TOPIC = /^owntracks\/([^/]+)\/([^/]+)(\/event)?$/;

/** Worth trying again with the same message (and so the same message id). */
class Transient extends Error {}

/**
 * The phones' HTTP mode. Native phones log in once per person (`POST /api/auth/login`), post
 * check-ins with the bearer token, and log in again on a 401 (token expired or revoked). OwnTracks
 * phones send Basic credentials and `X-Limit-U` / `X-Limit-D` on every request, as the app does.
 * A 5xx, timeout or network error is retried with exponential backoff and the same body: the API
 * may have published it before failing, and ingest drops the repeat by message id. Each person's
 * messages go out one after another, like an app working through its outbox.
 */
export function createHttpPoster(opts: HttpPosterOptions): HttpPoster {
  const base = opts.apiUrl.replace(/\/+$/, '');
  const maxAttempts = opts.maxAttempts ?? 8;
  const retryBaseMs = opts.retryBaseMs ?? 250;
  const retryMaxMs = opts.retryMaxMs ?? 8000;
  const timeoutMs = opts.requestTimeoutMs ?? 10_000;
  const stats: HttpPosterStats = { posted: 0, logins: 0, retries: 0 };
  const tokens = new Map<string, Promise<string>>();
  const outboxes = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  const sleepers = new Set<() => void>();

  const request = async (path: string, init: { headers: Record<string, string>; body: string }) => {
    try {
      return await fetch(`${base}${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...init.headers },
        body: init.body,
        signal: AbortSignal.any([stopping.signal, AbortSignal.timeout(timeoutMs)]),
      });
    } catch (err) {
      if (stopping.signal.aborted) throw new Error('simulator stopped before the API answered');
      const cause = (err as Error & { cause?: Error }).cause;
      throw new Transient(`${path}: ${cause?.message ?? (err as Error).message}`);
    }
  };

  const reason = async (res: Response) => {
    const text = await res.text().catch(() => '');
    try {
      const body = JSON.parse(text) as { reason?: string; error?: string };
      return `${res.status} ${body.reason ?? body.error ?? text}`;
    } catch {
      return `${res.status} ${text.slice(0, 200)}`;
    }
  };

  const failure = async (res: Response) =>
    res.status >= 500 || res.status === 429 ? new Transient(await reason(res)) : new Error(await reason(res));

  const login = (personId: string): Promise<string> => {
    let token = tokens.get(personId);
    if (!token) {
      token = (async () => {
        const res = await request('/api/auth/login', {
          headers: {},
          body: JSON.stringify({ id: personId, password: opts.password }),
        });
        if (!res.ok) throw await failure(res);
        stats.logins += 1;
        return ((await res.json()) as { token: string }).token;
      })();
      tokens.set(personId, token);
      // A failed login is not remembered: the next try logs in afresh.
      token.catch(() => tokens.get(personId) === token && tokens.delete(personId));
    }
    return token;
  };

  /** One try. Returns 'relogin' when the token was refused. */
  const attempt = async (p: Publication, person: string): Promise<'done' | 'relogin'> => {
    if (p.kind === 'checkin') {
      const pending = login(person);
      const res = await request('/api/checkins', {
        headers: { authorization: `Bearer ${await pending}` },
        body: p.payload,
      });
      if (res.status === 401) {
        await res.body?.cancel();
        // Forget the refused token (unless a newer one has replaced it meanwhile).
        if (tokens.get(person) === pending) tokens.delete(person);
        return 'relogin';
      }
      if (!res.ok) throw await failure(res);
      await res.body?.cancel();
      return 'done';
    }
    const [, user = '', device = ''] = OWNTRACKS_TOPIC.exec(p.topic) ?? [];
    const res = await request('/api/owntracks', {
      headers: {
        authorization: `Basic ${Buffer.from(`${user}:${opts.password}`).toString('base64')}`,
        'x-limit-u': user,
        'x-limit-d': device,
      },
      body: p.payload,
    });
    if (!res.ok) throw await failure(res);
    await res.body?.cancel();
    return 'done';
  };

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      sleepers.add(wake);
    });

  const deliver = async (p: Publication, person: string): Promise<void> => {
    let relogged = false;
    for (let tries = 1; ; ) {
      if (stopping.signal.aborted) throw new Error('simulator stopped before the API answered');
      let why: string;
      try {
        const outcome = await attempt(p, person);
        if (outcome === 'done') return;
        // One fresh login per message: a second 401 means the password or account is wrong.
        if (relogged) throw new Error(`401 ${person}: token refused right after logging in`);
        relogged = true;
        continue;
      } catch (err) {
        if (!(err instanceof Transient)) throw err;
        why = err.message;
      }
      if (tries >= maxAttempts) throw new Error(`gave up after ${tries} tries: ${why}`);
      stats.retries += 1;
      const backoff = Math.min(retryMaxMs, retryBaseMs * 2 ** (tries - 1));
      // Jitter so phones cut off together do not come back in lockstep.
      await sleep(backoff * (0.5 + Math.random() / 2));
      tries += 1;
    }
  };

  return {
    post(p) {
      if (p.kind !== 'checkin' && p.kind !== 'owntracks') {
        return Promise.reject(new Error(`${p.kind} has no HTTP mode in the simulator`));
      }
      stats.posted += 1;
      const person = p.identity ?? p.topic.split('/')[p.kind === 'checkin' ? 2 : 1] ?? '';
      const previous = outboxes.get(person) ?? Promise.resolve();
      const sent = previous.catch(() => {}).then(() => deliver(p, person));
      const settled = sent.catch(() => {});
      outboxes.set(person, settled);
      void settled.then(() => outboxes.get(person) === settled && outboxes.delete(person));
      return sent;
    },
    stats: () => ({ ...stats }),
    close() {
      stopping.abort();
      for (const wake of [...sleepers]) wake();
    },
  };
}
