/**
 * Failed sign-ins counted per key (a person id, a client address) with exponential backoff: after
 * `free` failures inside `windowMs`, each further attempt waits `baseMs * 2^(extra failures)`
 * (at most `maxMs`). Shared by API login, Basic auth and MQTT CONNECT. In memory, per process,
 * bounded in size: an attacker spraying keys evicts the oldest entries, never grows the map.
 */
export interface ThrottlePolicy {
  free: number;
  windowMs: number;
  baseMs: number;
  maxMs: number;
}

export interface LoginThrottleOptions {
  /** Per person id (default: 5 free failures in 15 min, then 5 s doubling up to 15 min). */
  perId?: Partial<ThrottlePolicy>;
  /** Per client address (default: 20 free failures in 15 min, then 5 s doubling up to 15 min). */
  perAddress?: Partial<ThrottlePolicy>;
  now?: () => number;
  maxKeys?: number;
}

interface Entry {
  failures: number;
  first: number;
  blockedUntil: number;
}

export interface LoginThrottle {
  /** Seconds to wait before trying again, or 0 when the attempt may proceed. */
  retryAfter(id: string, address: string): number;
  /** Records a failed attempt. */
  fail(id: string, address: string): void;
  /** Records a success: the id's count starts again (the address's stays). */
  succeed(id: string): void;
}

const DEFAULT_ID: ThrottlePolicy = { free: 5, windowMs: 15 * 60_000, baseMs: 5000, maxMs: 15 * 60_000 };
const DEFAULT_ADDRESS: ThrottlePolicy = { free: 20, windowMs: 15 * 60_000, baseMs: 5000, maxMs: 15 * 60_000 };

export function createLoginThrottle(opts: LoginThrottleOptions = {}): LoginThrottle {
  const now = opts.now ?? Date.now;
  const maxKeys = opts.maxKeys ?? 50_000;
  const policies = {
    id: { ...DEFAULT_ID, ...opts.perId },
    addr: { ...DEFAULT_ADDRESS, ...opts.perAddress },
  };
  const entries = new Map<string, Entry>();

  const current = (key: string, policy: ThrottlePolicy, t: number): Entry | undefined => {
    const e = entries.get(key);
    if (e && t - e.first > policy.windowMs && t >= e.blockedUntil) {
      entries.delete(key);
      return undefined;
    }
    return e;
  };
  const wait = (key: string, policy: ThrottlePolicy, t: number) => {
    const e = current(key, policy, t);
    return e ? Math.max(0, e.blockedUntil - t) : 0;
  };
  const record = (key: string, policy: ThrottlePolicy, t: number) => {
    const e = current(key, policy, t) ?? { failures: 0, first: t, blockedUntil: 0 };
    e.failures++;
    if (e.failures >= policy.free) {
      const extra = e.failures - policy.free;
      e.blockedUntil = t + Math.min(policy.maxMs, policy.baseMs * 2 ** Math.min(extra, 30));
    }
    entries.delete(key);
    entries.set(key, e);
    if (entries.size > maxKeys) entries.delete(entries.keys().next().value as string);
  };

  return {
    retryAfter(id, address) {
      const t = now();
      const ms = Math.max(wait(`id:${id}`, policies.id, t), wait(`addr:${address}`, policies.addr, t));
      return ms > 0 ? Math.ceil(ms / 1000) : 0;
    },
    fail(id, address) {
      const t = now();
      record(`id:${id}`, policies.id, t);
      record(`addr:${address}`, policies.addr, t);
    },
    succeed(id) {
      entries.delete(`id:${id}`);
    },
  };
}
