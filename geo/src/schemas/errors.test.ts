import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { formatPath, formatZodError, parseOrReason, showInput, unknownDiscriminator } from './errors.ts';

describe('formatZodError', () => {
  it('prefixes each issue with its dotted path and joins issues with semicolons', () => {
    const schema = z.object({ a: z.object({ b: z.array(z.number()) }), c: z.string() });
    const result = schema.safeParse({ a: { b: [1, 'x'] }, c: 3 });
    expect(result.success).toBe(false);
    const reason = formatZodError(result.error!);
    expect(reason).toMatch(/^a\.b\.1: .*; c: /);
    expect(reason).not.toContain('\n');
  });

  it('says a missing field is required', () => {
    const r = parseOrReason(z.object({ tst: z.number() }), {});
    expect(r).toEqual({ ok: false, reason: 'tst: is required (expected number)' });
  });

  it('appends the rejected value to zod messages that lack it', () => {
    const r = parseOrReason(z.object({ score: z.number().max(1) }), { score: 1.5 });
    expect(!r.ok && r.reason).toMatch(/^score: .*\(got 1\.5\)$/);
  });

  it('never echoes a rejected password or token', () => {
    const schema = z.object({ password: z.string().min(8), adminToken: z.string().max(3) });
    const r = parseOrReason(schema, { password: 'hunter2', adminToken: 'abcdef' });
    expect(!r.ok && r.reason).not.toContain('hunter2');
    expect(!r.ok && r.reason).not.toContain('abcdef');
    expect(!r.ok && r.reason).toMatch(/^password: .*; adminToken: /);
  });

  it('caps the number of reported issues', () => {
    const r = parseOrReason(z.array(z.number()), ['a', 'b', 'c', 'd', 'e', 'f', 'g']);
    expect(!r.ok && r.reason).toContain('(and 2 more)');
  });

  it('omits the path prefix for a top-level issue', () => {
    const r = parseOrReason(z.enum(['online', 'offline']), 'maybe');
    expect(!r.ok && r.reason).not.toMatch(/^:/);
  });
});

describe('parseOrReason', () => {
  it('returns the parsed (transformed) value on success', () => {
    expect(
      parseOrReason(
        z.string().transform((s) => s.length),
        'abc',
      ),
    ).toEqual({ ok: true, value: 3 });
  });
});

describe('unknownDiscriminator', () => {
  const schema = z.discriminatedUnion(
    'kind',
    [z.object({ kind: z.literal('a') }), z.object({ kind: z.literal('b') })],
    {
      error: unknownDiscriminator('thing kind'),
    },
  );

  it('names the unsupported value and the expected ones', () => {
    expect(parseOrReason(schema, { kind: 'c' })).toEqual({
      ok: false,
      reason: `kind: unsupported thing kind "c" (expected 'a' | 'b')`,
    });
  });

  it('says the discriminator is required when absent', () => {
    expect(parseOrReason(schema, {})).toEqual({
      ok: false,
      reason: `kind: thing kind is required (expected 'a' | 'b')`,
    });
  });
});

describe('helpers', () => {
  it('formats paths and truncates long inputs', () => {
    expect(formatPath(['location', 1])).toBe('location.1');
    expect(formatPath([])).toBe('');
    expect(showInput('x'.repeat(100))).toBe(`"${'x'.repeat(40)}…" (100 chars)`);
  });

  it('describes deep and huge values by type and size, never by recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(showInput(deep)).toBe('an array of 1 item');
    expect(showInput({ a: deep, b: 2 })).toBe('an object with 2 keys');
    expect(showInput([1, 2.5, null])).toBe('[1,2.5,null]');
    expect(showInput('y'.repeat(1_000_000))).toContain('(1000000 chars)');
  });

  it('gives a reason instead of throwing when validation itself overflows the stack', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = [deep];
    const res = parseOrReason(z.tuple([z.number(), z.number()]), deep);
    expect(res.ok).toBe(false);
  });
});
