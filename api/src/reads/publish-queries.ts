import { NO_COMMUNITY, ownerCommunities, type Queryable } from '@wardmap/db';

/**
 * The community a device message counts for, as ingest's write turns key it (`ownerCommunities`):
 * a person's grid's community; a river segment's chief's. Null when there is none (then the message
 * is published without the community level).
 */
export async function messageCommunity(
  q: Queryable,
  of: { personId: string } | { segmentId: string },
): Promise<string | null> {
  const [community] = await ownerCommunities(
    q,
    'personId' in of ? { people: [of.personId] } : { segments: [of.segmentId] },
  );
  return community === undefined || community === NO_COMMUNITY ? null : community;
}
