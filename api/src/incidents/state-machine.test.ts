import { describe, expect, it } from 'vitest';
import { planTransition } from './state-machine.ts';

describe('incident state machine', () => {
  it('walks the happy path open -> acknowledged -> dispatched -> resolved -> verified -> closed', () => {
    let cur = { state: 'open' as const, level: 'building' as const } as const;
    const steps = [
      { action: 'acknowledge' },
      { action: 'dispatch', assigneeId: 'p-1' },
      { action: 'resolve' },
      { action: 'verify', callback: { result: 'satisfied' } },
      { action: 'close' },
    ] as const;
    const states: string[] = [];
    for (const step of steps) {
      const plan = planTransition(cur, step);
      if (!plan.ok) throw new Error(plan.reason);
      states.push(plan.toState);
      cur = { state: plan.toState, level: plan.toLevel } as never;
    }
    expect(states).toEqual(['acknowledged', 'dispatched', 'resolved', 'verified', 'closed']);
  });

  it('refuses to close an open incident and says which states close applies to', () => {
    const plan = planTransition({ state: 'open', level: 'building' }, { action: 'close' });
    expect(plan).toEqual({ ok: false, reason: expect.stringContaining('close applies to verified') });
  });

  it('escalates one level and asks the new level to acknowledge', () => {
    expect(planTransition({ state: 'dispatched', level: 'building' }, { action: 'escalate' })).toMatchObject({
      ok: true,
      toState: 'open',
      toLevel: 'block',
    });
  });

  it('refuses to escalate past the community level or downwards', () => {
    expect(planTransition({ state: 'open', level: 'community' }, { action: 'escalate' }).ok).toBe(false);
    expect(
      planTransition({ state: 'open', level: 'block' }, { action: 'escalate', level: 'building' }).ok,
    ).toBe(false);
  });

  it('sends the work back to dispatched when the resident is unsatisfied at call-back', () => {
    const plan = planTransition(
      { state: 'resolved', level: 'block' },
      { action: 'verify', callback: { result: 'unsatisfied' } },
    );
    expect(plan).toMatchObject({ ok: true, toState: 'dispatched' });
  });
});
