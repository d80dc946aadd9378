import { describe, expect, it } from 'vitest';
import { foldAlerts } from './camera-alerts.ts';

describe('foldAlerts', () => {
  it('folds new, update and end of one alert into one row with the newest state and the top score', () => {
    const base = {
      type: 'camera-alert' as const,
      cameraName: 'c',
      alertId: 'a',
      source: 'frigate' as const,
      label: 'person',
      subLabel: null,
      zones: [],
      snapshotUrl: null,
      hasClip: null,
      falsePositive: null,
      startedAt: '2024-06-01T00:00:00.000Z',
    };
    const rows = foldAlerts([
      {
        ...base,
        messageId: '3',
        state: 'end',
        score: 0.6,
        topScore: 0.6,
        endedAt: '2024-06-01T00:00:09.000Z',
        at: '2024-06-01T00:00:09.000Z',
      },
      {
        ...base,
        messageId: '1',
        state: 'new',
        score: 0.7,
        topScore: 0.7,
        endedAt: null,
        at: '2024-06-01T00:00:01.000Z',
      },
      {
        ...base,
        messageId: '2',
        state: 'update',
        score: 0.95,
        topScore: 0.95,
        endedAt: null,
        at: '2024-06-01T00:00:05.000Z',
      },
    ]);
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({
      state: 'end',
      score: 0.6,
      topScore: 0.95,
      endedAt: '2024-06-01T00:00:09.000Z',
    });
  });
});
