/** What an outbox item does once it reaches the API. */
export type OutboxKind = 'checkin' | 'river-report' | 'incident' | 'transition' | 'photo';

/** The HTTP request an item becomes: JSON, or raw bytes (a photo). */
export interface OutboxRequest {
  path: string;
  query?: Record<string, string>;
  json?: unknown;
  /** Photo bytes (ArrayBuffer: structured-clonable everywhere, unlike Blob in some engines). */
  bytes?: ArrayBuffer;
  contentType?: string;
}

/** One action the person took, kept in IndexedDB until the API has it. */
export interface OutboxItem {
  /** Insertion order (IndexedDB auto-increment key): the queue drains strictly by it. */
  seq: number;
  /** The client-generated id, sent as the message id so the server stores it once. */
  id: string;
  kind: OutboxKind;
  /**
   * The action this request is part of (a report and its photos; the steps of closing an issue):
   * the person counts actions, not requests. Absent: the item is an action of its own.
   */
  group?: string;
  /** The person whose session may send it (a shared phone never uploads A's work as B). */
  personId: string;
  /** When the person took the action (device clock, epoch ms). */
  capturedAt: number;
  /** i18n key + values describing the item for the pending list. */
  label: { key: string; values?: Record<string, string | number> };
  request: OutboxRequest;
  /** `pending` until sent; `failed` when the API refused it for good (kept, with the reason). */
  state: 'pending' | 'failed';
  attempts: number;
  lastError?: string;
  /** Epoch ms before which the timer does not retry (backoff); triggers retry at once. */
  nextAttemptAt: number;
}

export type NewOutboxItem = Pick<OutboxItem, 'id' | 'kind' | 'personId' | 'label' | 'request'> & {
  capturedAt?: number;
  group?: string;
};

/** How a send went: stored; worth retrying later; refused for good; or the session is gone. */
export type SendOutcome =
  | { kind: 'sent' }
  | { kind: 'retry'; error: string }
  | { kind: 'refused'; error: string }
  | { kind: 'unauthorized' };

export type Sender = (item: OutboxItem) => Promise<SendOutcome>;

export interface OutboxLimits {
  /** Most items kept; beyond it the oldest are dropped (after a warning at `warnRatio`). */
  maxItems: number;
  /** Oldest item kept, ms; older ones are dropped (after a warning at `warnRatio`). */
  maxAgeMs: number;
  /** Warn when the count or the oldest age passes this share of its bound (default 0.8). */
  warnRatio: number;
}

export const DEFAULT_LIMITS: OutboxLimits = {
  maxItems: 500,
  maxAgeMs: 7 * 24 * 3600_000,
  warnRatio: 0.8,
};

/** What the UI shows: counts, the items, and whether a bound is near or was hit. */
export interface OutboxSnapshot {
  /** Actions not yet uploaded (pending + failed; a report with its photos is one): the `outbox-count` text. */
  count: number;
  items: OutboxItem[];
  draining: boolean;
  /** Set while the API answers 401: sign in again; nothing is lost meanwhile. */
  unauthorized: boolean;
  lastError: string | null;
  /** Near a bound: items will be dropped soon unless the network returns. */
  warning: null | {
    reason: 'count' | 'age';
    count: number;
    maxItems: number;
    oldestAgeMs: number;
    maxAgeMs: number;
  };
  /** Items dropped by the bounds so far (persisted, shown until acknowledged). */
  dropped: number;
}
