import type { IncidentAction } from '@wardmap/geo';
import type { AreaRef, Principal } from '../auth/principal.ts';
import { isAdmin } from '../auth/principal.ts';

/**
 * Who may act on an incident, or null when allowed: police in their post's area (post or its
 * community), liaisons in their community (the party organisation of the four-in-one network),
 * river chiefs on their own segments' issues, patrollers only on work dispatched to them.
 */
export function refuseAction(
  p: Principal,
  incident: AreaRef & { assigneeId: string | null },
  action: IncidentAction,
): string | null {
  if (isAdmin(p)) return null;
  const inCommunity = !!incident.communityId && p.communityIds.includes(incident.communityId);
  if (
    p.roles.includes('police') &&
    (inCommunity || (!!incident.policePostId && incident.policePostId === p.policePostId))
  ) {
    return null;
  }
  if (p.roles.includes('liaison') && inCommunity) return null;
  if (p.roles.includes('river_chief') && incident.segmentId && p.segmentIds.includes(incident.segmentId))
    return null;
  if (
    p.roles.includes('patroller') &&
    incident.assigneeId === p.id &&
    ['acknowledge', 'resolve'].includes(action)
  ) {
    return null;
  }
  return `${p.id} (${p.roles.join(', ')}) may not ${action} this incident: it is outside their area or segments`;
}
