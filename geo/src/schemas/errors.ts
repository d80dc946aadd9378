import type { z } from 'zod';

/** The outcome of validating untrusted input: the parsed value, or a one-line human-readable reason. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

// Dead-letter reasons and 400 bodies should stay short; the first few issues say enough.
const MAX_ISSUES = 5;
const MAX_INPUT_CHARS = 40;
const MAX_SHOWN_ITEMS = 4;

/** Formats a zod error as one line, each issue prefixed by its dotted path, e.g. `location.1: latitude must be between -90 and 90 (got 91)`. */
export function formatZodError(err: z.ZodError): string {
  const parts = err.issues.slice(0, MAX_ISSUES).map(describeIssue);
  const more = err.issues.length - MAX_ISSUES;
  if (more > 0) parts.push(`(and ${more} more)`);
  return parts.join('; ');
}

/** Parses `data` with `schema`, returning `{ ok: true, value }` or `{ ok: false, reason }` instead of throwing. */
export function parseOrReason<S extends z.ZodType>(schema: S, data: unknown): ParseResult<z.output<S>> {
  // reportInput lets the formatter append "(got …)" to zod's own messages.
  // Never throws: a recursive schema (GeoJSON) or an error function may still overflow the stack
  // on absurdly deep input, and the caller's contract is "a value or a reason".
  try {
    const result = schema.safeParse(data, { reportInput: true });
    return result.success
      ? { ok: true, value: result.data }
      : { ok: false, reason: formatZodError(result.error) };
  } catch (err) {
    return { ok: false, reason: `cannot be validated (${failureText(err)}; ${showInput(data)})` };
  }
}

/** A thrown value as a short `Name: message` (for reasons; never the stack). */
export function failureText(err: unknown): string {
  try {
    const e = err as { name?: unknown; message?: unknown } | null;
    const name = typeof e?.name === 'string' ? `${e.name}: ` : '';
    const message = typeof e?.message === 'string' ? e.message : typeof err;
    return `${name}${message}`.slice(0, 200);
  } catch {
    return 'unknown error';
  }
}

/** Joins a zod issue path with dots; the empty path (the whole payload) is rendered as nothing. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path.map((key) => String(key)).join('.');
}

/**
 * An error function for `z.discriminatedUnion` that names the rejected discriminator value, e.g.
 * `unsupported OwnTracks message type "waypoint" (expected 'location' | 'transition' | 'lwt')`.
 */
export function unknownDiscriminator(what: string) {
  return (iss: z.core.$ZodRawIssue): string | undefined => {
    if (iss.code !== 'invalid_union' || !('discriminator' in iss) || typeof iss.discriminator !== 'string') {
      return undefined;
    }
    const options: unknown[] = 'options' in iss && Array.isArray(iss.options) ? iss.options : [];
    const expected = options.map((o) => `'${String(o)}'`).join(' | ');
    const input = iss.input;
    const value =
      typeof input === 'object' && input !== null
        ? (input as Record<string, unknown>)[iss.discriminator]
        : undefined;
    if (value === undefined) return `${what} is required (expected ${expected})`;
    return `unsupported ${what} ${showInput(value)} (expected ${expected})`;
  };
}

function describeIssue(issue: z.core.$ZodIssue): string {
  const path = formatPath(issue.path);
  const message = issueMessage(issue);
  return path === '' ? message : `${path}: ${message}`;
}

function issueMessage(issue: z.core.$ZodIssue): string {
  // zod phrases a missing field as "expected number, received undefined"; say what it means.
  if (issue.code === 'invalid_type' && issue.message.endsWith('received undefined')) {
    return `is required (expected ${issue.expected})`;
  }
  if (issue.code === 'invalid_union' && issue.errors.length > 0 && issue.message === 'Invalid input') {
    // A plain union failed in every branch: report the branch that got furthest (fewest issues).
    const best = [...issue.errors].sort((a, b) => a.length - b.length)[0];
    const first = best?.[0];
    if (first) return issueMessage(first);
  }
  const input = 'input' in issue ? issue.input : undefined;
  if (input === undefined || !isPrimitive(input) || isSecretPath(issue.path)) return issue.message;
  const shown = showInput(input);
  // Custom messages usually quote the value already.
  return issue.message.includes(shown) ? issue.message : `${issue.message} (got ${shown})`;
}

// Reasons end up in dead letters, logs and 400 bodies: never echo a rejected password or token.
const SECRET_KEY = /pass(word)?|secret|token/i;
function isSecretPath(path: readonly PropertyKey[]): boolean {
  return path.some((key) => typeof key === 'string' && SECRET_KEY.test(key));
}

function isPrimitive(value: unknown): value is string | number | boolean | null {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/**
 * Renders a rejected value for a reason string without ever recursing into it: primitives as JSON
 * (strings cut short, with their length), a short flat array of primitives as JSON, anything else
 * by type and size (`an array of 5000 items`, `an object with 3 keys`). A payload nested thousands
 * of levels deep would overflow the stack in JSON.stringify or Array#toString, and a throw here
 * would turn "refuse this message" into "stall the stream".
 */
export function showInput(value: unknown): string {
  try {
    return describeValue(value);
  } catch {
    return `a value of type ${typeof value}`;
  }
}

function describeValue(value: unknown): string {
  switch (typeof value) {
    case 'string': {
      if (value.length <= MAX_INPUT_CHARS) return JSON.stringify(value);
      return `${JSON.stringify(value.slice(0, MAX_INPUT_CHARS)).slice(0, -1)}…" (${value.length} chars)`;
    }
    case 'number':
    case 'boolean':
    case 'bigint':
    case 'undefined':
      return String(value);
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        const flat =
          value.length <= MAX_SHOWN_ITEMS &&
          value.every((v) => v === null || ['number', 'boolean'].includes(typeof v));
        if (flat) return `[${value.map((v) => String(v)).join(',')}]`;
        return `an array of ${value.length} ${value.length === 1 ? 'item' : 'items'}`;
      }
      const keys = Object.keys(value).length;
      return `an object with ${keys} ${keys === 1 ? 'key' : 'keys'}`;
    }
    default:
      return `a ${typeof value}`;
  }
}
