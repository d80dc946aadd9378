import 'fake-indexeddb/auto';
import { describe, expect, it } from 'vitest';
import { Outbox, type OutboxOptions } from './outbox.ts';
import { openOutboxStore } from './store.ts';
import type { NewOutboxItem, OutboxItem, SendOutcome } from './types.ts';

let dbSeq = 0;
const freshName = () => `outbox-test-${++dbSeq}`;

/** A fake API: remembers stored ids (de-duplicating like the server) and can be switched off. */
function fakeServer() {
  const stored: string[] = [];
  const attempts: string[] = [];
  const state = { online: true, loseAnswers: false, status: 202 };
  const send = async (item: OutboxItem): Promise<SendOutcome> => {
    attempts.push(item.id);
    if (!state.online) return { kind: 'retry', error: 'network: Failed to fetch' };
    if (state.status === 401) return { kind: 'unauthorized' };
    if (state.status === 400) return { kind: 'refused', error: '400 body: bad' };
    const messageId = (item.request.json as { id: string }).id;
    if (!stored.includes(messageId)) stored.push(messageId);
    // The server stored it, but the phone never heard back (signal lost on the way back).
    if (state.loseAnswers) return { kind: 'retry', error: 'network: connection reset' };
    return { kind: 'sent' };
  };
  return { stored, attempts, state, send };
}

const checkin = (id: string, personId = 'p-1'): NewOutboxItem => ({
  id,
  kind: 'checkin',
  personId,
  label: { key: 'outbox.kind.checkin' },
  request: { path: 'checkins', json: { id, location: [121.6, 29.7], at: 1_700_000_000_000 } },
});

async function setup(over: Partial<OutboxOptions> = {}, name = freshName()) {
  const server = fakeServer();
  const clock = { t: 1_700_000_000_000 };
  const store = await openOutboxStore(name);
  const outbox = await Outbox.open({
    store,
    send: server.send,
    personId: () => 'p-1',
    now: () => clock.t,
    random: () => 1,
    backoff: { baseMs: 1000, maxMs: 60_000 },
    ...over,
  });
  return { server, clock, store, outbox, name };
}

describe('field outbox', () => {
  it('keeps actions taken offline in IndexedDB, across a reopen, and uploads them in order', async () => {
    const { server, outbox, name, clock } = await setup();
    server.state.online = false;
    for (const id of ['c-1', 'c-2', 'c-3']) await outbox.add(checkin(id));
    await outbox.drain();
    expect(server.stored).toEqual([]);
    expect(outbox.getSnapshot().count).toBe(3);

    // A reload: a new outbox on the same database finds the three, in the order they were taken.
    outbox.stop();
    const again = await setup({}, name);
    again.clock.t = clock.t;
    expect(again.outbox.getSnapshot().items.map((i) => i.id)).toEqual(['c-1', 'c-2', 'c-3']);
    await again.outbox.drain();
    expect(again.server.stored).toEqual(['c-1', 'c-2', 'c-3']);
    expect(again.outbox.getSnapshot().count).toBe(0);
    expect(await again.store.count('outbox')).toBe(0);
  });

  it('writes an action to IndexedDB before it is sent', async () => {
    let seenInStore = -1;
    const name = freshName();
    const store = await openOutboxStore(name);
    const outbox = await Outbox.open({
      store,
      personId: () => 'p-1',
      send: async () => {
        seenInStore = await store.count('outbox');
        return { kind: 'sent' };
      },
    });
    await outbox.add(checkin('c-1'));
    await outbox.drain();
    expect(seenInStore).toBe(1);
    expect(await store.count('outbox')).toBe(0);
  });

  it('queues a new action behind the backlog instead of letting it jump ahead', async () => {
    const { server, outbox } = await setup();
    server.state.online = false;
    await outbox.add(checkin('old-1'));
    await outbox.add(checkin('old-2'));
    await outbox.drain();
    server.attempts.length = 0;
    await outbox.add(checkin('new-1'));
    await outbox.drain();
    // Only the head was tried: the new action did not go first.
    expect(new Set(server.attempts)).toEqual(new Set(['old-1']));
    server.state.online = true;
    await outbox.drain();
    expect(server.stored).toEqual(['old-1', 'old-2', 'new-1']);
  });

  it('retries with growing backoff on the timer, and at once on a trigger', async () => {
    const { server, outbox, clock } = await setup();
    server.state.online = false;
    await outbox.add(checkin('c-1'));
    await outbox.drain();
    const first = outbox.getSnapshot().items[0]!;
    const firstDelay = first.nextAttemptAt - clock.t;
    expect(first.attempts).toBeGreaterThanOrEqual(1);
    expect(firstDelay).toBe(1000 * 2 ** (first.attempts - 1));
    expect(first.lastError).toContain('network');
    const attempts = server.attempts.length;
    // The timer's drain (not forced) waits for the backoff.
    await outbox.drain(false);
    expect(server.attempts.length).toBe(attempts);
    clock.t = first.nextAttemptAt;
    await outbox.drain(false);
    expect(server.attempts.length).toBe(attempts + 1);
    const second = outbox.getSnapshot().items[0]!;
    expect(second.nextAttemptAt - clock.t).toBe(2 * firstDelay);
    // A trigger (online, visible) does not wait.
    server.state.online = true;
    await outbox.drain(true);
    expect(server.stored).toEqual(['c-1']);
  });

  it('sends the client id as the message id, so a retry after a lost answer is stored once', async () => {
    const { server, outbox } = await setup();
    server.state.loseAnswers = true;
    await outbox.add(checkin('c-lost'));
    await outbox.drain();
    expect(server.stored).toEqual(['c-lost']);
    expect(outbox.getSnapshot().count).toBe(1);
    server.state.loseAnswers = false;
    await outbox.drain();
    expect(server.attempts.filter((a) => a === 'c-lost').length).toBeGreaterThanOrEqual(2);
    expect(server.stored).toEqual(['c-lost']);
    expect(outbox.getSnapshot().count).toBe(0);
  });

  it('does not queue the same client id twice', async () => {
    const { server, outbox } = await setup();
    server.state.online = false;
    await outbox.add(checkin('c-1'));
    await outbox.add(checkin('c-1'));
    expect(outbox.getSnapshot().count).toBe(1);
  });

  it('warns near the count bound and then drops the oldest, counting what was dropped', async () => {
    const { server, outbox } = await setup({ limits: { maxItems: 5, warnRatio: 0.8 } });
    server.state.online = false;
    for (let i = 1; i <= 3; i++) await outbox.add(checkin(`c-${i}`));
    expect(outbox.getSnapshot().warning).toBeNull();
    await outbox.add(checkin('c-4'));
    expect(outbox.getSnapshot().warning).toMatchObject({ reason: 'count', count: 4, maxItems: 5 });
    expect(outbox.getSnapshot().dropped).toBe(0);
    await outbox.add(checkin('c-5'));
    await outbox.add(checkin('c-6'));
    const snap = outbox.getSnapshot();
    expect(snap.items.map((i) => i.id)).toEqual(['c-2', 'c-3', 'c-4', 'c-5', 'c-6']);
    expect(snap.dropped).toBe(1);
    await outbox.acknowledgeDropped();
    expect(outbox.getSnapshot().dropped).toBe(0);
  });

  it('warns as items age and drops those older than the age bound', async () => {
    const day = 24 * 3600_000;
    const { server, outbox, clock, name } = await setup({ limits: { maxAgeMs: 10 * day, warnRatio: 0.8 } });
    server.state.online = false;
    await outbox.add(checkin('old'));
    clock.t += 5 * day;
    await outbox.add(checkin('young'));
    clock.t += 3.5 * day;
    await outbox.add(checkin('newest'));
    expect(outbox.getSnapshot().warning).toMatchObject({ reason: 'age' });
    clock.t += 2 * day;
    const reopened = await setup({ limits: { maxAgeMs: 10 * day } }, name);
    reopened.clock.t = clock.t;
    // Reopen with the later clock: the bound is applied on open.
    const again = await Outbox.open({
      store: reopened.store,
      send: reopened.server.send,
      personId: () => 'p-1',
      now: () => clock.t,
      limits: { maxAgeMs: 10 * day },
    });
    expect(again.getSnapshot().items.map((i) => i.id)).toEqual(['young', 'newest']);
    expect(again.getSnapshot().dropped).toBe(1);
  });

  it('keeps a refused item with its reason and goes on with the next ones', async () => {
    const { server, outbox } = await setup();
    server.state.status = 400;
    await outbox.add(checkin('bad'));
    await outbox.drain();
    server.state.status = 202;
    await outbox.add(checkin('good'));
    await outbox.drain();
    const snap = outbox.getSnapshot();
    expect(server.stored).toEqual(['good']);
    expect(snap.count).toBe(1);
    expect(snap.items[0]).toMatchObject({ id: 'bad', state: 'failed', lastError: '400 body: bad' });
    await outbox.retry(snap.items[0]!.seq);
    await outbox.drain();
    expect(server.stored).toEqual(['good', 'bad']);
  });

  it('pauses on 401 without losing anything, and resumes after signing in again', async () => {
    const { server, outbox } = await setup();
    server.state.status = 401;
    await outbox.add(checkin('c-1'));
    await outbox.add(checkin('c-2'));
    await outbox.drain();
    expect(outbox.getSnapshot()).toMatchObject({ count: 2, unauthorized: true });
    server.state.status = 202;
    outbox.resume();
    await outbox.drain();
    expect(server.stored).toEqual(['c-1', 'c-2']);
  });

  it("never sends one person's items with another person's session", async () => {
    let who = 'p-2';
    const { server, outbox } = await setup({ personId: () => who });
    await outbox.add(checkin('mine', 'p-1'));
    await outbox.drain();
    expect(server.attempts).toEqual([]);
    expect(outbox.getSnapshot().lastError).toContain('p-1');
    who = 'p-1';
    await outbox.drain();
    expect(server.stored).toEqual(['mine']);
  });

  it('drains on the online event and when the page becomes visible', async () => {
    const { server, outbox } = await setup({ tickMs: 1_000_000 });
    server.state.online = false;
    await outbox.add(checkin('c-1'));
    await outbox.drain();
    outbox.start({ window, document });
    server.state.online = true;
    window.dispatchEvent(new Event('online'));
    await new Promise((r) => setTimeout(r, 50));
    await outbox.drain(false);
    expect(server.stored).toEqual(['c-1']);
    outbox.stop();
  });
});

describe('field outbox counting', () => {
  it('counts a report and its photos as one action, while sending each request in order', async () => {
    const { server, outbox } = await setup();
    server.state.online = false;
    await outbox.add(checkin('c-1'));
    await outbox.add({ ...checkin('ph-1'), kind: 'photo', group: 'in-1' });
    await outbox.add({ ...checkin('in-1'), kind: 'incident', group: 'in-1' });
    expect(outbox.getSnapshot().count).toBe(2);
    expect(outbox.getSnapshot().items).toHaveLength(3);
    server.state.online = true;
    await outbox.drain();
    expect(server.stored).toEqual(['c-1', 'ph-1', 'in-1']);
    expect(outbox.getSnapshot().count).toBe(0);
  });
});
