import { accessSync, constants, readdirSync, readFileSync } from 'node:fs';
import { delimiter, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe } from 'vitest';

// Programs some tests need that a machine with only Node 20 lacks. Where one is missing, the tests
// that need it do not run and the run says so in one loud line (global setup, at its start and
// end); with CI=true a missing program fails the run instead.

export interface Program {
  /** What it is, for the report. */
  name: string;
  /** How to get it. */
  install: string;
  /** The `describe` wrapper the tests needing it use (found in test files for the report). */
  marker: string;
  /** The executable, or undefined where absent. */
  find(): string | undefined;
}

const executable = (path: string) => {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** `name` on PATH or in the given extra folders (Debian puts daemons in /usr/sbin, often not on PATH). */
export function which(name: string, extra: string[] = []): string | undefined {
  const dirs = [...(process.env.PATH ?? '').split(delimiter).filter(Boolean), ...extra];
  for (const d of dirs) if (executable(join(d, name))) return join(d, name);
  return undefined;
}

export const MOSQUITTO: Program = {
  name: 'Mosquitto (mosquitto)',
  install: 'apt-get install mosquitto, or set WARDMAP_MOSQUITTO to its path',
  marker: 'describeMosquitto(',
  find: () => {
    const set = process.env.WARDMAP_MOSQUITTO;
    if (set) return executable(set) ? set : undefined;
    return which('mosquitto', ['/usr/sbin']);
  },
};

export const CHROMIUM: Program = {
  name: 'Chromium',
  install: 'apt-get install chromium, or set WARDMAP_CHROMIUM to its path',
  marker: 'describeBrowser(',
  find: () => {
    const path = process.env.WARDMAP_CHROMIUM ?? '/usr/bin/chromium';
    return executable(path) ? path : undefined;
  },
};

export const RABBITMQ: Program = {
  name: 'RabbitMQ (rabbitmq-server, for a private node/cluster)',
  install: 'apt-get install rabbitmq-server, or set WARDMAP_RABBITMQ_BIN to its bin folder',
  marker: 'describeRabbit(',
  find: () => {
    const bin = join(process.env.WARDMAP_RABBITMQ_BIN ?? '/usr/lib/rabbitmq/bin', 'rabbitmq-server');
    return executable(bin) ? bin : undefined;
  },
};

export const POSTGRES: Program = {
  name: "PostgreSQL 15 server programs (initdb, pg_ctl: the fault suite's private cluster)",
  install: 'apt-get install postgresql-15-postgis-3, or set WARDMAP_PG_BIN to its bin folder',
  marker: 'describePostgres(',
  find: () => {
    const bin = join(process.env.WARDMAP_PG_BIN ?? '/usr/lib/postgresql/15/bin', 'initdb');
    return executable(bin) ? bin : undefined;
  },
};

export const PROGRAMS = [MOSQUITTO, CHROMIUM, RABBITMQ, POSTGRES];

/** `describe` for tests that need `program`: skipped where it is absent (the run reports it). */
export const describeWith = (program: Program) => describe.skipIf(!program.find());

/** `describe` for tests that start a private RabbitMQ node or cluster. */
export const describeRabbit = describeWith(RABBITMQ);

/** `describe` for tests that start a private PostgreSQL cluster (initdb + pg_ctl, as the fault suite does). */
export const describePostgres = describeWith(POSTGRES);

const TEST_ROOT = fileURLToPath(new URL('..', import.meta.url));

function filesUsing(marker: string): string[] {
  const out: string[] = [];
  const walk = (dir: string) => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.name.endsWith('.test.ts') && readFileSync(p, 'utf8').includes(marker))
        out.push(relative(join(TEST_ROOT, '../..'), p));
    }
  };
  walk(TEST_ROOT);
  return out.sort();
}

/**
 * One line naming every missing program, the test files that therefore do not run, and how to
 * install it; undefined when nothing is missing.
 */
export function missingProgramsLine(programs: Program[] = PROGRAMS): string | undefined {
  const missing = programs.filter((p) => !p.find());
  if (!missing.length) return undefined;
  const parts = missing.map((p) => {
    const files = filesUsing(p.marker);
    return `${p.name} is missing, so ${files.length} test file${files.length === 1 ? '' : 's'} did not run (${files.join(', ')}) — ${p.install}`;
  });
  return `!!!!! NOT RUN: ${parts.join('; ')}. CI=true makes this a failure. !!!!!`;
}
