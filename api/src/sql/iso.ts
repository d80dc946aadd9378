/** Timestamps come back as Date from both drivers (strings from some casts); the API speaks ISO strings. */
export function iso(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  return v instanceof Date ? v.toISOString() : new Date(String(v)).toISOString();
}
