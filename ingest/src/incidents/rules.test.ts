import { describe, expect, it } from 'vitest';
import { decideCameraIncident, decideRiverIncident, DEFAULT_INCIDENT_RULES as rules } from './rules.ts';

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
