import { describe, expect, it } from 'vitest';
import { ChangeSet, changed, changedSummary } from './types.ts';

describe('changes', () => {
  it('are nothing when nothing changed', () => {
    expect(changed('checkins', [])).toEqual([]);
    expect(changedSummary('checkins', [], 0)).toEqual([]);
  });

  it('merge by kind in the order first seen: ids appended, unlisted counted, boxes widened', () => {
    const set = new ChangeSet([
      ...changed('dead_letters', ['1']),
      ...changedSummary('checkins', ['a', 'b'], 5, [121.6, 29.7, 121.7, 29.8]),
      ...changed('positions', ['p-1'], [[121.5, 29.9]]),
      ...changed('dead_letters', ['2']),
      ...changed(
        'positions',
        ['p-2'],
        [
          [121.8, 29.6],
          [121.65, 29.75],
        ],
      ),
    ]);
    expect([...set.ids]).toEqual([
      ['dead_letters', ['1', '2']],
      ['checkins', ['a', 'b']],
      ['positions', ['p-1', 'p-2']],
    ]);
    expect([...set.unlisted]).toEqual([['checkins', 3]]);
    expect(set.boxes.get('checkins')).toEqual([121.6, 29.7, 121.7, 29.8]);
    expect(set.boxes.get('positions')).toEqual([121.5, 29.6, 121.8, 29.9]);
    expect(set.boxes.has('dead_letters')).toBe(false);
  });
});
