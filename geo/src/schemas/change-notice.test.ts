import { describe, expect, it } from 'vitest';
import {
  buildChangeNotice,
  buildChangeNotices,
  ChangeNoticeSchema,
  encodeChangeNotice,
  MAX_CHANGE_NOTICE_IDS,
  MAX_NOTIFY_BYTES,
} from './change-notice.ts';
import { parseOrReason } from './errors.ts';

const at = new Date('2024-06-01T00:00:00Z');

describe('ChangeNoticeSchema', () => {
  it('accepts a notice with seq and bbox', () => {
    const n = {
      seq: 12,
      kind: 'checkins',
      ids: ['ck-1', 'ck-2'],
      count: 2,
      bbox: [121.6, 29.7, 121.7, 29.8],
      at: '2024-06-01T00:00:00.000Z',
    };
    expect(ChangeNoticeSchema.parse(n)).toEqual(n);
  });

  it('rejects an unknown kind, naming kind', () => {
    const r = parseOrReason(ChangeNoticeSchema, { kind: 'weather', ids: [], count: 0, at: 1717200000000 });
    expect(!r.ok && r.reason).toMatch(/^kind: /);
  });

  it('rejects more ids than the cap and a count below ids.length', () => {
    const ids = Array.from({ length: MAX_CHANGE_NOTICE_IDS + 1 }, (_, i) => `id-${i}`);
    expect(ChangeNoticeSchema.safeParse({ kind: 'incidents', ids, count: ids.length, at }).success).toBe(
      false,
    );
    const r = parseOrReason(ChangeNoticeSchema, {
      kind: 'incidents',
      ids: ['a', 'b'],
      count: 1,
      at: at.toISOString(),
    });
    expect(r).toEqual({ ok: false, reason: 'count: count must be at least ids.length' });
  });
});

describe('buildChangeNotice / encodeChangeNotice', () => {
  it('caps ids but counts them all', () => {
    const ids = Array.from({ length: 500 }, (_, i) => `ck-${i}`);
    const n = buildChangeNotice('checkins', ids, at, { seq: 3 });
    expect(n.ids).toHaveLength(MAX_CHANGE_NOTICE_IDS);
    expect(n.count).toBe(500);
    expect(ChangeNoticeSchema.parse(n)).toEqual(n);
  });

  it('keeps the worst-case notice (longest ids, bbox, seq) under 8000 bytes with every id', () => {
    const ids = Array.from({ length: MAX_CHANGE_NOTICE_IDS }, (_, i) => `${i}`.padEnd(128, 'x'));
    const n = buildChangeNotice('dead_letters', ids, at, {
      seq: Number.MAX_SAFE_INTEGER,
      bbox: [-179.123456789, -89.123456789, 179.123456789, 89.123456789],
    });
    const text = encodeChangeNotice(n);
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(MAX_NOTIFY_BYTES);
    expect(ChangeNoticeSchema.parse(JSON.parse(text)).ids).toHaveLength(MAX_CHANGE_NOTICE_IDS);
  });

  it('drops ids rather than exceed the NOTIFY limit when ids are multi-byte', () => {
    const ids = Array.from({ length: MAX_CHANGE_NOTICE_IDS }, () => '界'.repeat(128));
    const text = encodeChangeNotice({ kind: 'incidents', ids, count: 50, at: at.toISOString() });
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(MAX_NOTIFY_BYTES);
    const parsed = JSON.parse(text) as { ids: string[]; count: number };
    expect(parsed.ids.length).toBeLessThan(MAX_CHANGE_NOTICE_IDS);
    expect(parsed.count).toBe(50);
  });
});

describe('buildChangeNotices', () => {
  const at = new Date('2025-06-01T08:00:00Z');
  it('carries every id of a large change across several notices, none truncated', () => {
    const ids = Array.from({ length: 1234 }, (_, i) => `p-${i}`);
    let seq = 0;
    const notices = buildChangeNotices('positions', ids, at, { nextSeq: () => seq++ });
    expect(notices).toHaveLength(Math.ceil(1234 / MAX_CHANGE_NOTICE_IDS));
    expect(notices.flatMap((n) => n.ids)).toEqual(ids);
    for (const n of notices) expect(n.count).toBe(n.ids.length);
    expect(notices.map((n) => n.seq)).toEqual(notices.map((_, i) => i));
  });

  it('adds changes counted but not named to the first notice', () => {
    const [first] = buildChangeNotices('checkins', ['a', 'b'], at, { unlisted: 5 });
    expect(first).toMatchObject({ ids: ['a', 'b'], count: 7 });
    expect(buildChangeNotices('checkins', [], at, { unlisted: 3 })).toEqual([
      expect.objectContaining({ ids: [], count: 3 }),
    ]);
  });
});
