import { generateReference } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { createLoadMessages } from './load-messages.ts';
import { publicationProblem } from './validate-publication.ts';

const ref = generateReference();

describe('load-mode messages', () => {
  it('cycles through demo people by default and stays valid for every kind in the mix', () => {
    const next = createLoadMessages({
      patrollers: 500,
      runTag: 'x1',
      reference: ref,
      mix: { checkin: 1, owntracks: 1, camera: 1, river: 1 },
    });
    const people = new Set(ref.people.map((p) => p.id));
    const now = Date.parse('2026-06-01T02:00:00Z');
    const msgs = Array.from({ length: 4000 }, (_, i) => next(now + Math.floor(i / 10)));
    expect(new Set(msgs.map((m) => m.kind))).toEqual(
      new Set(['checkin', 'owntracks', 'camera_alert', 'river_report']),
    );
    for (const m of msgs) {
      expect(publicationProblem({ ...m, at: now, identity: null })).toBeNull();
      if (m.kind === 'checkin' || m.kind === 'owntracks') {
        expect(people.has(m.topic.split('/')[m.kind === 'checkin' ? 2 : 1] as string)).toBe(true);
      }
    }
    // OwnTracks ids derive from (user, device, tst): still unique when many arrive in one second.
    expect(new Set(msgs.map((m) => m.messageId)).size).toBe(msgs.length);
  });

  it('uses synthetic load-NNNNNN person ids when asked', () => {
    const next = createLoadMessages({ patrollers: 3, runTag: 'x2', reference: ref, syntheticPeople: true });
    expect(next(Date.now()).topic).toBe('wardmap/checkin/load-000002');
  });
});
