import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { RiverReportSchema } from './river-report.ts';

function reasonOf(data: unknown): string {
  const r = parseOrReason(RiverReportSchema, data);
  if (r.ok) throw new Error(`expected a rejection, got ${JSON.stringify(r.value)}`);
  return r.reason;
}

const at = '2024-06-01T07:30:00+08:00';

describe('RiverReportSchema', () => {
  it('accepts a patrol start, track and end', () => {
    const start = RiverReportSchema.parse({
      type: 'patrol_start',
      id: 'rr-1',
      personId: 'rc-03',
      patrolId: 'pt-9',
      at,
    });
    const track = RiverReportSchema.parse({
      type: 'track',
      id: 'rr-2',
      patrolId: 'pt-9',
      location: [121.61, 29.78],
      at,
    });
    const end = RiverReportSchema.parse({
      type: 'patrol_end',
      id: 'rr-3',
      patrolId: 'pt-9',
      at: 1717200000000,
    });
    expect([start.type, track.type, end.type]).toEqual(['patrol_start', 'track', 'patrol_end']);
    expect(start.at).toBe('2024-05-31T23:30:00.000Z');
  });

  it('accepts an issue report with count, tons, note, photo and severity', () => {
    const r = RiverReportSchema.parse({
      type: 'issue',
      id: 'rr-4',
      issue: 'net_cage',
      count: 3,
      tons: 0.5,
      note: '河道内发现3处网箱',
      photoUrl: 'https://photos.example.org/rr-4.jpg',
      location: [121.612, 29.781],
      severity: 'medium',
      at,
    });
    expect(r).toMatchObject({ type: 'issue', issue: 'net_cage', count: 3 });
  });

  it('rejects a patrol end without patrolId, naming patrolId', () => {
    expect(reasonOf({ type: 'patrol_end', id: 'rr-3', at })).toBe('patrolId: is required (expected string)');
  });

  it('rejects a track with latitude 91, naming location.1', () => {
    expect(reasonOf({ type: 'track', id: 'rr-2', patrolId: 'pt-9', location: [121.6, 91], at })).toBe(
      'location.1: latitude must be between -90 and 90 (got 91)',
    );
  });

  it('rejects an unknown issue kind, naming issue', () => {
    expect(reasonOf({ type: 'issue', id: 'rr-5', issue: 'tyres', at })).toMatch(/^issue: .*\(got "tyres"\)/);
  });

  it('rejects a fractional count and a note over 2000 characters', () => {
    expect(reasonOf({ type: 'issue', id: 'rr-6', issue: 'garbage', count: 1.5, at })).toMatch(/^count: /);
    expect(reasonOf({ type: 'issue', id: 'rr-7', issue: 'garbage', note: 'x'.repeat(2001), at })).toMatch(
      /^note: /,
    );
  });

  it('rejects an unknown report type, naming type and the value', () => {
    expect(reasonOf({ type: 'patrol_pause', id: 'rr-8', at })).toBe(
      `type: unsupported river report type "patrol_pause" (expected 'patrol_start' | 'patrol_end' | 'track' | 'issue')`,
    );
  });
});
