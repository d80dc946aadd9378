// The dashboard's one way to talk to the API. Same origin, the session cookie rides along
// (`credentials: 'same-origin'`); writes carry `X-Wardmap-CSRF: 1` as the cookie contract asks.
// Until every deployment sets the cookie, the token from the login answer is also kept for this
// tab (sessionStorage) and sent as a bearer token.

const TOKEN_KEY = 'wardmap.token';

/** An API answer that was not 2xx, with the server's `reason` when it gave one. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly reason: string,
  ) {
    super(`${status} ${code}: ${reason}`);
  }
}

type UnauthorizedListener = () => void;
const unauthorizedListeners = new Set<UnauthorizedListener>();

/** Called whenever the API answers 401: the app shows the sign-in form. */
export function onUnauthorized(l: UnauthorizedListener): () => void {
  unauthorizedListeners.add(l);
  return () => unauthorizedListeners.delete(l);
}

function storage(): Storage | undefined {
  try {
    return globalThis.sessionStorage;
  } catch {
    return undefined;
  }
}

export function getToken(): string | null {
  return storage()?.getItem(TOKEN_KEY) ?? null;
}

export function setToken(token: string | null): void {
  const s = storage();
  if (!s) return;
  if (token) s.setItem(TOKEN_KEY, token);
  else s.removeItem(TOKEN_KEY);
}

/** Headers every request carries: bearer (if a token is kept) and, for writes, the CSRF marker. */
export function authHeaders(method = 'GET'): Record<string, string> {
  const h: Record<string, string> = {};
  const token = getToken();
  if (token) h.authorization = `Bearer ${token}`;
  if (!['GET', 'HEAD', 'OPTIONS'].includes(method.toUpperCase())) h['x-wardmap-csrf'] = '1';
  return h;
}

export interface RequestOptions {
  method?: string;
  body?: unknown;
  signal?: AbortSignal;
  query?: Record<string, string | number | boolean | undefined | null>;
}

/** Builds `/api/<path>?query`, skipping empty query values. */
export function apiUrl(path: string, query?: RequestOptions['query']): string {
  const p = path.startsWith('/api/') ? path : `/api/${path.replace(/^\//, '')}`;
  if (!query) return p;
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const s = qs.toString();
  return s ? `${p}?${s}` : p;
}

/** JSON request against the API; throws {@link ApiError} for non-2xx answers. */
export async function api<T>(path: string, opts: RequestOptions = {}): Promise<T> {
  const method = opts.method ?? (opts.body === undefined ? 'GET' : 'POST');
  const headers: Record<string, string> = { accept: 'application/json', ...authHeaders(method) };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(apiUrl(path, opts.query), {
    method,
    headers,
    credentials: 'same-origin',
    ...(opts.body === undefined ? {} : { body: JSON.stringify(opts.body) }),
    ...(opts.signal ? { signal: opts.signal } : {}),
  });
  if (res.status === 204) return undefined as T;
  const text = await res.text();
  let json: unknown;
  try {
    json = text ? JSON.parse(text) : undefined;
  } catch {
    json = undefined;
  }
  if (!res.ok) {
    const body = (json ?? {}) as { error?: string; reason?: string };
    if (res.status === 401) for (const l of unauthorizedListeners) l();
    throw new ApiError(
      res.status,
      body.error ?? 'error',
      body.reason ?? (text.slice(0, 200) || res.statusText),
    );
  }
  return json as T;
}

/** Items of a list answer, whether it is a bare array or `{items: [...]}`. */
export function itemsOf<T>(body: T[] | { items: T[] }): T[] {
  return Array.isArray(body) ? body : body.items;
}
