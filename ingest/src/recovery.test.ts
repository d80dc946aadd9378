import { describe, expect, it } from 'vitest';
import type { RejectStage } from './items.ts';
import { GIVEN_UP, type PendingMessage, type RecoveryOptions, writeWithRecovery } from './recovery.ts';
import type { BatchEntry } from './write/types.ts';

// The recovery policy on its own: a fake commit that throws errors shaped as the drivers shape
// them (classified by the real classifyWriteError), a fake clock for the backoff, no database.

const sqlError = (code: string, message: string) =>
  Object.assign(new Error(message), { code, severity: 'ERROR' });
const refused = (message = 'new row violates check constraint "no_poison"') => sqlError('23514', message);
const connectionRefused = () =>
  Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' });

interface Msg extends PendingMessage {
  id: string;
  acks: number;
  rejects: string[];
}

function message(id: string): Msg {
  const entry: BatchEntry = {
    decoded: {
      ok: true,
      item: {
        type: 'checkin',
        messageId: id,
        personId: 'p-0002',
        device: null,
        source: 'native',
        kind: 'location',
        lon: 121.62,
        lat: 29.75,
        accuracy: null,
        battery: null,
        altitude: null,
        speed: null,
        heading: null,
        at: '2024-06-01T08:00:00.000Z',
        patrolId: null,
        region: null,
      },
    },
    topic: `wardmap/checkin/p-0002`,
    payload: Buffer.from(JSON.stringify({ id })),
    receivedAt: new Date('2024-06-01T08:00:01Z'),
  };
  const m: Msg = {
    id,
    entry,
    acks: 0,
    rejects: [],
    ack: () => {
      m.acks++;
    },
    reject: (why) => {
      m.rejects.push(why);
    },
  };
  return m;
}

const batch = (n: number, prefix = 'm') => Array.from({ length: n }, (_, i) => message(`${prefix}-${i}`));

/** What a commit saw: the ids of each attempted batch, dead letters as `dl:<stage>:<id>`. */
const ids = (held: Msg[]) =>
  held.map((h) => (h.entry.decoded.ok ? h.id : `dl:${h.entry.decoded.stage}:${h.id}`));

function harness(opts: {
  commit: (held: Msg[], attempt: number) => void;
  storeDeadLetter?: (entry: BatchEntry, stage: RejectStage, reason: string) => void;
  givenUp?: () => boolean;
  retry?: RecoveryOptions<Msg>['retry'];
}) {
  const attempts: string[][] = [];
  const committed: string[][] = [];
  const bare: Array<{ stage: RejectStage; reason: string }> = [];
  const slept: number[] = [];
  const lines: string[] = [];
  const events: string[] = [];
  const write = writeWithRecovery<Msg>({
    async commit(held) {
      attempts.push(ids(held));
      opts.commit(held, attempts.length);
      committed.push(ids(held));
    },
    async storeDeadLetter(entry, stage, reason) {
      opts.storeDeadLetter?.(entry, stage, reason);
      bare.push({ stage, reason });
    },
    givenUp: opts.givenUp ?? (() => false),
    log: (l) => lines.push(l),
    sleep: async (ms) => {
      slept.push(ms);
    },
    ...(opts.retry ? { retry: opts.retry } : {}),
    on: {
      retry: () => events.push('retry'),
      writeError: (k) => events.push(`error:${k}`),
      split: () => events.push('split'),
      deadLettered: (s) => events.push(`dead:${s}`),
      dropped: () => events.push('dropped'),
    },
  });
  return { write, attempts, committed, bare, slept, lines, events };
}

const everyAckedOnce = (msgs: Msg[]) => {
  expect(msgs.map((m) => m.acks)).toEqual(msgs.map(() => 1));
  expect(msgs.flatMap((m) => m.rejects)).toEqual([]);
};

describe('recovery policy: database unavailable', () => {
  it('retries the same batch with a doubling delay up to the ceiling, acknowledging only after the commit', async () => {
    const msgs = batch(5);
    let acksBeforeCommit = -1;
    const h = harness({
      retry: { initialMs: 50, maxMs: 400 },
      commit: (held, attempt) => {
        if (attempt <= 6) throw connectionRefused();
        acksBeforeCommit = held.reduce((n, m) => n + m.acks, 0);
      },
    });
    await h.write(msgs);
    expect(h.slept).toEqual([50, 100, 200, 400, 400, 400]);
    expect(h.attempts).toHaveLength(7);
    expect(new Set(h.attempts.map((a) => a.join()))).toEqual(new Set([ids(msgs).join()])); // never split
    expect(acksBeforeCommit).toBe(0);
    everyAckedOnce(msgs);
    expect(h.events).toEqual(Array(6).fill('retry'));
    expect(h.lines[0]).toBe(
      'database unavailable (connect ECONNREFUSED 127.0.0.1:5432); retrying 5 messages in 50 ms',
    );
  });

  it('defaults to 100 ms doubling to 5 s', async () => {
    const h = harness({
      commit: (_, attempt) => {
        if (attempt <= 8) throw sqlError('57P03', 'the database system is starting up');
      },
    });
    await h.write(batch(1));
    expect(h.slept).toEqual([100, 200, 400, 800, 1600, 3200, 5000, 5000]);
  });

  it('gives a held batch back (rejects it, acknowledges nothing) once ingest has given up waiting', async () => {
    const msgs = batch(3);
    let stopping = false;
    const h = harness({
      givenUp: () => stopping,
      commit: (_, attempt) => {
        if (attempt === 2) stopping = true;
        throw connectionRefused();
      },
    });
    await h.write(msgs);
    expect(h.attempts).toHaveLength(2);
    expect(msgs.map((m) => m.acks)).toEqual([0, 0, 0]);
    expect(msgs.map((m) => m.rejects)).toEqual([[GIVEN_UP], [GIVEN_UP], [GIVEN_UP]]);
  });
});

describe('recovery policy: a batch the database refuses', () => {
  it('splits the batch until the one refused message is its own dead letter (stage database); the rest commits', async () => {
    const msgs = batch(8);
    const all = ids(msgs);
    const h = harness({
      commit: (held) => {
        if (held.some((m) => m.id === 'm-5' && m.entry.decoded.ok)) throw refused();
      },
    });
    await h.write(msgs);
    // Halves are written in order, the poison's half split again, down to the single message.
    expect(h.attempts).toEqual([
      all,
      ['m-0', 'm-1', 'm-2', 'm-3'],
      ['m-4', 'm-5', 'm-6', 'm-7'],
      ['m-4', 'm-5'],
      ['m-4'],
      ['m-5'],
      ['dl:database:m-5'],
      ['m-6', 'm-7'],
    ]);
    expect(h.committed.flat().sort()).toEqual([...all.filter((i) => i !== 'm-5'), 'dl:database:m-5'].sort());
    const poison = msgs[5]!.entry.decoded;
    expect(poison).toEqual({
      ok: false,
      stage: 'database',
      reason: 'database refused the message: new row violates check constraint "no_poison"',
    });
    everyAckedOnce(msgs);
    expect(h.slept).toEqual([]);
    expect(h.events.filter((e) => e === 'split')).toHaveLength(3);
    expect(h.events.filter((e) => e === 'error:refused')).toHaveLength(4);
    expect(h.lines[0]).toMatch(
      /^batch of 8 refused \(new row violates check constraint "no_poison"\); splitting/,
    );
  });

  it('turns a writer bug (neither SQL nor connection) into an internal dead letter, loudly, without retrying', async () => {
    const msgs = batch(4);
    const h = harness({
      commit: (held) => {
        if (held.some((m) => m.id === 'm-2' && m.entry.decoded.ok))
          throw new TypeError("Cannot read properties of undefined (reading 'lon')");
      },
    });
    await h.write(msgs);
    expect(msgs[2]!.entry.decoded).toEqual({
      ok: false,
      stage: 'internal',
      reason:
        "ingest failed to write the message (TypeError: Cannot read properties of undefined (reading 'lon'))",
    });
    everyAckedOnce(msgs);
    expect(h.slept).toEqual([]);
    expect(h.lines[0]).toMatch(
      /^UNEXPECTED ERROR writing a batch of 4 \(.*likely an ingest bug\): TypeError: Cannot read/,
    );
    expect(h.events).toContain('error:unexpected');
  });

  it('stores the dead letter alone when even the full writer refuses it, and counts it', async () => {
    const msgs = batch(1);
    const h = harness({
      commit: () => {
        throw refused('value too long for type character varying(64)');
      },
    });
    await h.write(msgs);
    expect(h.attempts).toEqual([['m-0'], ['dl:database:m-0']]);
    expect(h.bare).toEqual([
      {
        stage: 'database',
        reason: 'database refused the message: value too long for type character varying(64)',
      },
    ]);
    expect(h.events).toContain('dead:database');
    everyAckedOnce(msgs);
  });

  it('waits for the database to store a bare dead letter, then stores it', async () => {
    const msgs = batch(1);
    let bareTries = 0;
    const h = harness({
      retry: { initialMs: 10, maxMs: 20 },
      commit: () => {
        throw refused();
      },
      storeDeadLetter: () => {
        if (++bareTries <= 3) throw connectionRefused();
      },
    });
    await h.write(msgs);
    expect(h.slept).toEqual([10, 20, 20]);
    expect(h.lines.filter((l) => l.endsWith('ms')).every((l) => l.includes('retrying a dead letter'))).toBe(
      true,
    );
    expect(h.bare).toHaveLength(1);
    everyAckedOnce(msgs);
  });

  it('drops (acknowledges, loudly) a message that cannot be stored even as a bare dead letter', async () => {
    const msgs = batch(2);
    const h = harness({
      commit: (held) => {
        if (held.some((m) => m.id === 'm-1')) throw refused();
      },
      storeDeadLetter: () => {
        throw refused('invalid byte sequence for encoding "UTF8"');
      },
    });
    await h.write(msgs);
    expect(h.committed).toEqual([['m-0']]);
    expect(h.bare).toEqual([]);
    expect(h.events).toContain('dropped');
    expect(h.lines.at(-1)).toBe(
      'DROPPED a message on wardmap/checkin/p-0002: it cannot be stored even as a dead letter (invalid byte sequence for encoding "UTF8"; it was refused for: database refused the message: new row violates check constraint "no_poison")',
    );
    everyAckedOnce(msgs);
  });

  it('keeps a message that arrived refused (already a dead letter) on the same path', async () => {
    const msgs = batch(2);
    msgs[0]!.entry.decoded = { ok: false, stage: 'json', reason: 'payload: invalid JSON' };
    const h = harness({ commit: () => {} });
    await h.write(msgs);
    expect(h.attempts).toEqual([['dl:json:m-0', 'm-1']]);
    everyAckedOnce(msgs);
  });
});
