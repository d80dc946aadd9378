import type { IncidentLevel, IncidentState, IncidentTransition } from '@wardmap/geo';

/** The ladder 小事不出楼幢、大事不出区块、要事妥善提交, lowest first. */
export const LEVELS: readonly IncidentLevel[] = ['building', 'block', 'community'];

/** States in which the work is still someone's to do, so an SLA runs. */
export const ACTIVE_STATES: readonly IncidentState[] = ['open', 'acknowledged', 'dispatched'];

/** Which SLA deadline applies after a transition: acknowledge-by, resolve-by, or none. */
export type DeadlineKind = 'ack' | 'resolve' | 'keep' | 'none';

export type TransitionPlan =
  | { ok: true; toState: IncidentState; toLevel: IncidentLevel; deadline: DeadlineKind }
  | { ok: false; reason: string };

const FROM: Record<Exclude<IncidentTransition['action'], 'escalate'>, readonly IncidentState[]> = {
  acknowledge: ['open'],
  dispatch: ['open', 'acknowledged'],
  resolve: ['acknowledged', 'dispatched'],
  verify: ['resolved'],
  close: ['verified'],
  reject: ['open', 'acknowledged'],
  reopen: ['resolved', 'verified', 'rejected'],
};

const TO: Record<Exclude<IncidentTransition['action'], 'escalate' | 'verify'>, IncidentState> = {
  acknowledge: 'acknowledged',
  dispatch: 'dispatched',
  resolve: 'resolved',
  close: 'closed',
  reject: 'rejected',
  reopen: 'open',
};

/** The level above `level`, or null at the top of the ladder. */
export function nextLevel(level: IncidentLevel): IncidentLevel | null {
  return LEVELS[LEVELS.indexOf(level) + 1] ?? null;
}

/**
 * Decides what a transition does to an incident, or why it is refused (the API answers 409 with
 * the reason). Escalation hands the matter to the next level, which must acknowledge it anew, so
 * the state returns to `open`; an unsatisfied resident call-back sends the work back to `dispatched`.
 */
export function planTransition(
  current: { state: IncidentState; level: IncidentLevel },
  t: IncidentTransition,
): TransitionPlan {
  const { state, level } = current;
  if (t.action === 'escalate') {
    if (!ACTIVE_STATES.includes(state)) {
      return {
        ok: false,
        reason: `cannot escalate an incident that is ${state}; only open, acknowledged or dispatched ones`,
      };
    }
    const target = t.level ?? nextLevel(level);
    if (!target)
      return { ok: false, reason: 'already at the community level, the top of the escalation ladder' };
    if (LEVELS.indexOf(target) <= LEVELS.indexOf(level)) {
      return {
        ok: false,
        reason: `escalation must go up: the incident is at ${level}, ${target} is not above it`,
      };
    }
    return { ok: true, toState: 'open', toLevel: target, deadline: 'ack' };
  }
  const allowed = FROM[t.action];
  if (!allowed.includes(state)) {
    return {
      ok: false,
      reason: `cannot ${t.action} an incident that is ${state}; ${t.action} applies to ${allowed.join(' or ')} incidents`,
    };
  }
  switch (t.action) {
    case 'verify':
      return t.callback?.result === 'unsatisfied'
        ? { ok: true, toState: 'dispatched', toLevel: level, deadline: 'resolve' }
        : { ok: true, toState: 'verified', toLevel: level, deadline: 'none' };
    case 'acknowledge':
      return { ok: true, toState: TO.acknowledge, toLevel: level, deadline: 'resolve' };
    case 'dispatch':
      return {
        ok: true,
        toState: TO.dispatch,
        toLevel: level,
        deadline: state === 'open' ? 'resolve' : 'keep',
      };
    case 'reopen':
      return { ok: true, toState: TO.reopen, toLevel: level, deadline: 'ack' };
    default:
      return { ok: true, toState: TO[t.action], toLevel: level, deadline: 'none' };
  }
}
