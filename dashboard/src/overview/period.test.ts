import { describe, expect, it } from 'vitest';
import { toCsv } from './csv.ts';
import { lastDays, localDate, periodBounds } from './period.ts';

describe('overview period', () => {
  it('bounds whole Shanghai days, first to last inclusive', () => {
    expect(periodBounds('2026-11-19', '2026-11-25')).toEqual({
      from: '2026-11-18T16:00:00.000Z',
      to: '2026-11-25T15:59:59.999Z',
    });
  });
  it('takes the local date, not the UTC one, near midnight', () => {
    expect(localDate(Date.parse('2026-11-25T17:30:00Z'))).toBe('2026-11-26');
    expect(lastDays(7, Date.parse('2026-11-25T17:30:00Z'))).toEqual({
      fromDay: '2026-11-20',
      toDay: '2026-11-26',
    });
  });
});

describe('toCsv', () => {
  it('quotes commas and quotes and starts with a BOM', () => {
    expect(
      toCsv(
        ['名称', 'n'],
        [
          ['a,"b"', 1],
          [null, 2],
        ],
      ),
    ).toBe('\ufeff名称,n\r\n"a,""b""",1\r\n,2\r\n');
  });
});
