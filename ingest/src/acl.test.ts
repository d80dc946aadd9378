import { describe, expect, it } from 'vitest';
import { type BrokerIdentity, canPublish, canSubscribe } from './acl.ts';

const patroller: BrokerIdentity = { kind: 'person', username: 'p-1', roles: ['patroller'], segments: [] };
const chief: BrokerIdentity = {
  kind: 'person',
  username: 'p-9',
  roles: ['river_chief'],
  segments: ['seg-01'],
};
const camera: BrokerIdentity = { kind: 'camera', username: 'cam-1', frigateName: null };
const frigateCam: BrokerIdentity = { kind: 'camera', username: 'cam-2', frigateName: 'cam-2' };

describe('broker ACL', () => {
  it('lets a patroller publish only its own check-in and OwnTracks topics', () => {
    expect(canPublish(patroller, 'wardmap/checkin/p-1')).toBe(true);
    expect(canPublish(patroller, 'owntracks/p-1/phone/event')).toBe(true);
    expect(canPublish(patroller, 'wardmap/checkin/p-2')).toBe(false);
    expect(canPublish(patroller, 'owntracks/p-2/phone')).toBe(false);
    expect(canPublish(patroller, 'wardmap/river/seg-01/report')).toBe(false);
  });

  it('lets a river chief report on their own segment only', () => {
    expect(canPublish(chief, 'wardmap/river/seg-01/report')).toBe(true);
    expect(canPublish(chief, 'wardmap/river/seg-02/report')).toBe(false);
  });

  it('lets a camera publish its own alert topic, and Frigate topics only when Frigate-fed', () => {
    expect(canPublish(camera, 'wardmap/camera/cam-1/alert')).toBe(true);
    expect(canPublish(camera, 'wardmap/camera/cam-2/alert')).toBe(false);
    expect(canPublish(camera, 'frigate/events')).toBe(false);
    expect(canPublish(frigateCam, 'frigate/events')).toBe(true);
  });

  it('lets admin do anything, ingest read everything but publish nothing', () => {
    expect(canPublish({ kind: 'admin', username: 'admin' }, 'anything/at/all')).toBe(true);
    expect(canPublish({ kind: 'ingest', username: 'i' }, 'wardmap/checkin/p-1')).toBe(false);
    expect(canSubscribe({ kind: 'ingest', username: 'i' }, '$share/wardmap/wardmap/#')).toBe(true);
  });

  it('judges shared subscriptions by their real filter', () => {
    expect(canSubscribe(patroller, '$share/g/owntracks/p-1/#')).toBe(true);
    expect(canSubscribe(patroller, '$share/g/wardmap/#')).toBe(false);
    expect(canSubscribe(camera, 'wardmap/camera/cam-1/alert')).toBe(false);
  });
});
