// Topic ACL for the embedded broker, the same rules the Mosquitto ACL file encodes. Pure functions.

/** Who a broker connection is, as established at CONNECT. */
export type BrokerIdentity =
  | { kind: 'admin'; username: string }
  /** Ingest's own connection: reads everything, publishes nothing. */
  | { kind: 'ingest'; username: string }
  | { kind: 'person'; username: string; roles: readonly string[]; segments: readonly string[] }
  | { kind: 'camera'; username: string; frigateName: string | null };

/** Strips `$share/<group>/` so shared subscriptions are judged by their real filter. */
export function unshare(filter: string): string {
  const m = /^\$share\/[^/]+\/(.*)$/.exec(filter);
  return m ? (m[1] as string) : filter;
}

/**
 * What an identity may publish: a person its own check-in and OwnTracks topics and the report
 * topic of each river segment it chiefs; a camera its own alert topic, and Frigate's topics when
 * it is registered as Frigate-fed (Frigate publishes events for its cameras on shared topics);
 * admin anything; ingest nothing.
 */
export function canPublish(who: BrokerIdentity, topic: string): boolean {
  switch (who.kind) {
    case 'admin':
      return true;
    case 'ingest':
      return false;
    case 'person': {
      const id = who.username;
      if (topic === `wardmap/checkin/${id}`) return true;
      if (topic.startsWith(`owntracks/${id}/`) && topic.split('/').length >= 3) return true;
      const river = /^wardmap\/river\/([^/]+)\/report$/.exec(topic);
      return !!river && who.segments.includes(river[1] as string);
    }
    case 'camera':
      if (topic === `wardmap/camera/${who.username}/alert`) return true;
      return (
        who.frigateName !== null &&
        (topic === 'frigate/events' ||
          topic === 'frigate/available' ||
          topic.startsWith(`frigate/${who.frigateName}/`))
      );
  }
}

/** What an identity may subscribe to: admin and ingest anything; a person only its own OwnTracks and check-in topics; cameras nothing. */
export function canSubscribe(who: BrokerIdentity, filter: string): boolean {
  const f = unshare(filter);
  switch (who.kind) {
    case 'admin':
    case 'ingest':
      return true;
    case 'person':
      return f === `wardmap/checkin/${who.username}` || f.startsWith(`owntracks/${who.username}/`);
    case 'camera':
      return false;
  }
}
