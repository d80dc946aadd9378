// The MQTT topics of Wardmap's own device messages (DESIGN section 3), shared by every publisher
// (the API's HTTP check-ins, the simulator) and by ingest, which routes by them.

/**
 * The community level of a device topic: `wardmap/community/<communityId>/<rest>` addresses the same
 * thing as `wardmap/<rest>` (`checkin/<personId>`, `camera/<id>/alert`, `river/<id>/report`).
 * It is a routing hint for a broker cluster (RabbitMQ binds each community to one queue, so a batch
 * holds few communities); what is stored, and which community it counts for, still comes from the
 * reference data. Both forms are accepted everywhere.
 */
export const COMMUNITY_LEVEL = 'community';

export interface CommunityTopic {
  /** The topic without the community level (`wardmap/checkin/p-0002`). */
  topic: string;
  /** The community the device named, or null when the topic has no community level. */
  community: string | null;
}

/** Splits the community level off a topic (relative to the prefix); other topics come back unchanged. */
export function splitCommunity(topic: string): CommunityTopic {
  const parts = topic.split('/');
  if (parts[0] === 'wardmap' && parts[1] === COMMUNITY_LEVEL && parts.length >= 4 && parts[2]) {
    return { topic: ['wardmap', ...parts.slice(3)].join('/'), community: parts[2] };
  }
  return { topic, community: null };
}

/** The community form of a `wardmap/…` topic; without a community, the topic as it is. */
export function withCommunity(topic: string, community: string | null | undefined): string {
  if (!community || !topic.startsWith('wardmap/')) return topic;
  return `wardmap/${COMMUNITY_LEVEL}/${community}/${topic.slice('wardmap/'.length)}`;
}

/** Device topics, in the community form when the device's community is given. */
export const deviceTopics = {
  checkin: (personId: string, community?: string | null) =>
    withCommunity(`wardmap/checkin/${personId}`, community),
  cameraAlert: (cameraId: string, community?: string | null) =>
    withCommunity(`wardmap/camera/${cameraId}/alert`, community),
  riverReport: (segmentId: string, community?: string | null) =>
    withCommunity(`wardmap/river/${segmentId}/report`, community),
} as const;
