import { describe, expect, it } from 'vitest';
import { parseOrReason } from './errors.ts';
import { StreamEventSchema } from './stream-event.ts';

describe('StreamEventSchema', () => {
  it('accepts a position event and normalises its time', () => {
    const res = parseOrReason(StreamEventSchema, {
      type: 'position',
      at: 1717200000000,
      personId: 'p-0007',
      location: [121.64, 29.77],
      online: true,
    });
    expect(res).toEqual({
      ok: true,
      value: expect.objectContaining({ type: 'position', at: '2024-06-01T00:00:00.000Z' }),
    });
  });

  it('names an unknown event type', () => {
    const res = parseOrReason(StreamEventSchema, { type: 'gossip', at: '2024-06-01T00:00:00Z' });
    expect(res.ok).toBe(false);
    if (!res.ok) expect(res.reason).toContain('unsupported stream event type "gossip"');
  });

  it('refuses a grid status with a negative count', () => {
    const res = parseOrReason(StreamEventSchema, {
      type: 'grid_status',
      at: '2024-06-01T00:00:00Z',
      gridId: 'g-1',
      openIncidents: -1,
      patrollersInside: 0,
    });
    expect(res.ok).toBe(false);
  });
});
