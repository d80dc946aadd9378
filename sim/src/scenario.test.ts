import { generateReference } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import type { Publication } from './publication.ts';
import { createScenario } from './scenario.ts';
import { publicationProblem } from './validate-publication.ts';

const ref = generateReference();
// 10:00 local time on a June day: day shift on duty, river chiefs in daylight.
const START = Date.parse('2026-06-01T02:00:00Z');
const HOUR = 3_600_000;

function run(opts: { seed?: number; start?: number; hours: number; intensity?: number }): Publication[] {
  const start = opts.start ?? START;
  const s = createScenario({ start, seed: opts.seed ?? 1, reference: ref, intensity: opts.intensity ?? 1 });
  return s.schedule.runUntil(start + opts.hours * HOUR);
}

const day = run({ hours: 24, intensity: 4 });
const byKind = (kind: Publication['kind']) => day.filter((p) => p.kind === kind);
const body = (p: Publication) => JSON.parse(p.payload) as Record<string, unknown>;

describe('demo scenario', () => {
  it('publishes only payloads that pass the geo wire schemas, for every kind', () => {
    const kinds = new Set(day.map((p) => p.kind));
    expect([...kinds].sort()).toEqual(
      ['camera_alert', 'checkin', 'frigate_available', 'frigate_event', 'owntracks', 'river_report'].sort(),
    );
    const problems = day
      .map((p) => ({ topic: p.topic, problem: publicationProblem(p) }))
      .filter((x) => x.problem);
    expect(problems.slice(0, 3)).toEqual([]);
  });

  it('gives every message a unique message id', () => {
    const ids = day.filter((p) => p.kind !== 'frigate_available').map((p) => p.messageId);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('names only demo people, cameras and segments, each on its own topic', () => {
    const people = new Set(ref.people.map((p) => p.id));
    const cameras = new Set(ref.cameras.map((c) => c.id));
    const chiefOf = new Map(ref.riverSegments.map((s) => [s.id, s.chiefId]));
    for (const p of byKind('checkin')) expect(body(p).personId).toBe(p.topic.split('/')[2]);
    for (const p of [...byKind('checkin'), ...byKind('owntracks')]) {
      expect(people.has(p.topic.split('/')[p.kind === 'checkin' ? 2 : 1] as string)).toBe(true);
    }
    for (const p of byKind('camera_alert')) expect(cameras.has(p.topic.split('/')[2] as string)).toBe(true);
    for (const p of byKind('frigate_event')) {
      const e = body(p) as { after: { camera: string } };
      expect(cameras.has(e.after.camera)).toBe(true);
    }
    for (const p of byKind('river_report')) {
      expect(body(p).personId).toBe(chiefOf.get(p.topic.split('/')[2] as string));
    }
  });

  it('is deterministic: the same seed and start give the same bytes, another seed does not', () => {
    const a = run({ hours: 2 });
    const b = run({ hours: 2 });
    const c = run({ hours: 2, seed: 2 });
    expect(b.map((p) => `${p.at} ${p.topic} ${p.payload}`)).toEqual(
      a.map((p) => `${p.at} ${p.topic} ${p.payload}`),
    );
    expect(c.map((p) => p.payload)).not.toEqual(a.map((p) => p.payload));
  });

  it.each([
    ['at 10:00 local', START],
    ['at 02:00 local', Date.parse('2026-06-01T18:00:00Z')],
  ])(
    'shows check-ins, a camera alert in both formats and a river report in the first 20 s (%s)',
    (_, start) => {
      const first = run({ start, hours: 20 / 3600 });
      const kinds = new Set(first.map((p) => p.kind));
      expect(kinds).toContain('camera_alert');
      expect(kinds).toContain('frigate_event');
      expect(kinds).toContain('river_report');
      const checkins = first.filter((p) => p.kind === 'checkin' || p.kind === 'owntracks');
      expect(checkins.filter((p) => p.at <= start + 2000).length).toBeGreaterThan(0);
    },
  );

  it('runs Frigate events new -> update -> end with before = the previous after', () => {
    const events = byKind('frigate_event').map(
      (p) => body(p) as { type: string; before: Record<string, unknown>; after: Record<string, unknown> },
    );
    const byId = new Map<string, typeof events>();
    for (const e of events) byId.set(e.after.id as string, [...(byId.get(e.after.id as string) ?? []), e]);
    let complete = 0;
    for (const seq of byId.values()) {
      const types = seq.map((e) => e.type);
      if (types.at(-1) !== 'end') continue; // cut off at the end of the simulated day
      complete += 1;
      expect(types[0]).toBe('new');
      expect(types.slice(1, -1).every((t) => t === 'update')).toBe(true);
      expect(seq[0]?.before).toEqual(seq[0]?.after);
      for (let i = 1; i < seq.length; i++) expect(seq[i]?.before).toEqual(seq[i - 1]?.after);
      expect(seq.at(-1)?.after.end_time).toBeTypeOf('number');
      expect(seq[0]?.after.end_time).toBeNull();
    }
    expect(complete).toBeGreaterThan(5);
  });

  it('runs native camera alerts new -> update -> end under one eventId, smoke or fire rarely', () => {
    const alerts = byKind('camera_alert').map(
      (p) => body(p) as { eventId: string; state: string; label: string },
    );
    const states = new Map<string, string[]>();
    for (const a of alerts) states.set(a.eventId, [...(states.get(a.eventId) ?? []), a.state]);
    for (const s of states.values()) {
      expect(s[0]).toBe('new');
      if (s.length > 1) expect(s.slice(1, -1).every((x) => x === 'update')).toBe(true);
    }
    const labels = alerts.map((a) => a.label);
    expect(new Set(labels)).toContain('loitering');
    const fire = labels.filter((l) => l === 'smoke' || l === 'fire').length;
    expect(fire).toBeLessThan(labels.length / 10);
  });

  it('sends a burst of queued check-ins after an offline gap, each with its original device time', () => {
    const late = byKind('checkin').filter((p) => Date.parse(body(p).at as string) < p.at);
    expect(late.length).toBeGreaterThan(0);
    const lagMs = late.map((p) => p.at - Date.parse(body(p).at as string));
    expect(Math.max(...lagMs)).toBeGreaterThanOrEqual(60_000);
    const lwt = byKind('owntracks').filter((p) => body(p)._type === 'lwt');
    expect(lwt.length).toBeGreaterThan(0);
  });

  it('sends OwnTracks locations with Unix seconds, some numbers as strings, and region transitions', () => {
    const ot = byKind('owntracks').map(body);
    const locations = ot.filter((b) => b._type === 'location');
    expect(locations.every((b) => Number.isInteger(b.tst) && (b.tst as number) < 1e11)).toBe(true);
    expect(locations.some((b) => typeof b.lat === 'string')).toBe(true);
    expect(locations.some((b) => typeof b.lat === 'number')).toBe(true);
    const transitions = ot.filter((b) => b._type === 'transition').map((b) => b.event);
    expect(new Set(transitions)).toEqual(new Set(['enter', 'leave']));
  });

  it('has river chiefs patrol start -> track -> end, some too short to count as valid', () => {
    // Chiefs patrol weekly to monthly: look at two weeks, keeping only river reports.
    const s = createScenario({ start: START, seed: 1, reference: ref });
    const river: Publication[] = [];
    for (let h = 1; h <= 14 * 24; h++) {
      for (const p of s.schedule.runUntil(START + h * HOUR)) if (p.kind === 'river_report') river.push(p);
    }
    const reports = river.map((p) => ({ p, b: body(p) }));
    const patrols = new Map<string, { types: string[]; times: number[] }>();
    for (const { p, b } of reports) {
      if (!b.patrolId || b.type === 'issue') continue;
      const e = patrols.get(b.patrolId as string) ?? { types: [], times: [] };
      e.types.push(b.type as string);
      e.times.push(p.at);
      patrols.set(b.patrolId as string, e);
    }
    const done = [...patrols.values()].filter((e) => e.types.at(-1) === 'patrol_end');
    expect(done.length).toBeGreaterThan(3);
    for (const e of done) expect(e.types[0]).toBe('patrol_start');
    const minutes = done.map((e) => ((e.times.at(-1) as number) - (e.times[0] as number)) / 60_000);
    expect(minutes.some((m) => m < 10)).toBe(true);
    expect(minutes.some((m) => m >= 15)).toBe(true);
    const issues = reports.filter(({ b }) => b.type === 'issue').map(({ b }) => b.issue);
    expect(issues.length).toBeGreaterThan(0);
    // Two simulated weeks of every actor: ~9 s on a quiet two-core machine, far more when it is shared.
  }, 180_000);

  it('takes the Frigate NVR offline and back within the first day and a half', () => {
    const s = createScenario({ start: START, seed: 1, reference: ref });
    const avail: string[] = [];
    for (let h = 1; h <= 36; h++) {
      for (const p of s.schedule.runUntil(START + h * HOUR))
        if (p.kind === 'frigate_available') avail.push(p.payload);
    }
    expect(avail.slice(0, 3)).toEqual(['online', 'offline', 'online']);
  });

  it('keeps patrollers inside their shifts: day-shift people are quiet at 02:00 local', () => {
    const night = run({ start: Date.parse('2026-06-01T18:00:00Z'), hours: 1 });
    const day1 = run({ hours: 1 });
    const who = (ps: Publication[]) =>
      new Set(
        ps
          .filter((p) => p.kind === 'checkin' || p.kind === 'owntracks')
          .map((p) => p.topic.split('/')[p.kind === 'checkin' ? 2 : 1]),
      );
    const nightPeople = who(night);
    const dayPeople = who(day1);
    expect(nightPeople.size).toBeGreaterThan(10);
    expect(dayPeople.size).toBeGreaterThan(10);
    expect([...nightPeople].filter((p) => dayPeople.has(p))).toEqual([]);
  });

  it('puts a seed-chosen share of phones on HTTP without changing what any device sends', () => {
    const mqttOnly = createScenario({ start: START, seed: 1, reference: ref });
    const mixed = createScenario({ start: START, seed: 1, reference: ref, httpShare: 0.3 });
    const again = createScenario({ start: START, seed: 1, reference: ref, httpShare: 0.3 });
    expect(mqttOnly.actors.httpPhones).toBe(0);
    expect(mixed.actors.httpPhones).toBeGreaterThan(mixed.actors.patrollers * 0.15);
    expect(mixed.actors.httpPhones).toBeLessThan(mixed.actors.patrollers * 0.45);
    const a = mqttOnly.schedule.runUntil(START + HOUR);
    const b = mixed.schedule.runUntil(START + HOUR);
    const c = again.schedule.runUntil(START + HOUR);
    expect(a.some((p) => p.via)).toBe(false);
    const overHttp = b.filter((p) => p.via === 'http');
    expect(new Set(overHttp.map((p) => p.kind))).toEqual(new Set(['checkin', 'owntracks']));
    expect(c.filter((p) => p.via === 'http').map((p) => p.messageId)).toEqual(
      overHttp.map((p) => p.messageId),
    );
    // Same bytes either way; HTTP phones only lose the OwnTracks last will (no connection to cut).
    const key = (p: Publication) => `${p.at} ${p.topic} ${p.payload}`;
    const isLwt = (p: Publication) => p.lastWill === true;
    const httpPeople = new Set(overHttp.map((p) => p.identity));
    expect(b.map(key)).toEqual(a.filter((p) => !(isLwt(p) && httpPeople.has(p.identity))).map(key));
    expect(b.filter(isLwt).every((p) => !httpPeople.has(p.identity))).toBe(true);
  });
});
