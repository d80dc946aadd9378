// What ingest does when a batch does not commit. See db-errors.ts for how a failure is classified:
// - 'unavailable' (the database is away or busy): wait and retry the same batch, the delay doubling
//   up to a ceiling, for as long as it takes; nothing is acknowledged meanwhile.
// - 'refused' (an SQL error about the data) or 'unexpected' (a writer bug): split the batch in two
//   and write each half, down to the one message that cannot be written; that message becomes a
//   dead letter (stage `database`, or `internal` for a bug) so the rest of the stream flows.
// - A dead letter the full writer cannot store either is stored alone, bare; if even that is
//   refused, the message is dropped, loudly.
// Every message ends acknowledged exactly once (committed, dead-lettered or dropped), or rejected
// once when ingest gave up waiting (stopping) before it was written.
// Pure policy: the database is reached only through `commit` and `storeDeadLetter`.

import { classifyWriteError, type WriteFailure } from './db-errors.ts';
import type { RejectStage } from './items.ts';
import type { BatchEntry } from './write/types.ts';

/** A message held until its batch is safe. */
export interface PendingMessage {
  entry: BatchEntry;
  /** The source's partition the message came from (an AMQP queue), for cutting batches by group. */
  group?: string;
  ack(): void;
  reject(reason: string): void;
}

/** Told about each step, for metrics. */
export interface RecoveryEvents {
  retry(): void;
  writeError(kind: Exclude<WriteFailure, 'unavailable'>): void;
  split(): void;
  /** A message dead-lettered by its bare insert (the full writer counts its own). */
  deadLettered(stage: RejectStage): void;
  dropped(): void;
}

export interface RecoveryOptions<P extends PendingMessage> {
  /** Writes the batch (decoded rows and dead letters) in one transaction; throws when it did not commit. */
  commit(batch: P[]): Promise<void>;
  /** Stores one message's dead letter on its own, without the full writer. */
  storeDeadLetter(entry: BatchEntry, stage: RejectStage, reason: string): Promise<void>;
  /** Backoff while the database is unavailable (defaults 100 ms doubling to 5 s). */
  retry?: { initialMs?: number; maxMs?: number };
  /** True once ingest stopped waiting for the database: what is not yet written is rejected. */
  givenUp(): boolean;
  log(line: string): void;
  on?: Partial<RecoveryEvents>;
  /** Injected in tests. */
  sleep?(ms: number): Promise<void>;
  classify?(err: unknown): WriteFailure;
}

/** The reason a message given up on is rejected with. */
export const GIVEN_UP = 'ingest stopped before the message was written';

/**
 * Returns the batch writer the batcher calls: it never rejects, and settles once every message
 * of the batch was acknowledged or rejected.
 */
export function writeWithRecovery<P extends PendingMessage>(
  opts: RecoveryOptions<P>,
): (batch: P[]) => Promise<void> {
  const initialMs = opts.retry?.initialMs ?? 100;
  const maxMs = opts.retry?.maxMs ?? 5000;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const classify = opts.classify ?? classifyWriteError;
  const on = opts.on ?? {};
  const log = opts.log;

  const write = async (held: P[]): Promise<void> => {
    let delay = initialMs;
    const backoff = async (err: unknown, what: string) => {
      on.retry?.();
      log(`database unavailable (${errorText(err)}); retrying ${what} in ${delay} ms`);
      await sleep(delay);
      delay = Math.min(delay * 2, maxMs);
    };
    for (;;) {
      if (opts.givenUp()) {
        for (const h of held) h.reject(GIVEN_UP);
        return;
      }
      try {
        await opts.commit(held);
        for (const h of held) h.ack();
        return;
      } catch (err) {
        const failure = classify(err);
        if (failure === 'unavailable') {
          await backoff(err, `${held.length} messages`);
          continue;
        }
        on.writeError?.(failure);
        if (failure === 'unexpected') {
          // Not the data's fault nor the database's: a bug. Loud, but the stream keeps flowing.
          log(
            `UNEXPECTED ERROR writing a batch of ${held.length} (not an SQL error, not a lost connection; likely an ingest bug): ${(err as Error)?.stack ?? errorText(err)}`,
          );
        }
        if (held.length > 1) {
          on.split?.();
          log(`batch of ${held.length} refused (${errorText(err)}); splitting it to find the message`);
          const mid = Math.ceil(held.length / 2);
          await write(held.slice(0, mid));
          await write(held.slice(mid));
          return;
        }
        const only = held[0] as P;
        const d = only.entry.decoded;
        if (d.ok) {
          // The message itself cannot be written: from now on it is its own dead letter.
          only.entry.decoded =
            failure === 'refused'
              ? { ok: false, stage: 'database', reason: `database refused the message: ${errorText(err)}` }
              : {
                  ok: false,
                  stage: 'internal',
                  reason: `ingest failed to write the message (${errorText(err, true)})`,
                };
          continue;
        }
        // Even its dead letter did not go through the full writer: store it alone, bare.
        try {
          await opts.storeDeadLetter(only.entry, d.stage, d.reason);
          on.deadLettered?.(d.stage);
          only.ack();
          return;
        } catch (bareErr) {
          if (classify(bareErr) === 'unavailable') {
            await backoff(bareErr, 'a dead letter');
            continue;
          }
          on.dropped?.();
          log(
            `DROPPED a message on ${only.entry.topic}: it cannot be stored even as a dead letter (${errorText(bareErr)}; it was refused for: ${d.reason})`,
          );
          only.ack();
          return;
        }
      }
    }
  };
  return write;
}

/** An error's message (with its class name, e.g. `TypeError: ...`, when `withName`), cut short. */
export function errorText(err: unknown, withName = false): string {
  const e = err as { name?: unknown; message?: unknown } | null;
  const text = typeof e?.message === 'string' ? e.message : String(err);
  const name = withName && typeof e?.name === 'string' ? `${e.name}: ` : '';
  return `${name}${text}`.slice(0, 300);
}
