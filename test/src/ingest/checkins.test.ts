import { manualClock } from '@wardmap/geo';
import { describe, expect, it } from 'vitest';
import { eventually, useIngestPipeline } from '../support/ingest.ts';

const clock = manualClock(new Date('2024-06-01T08:00:00Z'));
const t = useIngestPipeline({ clock, publisher: 'phone' });

// A point inside grid-yinxue-01 of the demo geography.
const inYinxue01: [number, number] = [121.6202, 29.7505];

describe('native check-ins', () => {
  it('stores a check-in enriched with its grid and community, and the latest position', async () => {
    await t.pub.publish('wardmap/checkin/p-0002', {
      id: 'ck-native-1',
      location: inYinxue01,
      at: '2024-06-01T07:59:00Z',
      battery: 80,
    });
    const row = await eventually(async () => {
      const r = await t.db.query<{ grid_id: string; community_id: string; battery: number; source: string }>(
        `SELECT grid_id, community_id, battery, source FROM checkins WHERE message_id = 'ck-native-1'`,
      );
      return r.rows[0];
    });
    expect(row).toEqual({
      grid_id: 'grid-yinxue-01',
      community_id: 'com-yinxue',
      battery: 80,
      source: 'native',
    });
    const pos = await t.db.query(`SELECT grid_id, message_id FROM positions WHERE person_id = 'p-0002'`);
    expect(pos.rows).toEqual([{ grid_id: 'grid-yinxue-01', message_id: 'ck-native-1' }]);
  });

  it('sends a change notice after the commit', async () => {
    const notices: string[] = [];
    const unlisten = await t.db.listen('wardmap_changes', (p) => notices.push(p));
    try {
      await t.pub.publish('wardmap/checkin/p-0003', {
        id: 'ck-native-2',
        location: inYinxue01,
        at: '2024-06-01T08:00:00Z',
      });
      const n = await eventually(async () =>
        notices.map((t) => JSON.parse(t)).find((x) => x.kind === 'checkins' && x.ids.includes('ck-native-2')),
      );
      expect(n.count).toBe(1);
      expect(n.bbox).toEqual([...inYinxue01, ...inYinxue01]);
    } finally {
      await unlisten();
    }
  });
});

describe('two batches in flight', () => {
  it('builds complete patrol tracks when small batches are prepared side by side and written in turn', async () => {
    // Tiny batches, two writers: a start, a burst of locations and an end spread over many batches.
    const busy = await t.startIngest('ingest-pair', {
      topicPrefix: `${t.broker.topicPrefix}pair/`,
      batch: { maxRows: 3, overlapRows: 1, maxConcurrent: 2, maxWaitMs: 0 },
    });
    const people = ['p-0010', 'p-0011', 'p-0012'];
    const at = (s: number) => new Date(Date.parse('2024-06-01T06:00:00Z') + s * 1000).toISOString();
    const spot = (k: number): [number, number] => [inYinxue01[0] + (k % 7) * 0.00002, inYinxue01[1]];
    try {
      await Promise.all(
        people.map((p) =>
          t.pub.publish(`pair/wardmap/checkin/${p}`, {
            id: `${p}-s`,
            kind: 'start',
            location: spot(0),
            at: at(0),
          }),
        ),
      );
      await Promise.all(
        people.flatMap((p) =>
          Array.from({ length: 30 }, (_, k) =>
            t.pub.publish(`pair/wardmap/checkin/${p}`, {
              id: `${p}-${k}`,
              location: spot(k + 1),
              at: at(k + 1),
            }),
          ),
        ),
      );
      await Promise.all(
        people.map((p) =>
          t.pub.publish(`pair/wardmap/checkin/${p}`, {
            id: `${p}-e`,
            kind: 'end',
            location: spot(40),
            at: at(40),
          }),
        ),
      );
      const rows = await eventually(async () => {
        const r = await t.db.query<{ person_id: string; status: string; pts: number; linked: number }>(
          `SELECT p.person_id, p.status, ST_NPoints(p.track) AS pts,
                  (SELECT count(*) FROM checkins c WHERE c.patrol_id = p.id) AS linked
             FROM patrols p WHERE p.person_id = ANY($1) AND p.kind = 'grid' ORDER BY p.person_id`,
          [people],
        );
        return r.rows.length === 3 && r.rows.every((x) => x.status === 'closed' && x.pts === 32)
          ? r.rows
          : undefined;
      });
      expect(rows.map((r) => [r.person_id, r.pts, r.linked])).toEqual(people.map((p) => [p, 32, 32]));
      expect(busy.stats().batches).toBeGreaterThan(20);
    } finally {
      await busy.stop();
    }
  });
});
