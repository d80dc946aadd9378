import type { StreamEvent } from '@wardmap/geo';

type PositionEvent = Extract<StreamEvent, { type: 'position' }>;
type IncidentEvent = Extract<StreamEvent, { type: 'incident' }>;

/** A person's latest known position, plus a short trail. */
export interface PersonLive {
  id: string;
  name: string | null;
  roles: string;
  lon: number;
  lat: number;
  /** ISO time of the latest check-in (device time). */
  at: string;
  atMs: number;
  battery: number | null;
  accuracy: number | null;
  gridId: string | null;
  online: boolean;
  /** Newest last: [lon, lat, ms]. */
  trail: Array<[number, number, number]>;
}

/** An incident as the map draws it. */
export interface IncidentLive {
  id: string;
  title: string;
  category: string | null;
  level: string;
  state: string;
  severity: string | null;
  lon: number | null;
  lat: number | null;
  slaDueAt: string | null;
  createdAt: string | null;
  updatedAt: string;
}

export interface CameraLive {
  id: string;
  online: boolean;
  at: string;
}

/** Rows of a snapshot: what the layers' GeoJSON answers hold, in the shapes above. */
export interface Snapshot {
  /** When the snapshot was taken (server's notion of "now" if known). */
  asOf: string;
  people: Array<Omit<PersonLive, 'trail' | 'atMs'>>;
  incidents: IncidentLive[];
  cameras: CameraLive[];
}

export const TRAIL_POINTS = 12;
const OPEN_STATES = new Set(['open', 'acknowledged', 'dispatched']);

/**
 * The live picture, outside React: plain maps keyed by id, last write wins by event time (an older
 * event never overwrites a newer one, whatever order a burst or a resume delivers them in). What
 * changed since the last flush is tracked so a flush touches only that.
 */
export class LiveData {
  readonly people = new Map<string, PersonLive>();
  readonly incidents = new Map<string, IncidentLive>();
  readonly cameras = new Map<string, CameraLive>();
  readonly dirtyPeople = new Set<string>();
  incidentsDirty = false;
  camerasDirty = false;
  /**
   * Tile sources whose features changed status since the last flush (`grid_status`,
   * `segment_status`): their colours come from the tiles, so the map fetches them again.
   */
  readonly staleTiles = new Set<'grids' | 'river-segments'>();
  /** Newest data time applied (ISO). */
  newestAt: string | null = null;
  /** Events applied since creation, and of those how many were older than what was held. */
  applied = 0;
  ignoredOlder = 0;

  private touch(at: string) {
    if (!this.newestAt || at > this.newestAt) this.newestAt = at;
  }

  /** Applies one position; returns false when it was older than the one held. */
  applyPosition(e: PositionEvent | (Omit<PersonLive, 'trail' | 'atMs'> & { location?: undefined })): boolean {
    const id = 'personId' in e ? e.personId : e.id;
    const [lon, lat] =
      'location' in e && e.location ? e.location : [(e as PersonLive).lon, (e as PersonLive).lat];
    const atMs = Date.parse(e.at);
    const prev = this.people.get(id);
    this.applied++;
    if (prev && atMs < prev.atMs) {
      this.ignoredOlder++;
      return false;
    }
    const trail = prev ? prev.trail : [];
    if (!prev || prev.lon !== lon || prev.lat !== lat) {
      trail.push([lon, lat, atMs]);
      if (trail.length > TRAIL_POINTS) trail.splice(0, trail.length - TRAIL_POINTS);
    }
    const name = 'name' in e ? (e.name ?? null) : (prev?.name ?? null);
    const roles = 'roles' in e ? (e.roles ?? '') : (prev?.roles ?? '');
    this.people.set(id, {
      id,
      name: name ?? prev?.name ?? null,
      roles: roles || prev?.roles || '',
      lon,
      lat,
      at: e.at,
      atMs,
      battery: e.battery ?? null,
      accuracy: e.accuracy ?? null,
      gridId: e.gridId ?? null,
      online: e.online,
      trail,
    });
    this.dirtyPeople.add(id);
    this.touch(e.at);
    return true;
  }

  /** Adds a person known from the directory (no position yet) so the list can show them. */
  knowPerson(p: { id: string; name: string; roles: string }): void {
    const prev = this.people.get(p.id);
    if (prev) {
      if (!prev.name) prev.name = p.name;
      if (!prev.roles) prev.roles = p.roles;
      return;
    }
    this.people.set(p.id, {
      id: p.id,
      name: p.name,
      roles: p.roles,
      lon: Number.NaN,
      lat: Number.NaN,
      at: '',
      atMs: Number.NEGATIVE_INFINITY,
      battery: null,
      accuracy: null,
      gridId: null,
      online: false,
      trail: [],
    });
    this.dirtyPeople.add(p.id);
  }

  applyIncident(row: IncidentLive): boolean {
    const prev = this.incidents.get(row.id);
    this.applied++;
    if (prev && row.updatedAt < prev.updatedAt) {
      this.ignoredOlder++;
      return false;
    }
    this.incidents.set(row.id, row);
    this.incidentsDirty = true;
    this.touch(row.updatedAt);
    return true;
  }

  applyCamera(row: CameraLive): boolean {
    const prev = this.cameras.get(row.id);
    this.applied++;
    if (prev && row.at < prev.at) {
      this.ignoredOlder++;
      return false;
    }
    this.cameras.set(row.id, row);
    this.camerasDirty = true;
    this.touch(row.at);
    return true;
  }

  /** Applies a validated stream event (types the map does not draw are ignored). */
  apply(e: StreamEvent): void {
    switch (e.type) {
      case 'position':
        this.applyPosition(e);
        break;
      case 'incident':
        this.applyIncident(incidentFromEvent(e));
        break;
      case 'camera_status':
        this.applyCamera({ id: e.cameraId, online: e.online, at: e.at });
        break;
      case 'grid_status':
        this.staleTiles.add('grids');
        break;
      case 'segment_status':
        this.staleTiles.add('river-segments');
        break;
      default:
        break;
    }
  }

  /**
   * Applies a snapshot. Positions and cameras merge by time like events. Open incidents are the
   * snapshot's set: one that closed while the stream was away is absent from it and
   * dropped; events held during the snapshot are applied after it by the sync session.
   */
  applySnapshot(s: Snapshot): void {
    for (const p of s.people) this.applyPosition(p);
    const open = new Set(s.incidents.map((i) => i.id));
    for (const id of [...this.incidents.keys()]) if (!open.has(id)) this.incidents.delete(id);
    for (const i of s.incidents) this.applyIncident(i);
    this.incidentsDirty = true;
    for (const c of s.cameras) this.applyCamera(c);
    this.touch(s.asOf);
  }
}

export function incidentFromEvent(e: IncidentEvent): IncidentLive {
  const i = e.incident;
  return {
    id: i.id,
    title: i.title,
    category: i.category,
    level: i.level,
    state: i.state,
    severity: i.severity,
    lon: i.location ? i.location[0] : null,
    lat: i.location ? i.location[1] : null,
    slaDueAt: i.dueAt ?? null,
    createdAt: i.createdAt,
    updatedAt: i.updatedAt,
  };
}

/** Whether an incident is still open (drawn pulsing). */
export const isOpenIncident = (i: IncidentLive) => OPEN_STATES.has(i.state);
