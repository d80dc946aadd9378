import type { z } from 'zod';

/** The outcome of validating untrusted input: the parsed value, or a one-line human-readable reason. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; reason: string };

// Dead-letter reasons and 400 bodies should stay short; the first few issues say enough.
const MAX_ISSUES = 5;
const MAX_INPUT_CHARS = 40;

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
  const result = schema.safeParse(data, { reportInput: true });
  return result.success
    ? { ok: true, value: result.data }
    : { ok: false, reason: formatZodError(result.error) };
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

/** Renders a rejected value for a reason string: JSON, truncated so a huge payload cannot bloat the reason. */
export function showInput(value: unknown): string {
  let text: string;
  try {
    text = typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));
  } catch {
    text = String(value);
  }
  return text.length > MAX_INPUT_CHARS ? `${text.slice(0, MAX_INPUT_CHARS)}…` : text;
}
