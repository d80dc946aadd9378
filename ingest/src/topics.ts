import { id as idSchema, splitCommunity } from '@wardmap/geo';

export { COMMUNITY_LEVEL, splitCommunity, withCommunity } from '@wardmap/geo';

/** What a topic (without the deployment's prefix) addresses. */
export type Route =
  | { kind: 'checkin'; personId: string }
  | { kind: 'camera-alert'; cameraId: string }
  | { kind: 'river-report'; segmentId: string }
  | { kind: 'owntracks'; user: string; device: string }
  | { kind: 'frigate-events' }
  | { kind: 'frigate-available' };

export type RouteResult = { ok: true; route: Route } | { ok: false; reason: string };

/** Topic filters ingest subscribes to, relative to the prefix. `wardmap/#` is ours: anything unknown in it is a dead letter. */
export const SUBSCRIPTIONS = [
  'wardmap/#',
  'owntracks/+/+',
  'owntracks/+/+/event',
  'frigate/events',
  'frigate/available',
] as const;

/** The filters to subscribe, with the topic prefix and an optional shared-subscription group. */
export function subscriptionFilters(prefix: string, shareGroup?: string): string[] {
  return SUBSCRIPTIONS.map((f) => (shareGroup ? `$share/${shareGroup}/${prefix}${f}` : `${prefix}${f}`));
}

/** Whether an MQTT topic matches a subscription filter (`+` one level, `#` the rest). */
export function topicMatches(filter: string, topic: string): boolean {
  if (topic.startsWith('$')) return false;
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}

/** Whether ingest takes messages on `topic` (what its subscriptions would deliver). */
export function ingestTakes(topic: string, prefix = ''): boolean {
  return subscriptionFilters(prefix).some((f) => topicMatches(f, topic));
}

function validId(value: string, what: string): string | null {
  return idSchema.safeParse(value).success
    ? null
    : `topic: ${what} '${value.slice(0, 64)}' is not a valid id`;
}

/** Maps a topic to what it addresses, or says why it is not one ingest knows. */
export function routeTopic(fullTopic: string, prefix = ''): RouteResult {
  if (!fullTopic.startsWith(prefix)) return { ok: false, reason: `topic: outside the prefix '${prefix}'` };
  const fail = (reason: string): RouteResult => ({ ok: false, reason });
  const relative = fullTopic.slice(prefix.length);
  const split = splitCommunity(relative);
  if (split.community !== null) {
    const bad = validId(split.community, 'community id');
    if (bad) return fail(bad);
    // Only device topics have a community form; anything else under it is unknown.
    if (!/^wardmap\/(checkin|camera|river)\//.test(split.topic)) {
      return fail(`topic: unknown topic '${relative.slice(0, 200)}'`);
    }
  }
  const parts = split.topic.split('/');
  const [root, a, b, c] = parts;
  if (root === 'wardmap') {
    if (a === 'checkin' && parts.length === 3 && b) {
      const bad = validId(b, 'person id');
      return bad ? fail(bad) : { ok: true, route: { kind: 'checkin', personId: b } };
    }
    if (a === 'camera' && parts.length === 4 && b && c === 'alert') {
      const bad = validId(b, 'camera id');
      return bad ? fail(bad) : { ok: true, route: { kind: 'camera-alert', cameraId: b } };
    }
    if (a === 'river' && parts.length === 4 && b && c === 'report') {
      const bad = validId(b, 'segment id');
      return bad ? fail(bad) : { ok: true, route: { kind: 'river-report', segmentId: b } };
    }
  } else if (
    root === 'owntracks' &&
    a &&
    b &&
    (parts.length === 3 || (parts.length === 4 && c === 'event'))
  ) {
    return { ok: true, route: { kind: 'owntracks', user: a, device: b } };
  } else if (root === 'frigate' && parts.length === 2) {
    if (a === 'events') return { ok: true, route: { kind: 'frigate-events' } };
    if (a === 'available') return { ok: true, route: { kind: 'frigate-available' } };
  }
  return fail(`topic: unknown topic '${relative.slice(0, 200)}'`);
}
