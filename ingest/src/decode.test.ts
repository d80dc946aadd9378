import { describe, expect, it } from 'vitest';
import { decodeMessage } from './decode.ts';

const enc = (v: unknown) => Buffer.from(typeof v === 'string' ? v : JSON.stringify(v));
const at = '2024-06-01T08:00:00Z';

describe('decodeMessage', () => {
  it('turns a native check-in into a check-in item bound to the topic person', () => {
    const d = decodeMessage('wardmap/checkin/p-1', enc({ id: 'c1', location: [121.6, 29.7], at }));
    expect(d).toMatchObject({
      ok: true,
      item: {
        type: 'checkin',
        personId: 'p-1',
        kind: 'location',
        lon: 121.6,
        at: '2024-06-01T08:00:00.000Z',
      },
    });
  });

  it('strips the topic prefix and refuses topics outside it', () => {
    expect(
      decodeMessage('t1/wardmap/checkin/p-1', enc({ id: 'c1', location: [1, 2], at }), { topicPrefix: 't1/' })
        .ok,
    ).toBe(true);
    expect(decodeMessage('wardmap/checkin/p-1', enc({}), { topicPrefix: 't1/' })).toMatchObject({
      ok: false,
      stage: 'topic',
    });
  });

  it('decodes the community form of a device topic as the topic without it', () => {
    const body = enc({ id: 'c1', location: [121.6, 29.7], at });
    const plain = decodeMessage('wardmap/checkin/p-1', body);
    expect(decodeMessage('wardmap/community/c-lake/checkin/p-1', body)).toEqual(plain);
    expect(decodeMessage('t1/wardmap/community/c-lake/checkin/p-1', body, { topicPrefix: 't1/' })).toEqual(
      plain,
    );
    const alert = enc({ id: 'a1', label: 'person', score: 0.9, at });
    expect(decodeMessage('wardmap/community/c-lake/camera/cam-1/alert', alert)).toEqual(
      decodeMessage('wardmap/camera/cam-1/alert', alert),
    );
    // Only device topics have a community form, and the community must be a valid id.
    expect(decodeMessage('wardmap/community/c-lake/foo/x', body)).toMatchObject({
      ok: false,
      stage: 'topic',
    });
    expect(decodeMessage('wardmap/community/c-lake', body)).toMatchObject({ ok: false, stage: 'topic' });
    expect(decodeMessage('wardmap/community/%bad/checkin/p-1', body)).toMatchObject({
      ok: false,
      stage: 'topic',
      reason: "topic: community id '%bad' is not a valid id",
    });
  });

  it('refuses an unknown topic, an oversized payload, bad UTF-8 and bad JSON, each with its stage', () => {
    expect(decodeMessage('wardmap/foo', enc({}))).toMatchObject({ ok: false, stage: 'topic' });
    expect(
      decodeMessage('wardmap/checkin/p-1', Buffer.alloc(100, 32), { maxPayloadBytes: 10 }),
    ).toMatchObject({ ok: false, stage: 'size' });
    expect(decodeMessage('wardmap/checkin/p-1', Buffer.from([0xff, 0xfe]))).toMatchObject({
      ok: false,
      stage: 'json',
      reason: 'payload: not valid UTF-8',
    });
    expect(decodeMessage('wardmap/checkin/p-1', enc('{'))).toMatchObject({ ok: false, stage: 'json' });
  });

  it('names the zod path of a schema violation', () => {
    const d = decodeMessage('wardmap/checkin/p-1', enc({ id: 'c1', location: [121.6, 91], at }));
    expect(d).toEqual({
      ok: false,
      stage: 'schema',
      reason: 'location.1: latitude must be between -90 and 90 (got 91)',
    });
  });

  it('derives the OwnTracks message id from user, device, tst and type, and converts km/h to m/s', () => {
    const d = decodeMessage(
      'owntracks/p-1/phone',
      enc({ _type: 'location', lat: 29.7, lon: 121.6, tst: 1717228800, vel: 18 }),
    );
    expect(d).toMatchObject({
      ok: true,
      item: { messageId: 'ot:p-1:phone:1717228800:location', speed: 5, device: 'phone', source: 'owntracks' },
    });
  });

  it('maps an OwnTracks lwt to device-offline and a leave transition to a leave check-in', () => {
    expect(decodeMessage('owntracks/p-1/phone', enc({ _type: 'lwt', tst: 1717228800 }))).toMatchObject({
      ok: true,
      item: { type: 'device-offline', device: 'phone' },
    });
    const t = decodeMessage(
      'owntracks/p-1/phone/event',
      enc({ _type: 'transition', event: 'leave', desc: 'gate', lat: 29.7, lon: 121.6, tst: 1717228800 }),
    );
    expect(t).toMatchObject({ ok: true, item: { type: 'checkin', kind: 'leave', region: 'gate' } });
  });

  it('gives new, update and end of one Frigate event the same alert id and different message ids', () => {
    const evt = (type: string, frame: number) => {
      const o = {
        id: 'e-1',
        camera: 'cam-1',
        frame_time: frame,
        label: 'person',
        score: 0.8,
        start_time: 100,
      };
      return enc({ type, before: o, after: o });
    };
    const items = ['new', 'update', 'end'].map((t, i) => decodeMessage('frigate/events', evt(t, 100 + i)));
    const alerts = items.map((d) => (d.ok && d.item.type === 'camera-alert' ? d.item : null));
    expect(new Set(alerts.map((a) => a?.alertId))).toEqual(new Set(['fr:e-1']));
    expect(new Set(alerts.map((a) => a?.messageId)).size).toBe(3);
    expect(alerts[2]?.endedAt).toBe('1970-01-01T00:01:42.000Z');
  });

  it('reads frigate/available as plain text', () => {
    expect(decodeMessage('frigate/available', enc(' offline\n'))).toEqual({
      ok: true,
      item: { type: 'camera-availability', online: false },
    });
  });
});
