import { describe, expect, it } from 'vitest';
import {
  decideCameraIncident,
  decideRiverIncident,
  DEFAULT_INCIDENT_RULES as rules,
} from './incident-rules.ts';
import { foldAlerts } from './write/camera-alerts.ts';

describe('incident rules', () => {
  it('opens a camera incident only for listed labels at or above the score threshold', () => {
    expect(decideCameraIncident(rules, { label: 'person', topScore: 0.69, falsePositive: null })).toBeNull();
    expect(decideCameraIncident(rules, { label: 'car', topScore: 0.99, falsePositive: null })).toBeNull();
    expect(decideCameraIncident(rules, { label: 'fire', topScore: 0.9, falsePositive: true })).toBeNull();
    expect(decideCameraIncident(rules, { label: 'person', topScore: 0.7, falsePositive: false })).toEqual({
      category: 'person',
      level: 'building',
      severity: 'medium',
    });
    expect(decideCameraIncident(rules, { label: 'smoke', topScore: 0.8, falsePositive: null })).toEqual({
      category: 'smoke',
      level: 'block',
      severity: 'high',
    });
  });

  it('uses the reported severity of a river issue, else the issue default', () => {
    expect(decideRiverIncident(rules, { issue: 'garbage', severity: null })).toEqual({
      category: 'garbage',
      level: 'block',
      severity: 'low',
    });
    expect(decideRiverIncident(rules, { issue: 'garbage', severity: 'high' }).severity).toBe('high');
  });
});

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
