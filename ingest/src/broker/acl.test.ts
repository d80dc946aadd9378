import { describe, expect, it } from 'vitest';
import { type BrokerIdentity, canPublish, canSubscribe, canUseClientId, payloadRefusal } from './acl.ts';

const patroller: BrokerIdentity = { kind: 'person', username: 'p-1', roles: ['patroller'], segments: [] };
const chief: BrokerIdentity = {
  kind: 'person',
  username: 'p-9',
  roles: ['river_chief'],
  segments: ['seg-01'],
};
const camera: BrokerIdentity = { kind: 'camera', username: 'cam-1' };
const nvr: BrokerIdentity = { kind: 'nvr', username: 'nvr-1', cameras: ['cam-2'] };
const bytes = (v: unknown) => Buffer.from(JSON.stringify(v));

describe('broker ACL', () => {
  it('lets a patroller publish only its own check-in and OwnTracks topics', () => {
    expect(canPublish(patroller, 'wardmap/checkin/p-1')).toBe(true);
    expect(canPublish(patroller, 'owntracks/p-1/phone/event')).toBe(true);
    expect(canPublish(patroller, 'wardmap/checkin/p-2')).toBe(false);
    expect(canPublish(patroller, 'owntracks/p-2/phone')).toBe(false);
    expect(canPublish(patroller, 'wardmap/river/seg-01/report')).toBe(false);
  });

  it('judges a topic with a community level like the topic without it', () => {
    expect(canPublish(patroller, 'wardmap/community/c-1/checkin/p-1')).toBe(true);
    expect(canPublish(patroller, 'wardmap/community/c-1/checkin/p-2')).toBe(false);
    expect(canPublish(chief, 'wardmap/community/c-1/river/seg-01/report')).toBe(true);
    expect(canPublish(chief, 'wardmap/community/c-1/river/seg-02/report')).toBe(false);
    expect(canPublish(camera, 'wardmap/community/c-7/camera/cam-1/alert')).toBe(true);
    expect(canPublish(camera, 'wardmap/community/c-7/camera/cam-2/alert')).toBe(false);
    // The level does not open other names: `community` with too few levels is just another topic.
    expect(canPublish(patroller, 'wardmap/community/p-1')).toBe(false);
    expect(canSubscribe(patroller, 'wardmap/community/+/checkin/p-1')).toBe(true);
    expect(canSubscribe(patroller, 'wardmap/community/+/checkin/p-2')).toBe(false);
  });

  it('lets a river chief report on their own segment only', () => {
    expect(canPublish(chief, 'wardmap/river/seg-01/report')).toBe(true);
    expect(canPublish(chief, 'wardmap/river/seg-02/report')).toBe(false);
  });

  it('lets a camera publish its own alert topic only, never Frigate topics', () => {
    expect(canPublish(camera, 'wardmap/camera/cam-1/alert')).toBe(true);
    expect(canPublish(camera, 'wardmap/camera/cam-2/alert')).toBe(false);
    expect(canPublish(camera, 'frigate/events')).toBe(false);
    expect(canPublish(camera, 'frigate/available')).toBe(false);
  });

  it('lets an NVR publish Frigate topics, naming only its own cameras', () => {
    expect(canPublish(nvr, 'frigate/events')).toBe(true);
    expect(canPublish(nvr, 'frigate/cam-2/person')).toBe(true);
    expect(canPublish(nvr, 'frigate/cam-3/person')).toBe(false);
    expect(canPublish(nvr, 'wardmap/camera/cam-2/alert')).toBe(false);
    expect(
      payloadRefusal(nvr, 'frigate/events', bytes({ type: 'new', after: { camera: 'cam-2' } })),
    ).toBeNull();
    expect(payloadRefusal(nvr, 'frigate/events', bytes({ type: 'new', after: { camera: 'cam-3' } }))).toMatch(
      /not assigned/,
    );
  });

  it("refuses a person's payload that names another person", () => {
    expect(payloadRefusal(chief, 'wardmap/river/seg-01/report', bytes({ personId: 'p-9' }))).toBeNull();
    expect(payloadRefusal(chief, 'wardmap/river/seg-01/report', bytes({ personId: 'p-1' }))).toMatch(
      /may not publish as person p-1/,
    );
  });

  it('keeps service client ids for services and binds a person to ids starting with their name', () => {
    expect(canUseClientId(patroller, 'wardmap-ingest-1')).toBe(false);
    expect(canUseClientId(patroller, 'p-1')).toBe(true);
    expect(canUseClientId(patroller, 'p-1-phone')).toBe(true);
    expect(canUseClientId(patroller, 'p-2')).toBe(false);
    expect(canUseClientId({ kind: 'ingest', username: 'i' }, 'wardmap-ingest-1')).toBe(true);
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
