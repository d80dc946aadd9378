import { useSyncExternalStore } from 'react';
import { httpSender, Outbox, type OutboxSnapshot, openOutboxStore } from './outbox/index.ts';

// One outbox per page load, shared by every field screen; it lives outside React so a re-render
// or an unmounted screen never interrupts a drain.
let current: { personId: string | null; outbox: Promise<Outbox> } | null = null;
let person: string | null = null;

/** The outbox (opened on first use); `personId` is whose items may be sent now. */
export function fieldOutbox(personId: string): Promise<Outbox> {
  person = personId;
  if (!current) {
    const outbox = openOutboxStore().then((store) =>
      Outbox.open({ store, send: httpSender(), personId: () => person }),
    );
    current = { personId, outbox };
  }
  return current.outbox;
}

const EMPTY: OutboxSnapshot = {
  count: 0,
  items: [],
  draining: false,
  unauthorized: false,
  lastError: null,
  warning: null,
  dropped: 0,
};

/** The outbox's state for rendering (empty until it is open). */
export function useOutboxSnapshot(outbox: Outbox | null): OutboxSnapshot {
  return useSyncExternalStore(
    outbox ? outbox.subscribe : noopSubscribe,
    outbox ? outbox.getSnapshot : () => EMPTY,
    () => EMPTY,
  );
}
const noopSubscribe = () => () => {};
