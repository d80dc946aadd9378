import type { Incident } from '@wardmap/geo';
import { api, itemsOf } from '../api/client.ts';
import type { CameraLive, IncidentLive, Snapshot } from './live-data.ts';

interface Feature<P> {
  id?: string | number;
  geometry: { type: string; coordinates: [number, number] } | null;
  properties: P;
}
interface FeatureCollection<P> {
  features: Array<Feature<P>>;
}

type PositionProps = {
  id: string;
  name: string | null;
  roles: string | null;
  gridId: string | null;
  at: string;
  online: boolean;
  battery: number | null;
  accuracy: number | null;
};
type CameraProps = { id: string; online: boolean; lastSeenAt: string | null };

const OPEN = 'open,acknowledged,dispatched';

/**
 * The snapshot a (re)connect starts from: latest positions, open incidents and cameras, read from
 * the layer and incident endpoints (already filtered to the caller's area by the API).
 */
export async function fetchSnapshot(signal?: AbortSignal): Promise<Snapshot> {
  const asOf = new Date().toISOString();
  const opts = signal ? { signal } : {};
  const [positions, incidents, cameras] = await Promise.all([
    api<FeatureCollection<PositionProps>>('layers/positions', opts),
    api<{ items: Incident[] }>('incidents', { ...opts, query: { state: OPEN, limit: 1000 } }),
    api<FeatureCollection<CameraProps>>('layers/cameras', opts),
  ]);
  return {
    asOf,
    people: positions.features
      .filter((f) => f.geometry)
      .map((f) => ({
        id: f.properties.id,
        name: f.properties.name,
        roles: f.properties.roles ?? '',
        lon: f.geometry!.coordinates[0],
        lat: f.geometry!.coordinates[1],
        at: f.properties.at,
        battery: f.properties.battery,
        accuracy: f.properties.accuracy,
        gridId: f.properties.gridId,
        online: f.properties.online,
      })),
    incidents: incidents.items.map(
      (i): IncidentLive => ({
        id: i.id,
        title: i.title,
        category: i.category,
        level: i.level,
        state: i.state,
        severity: i.severity,
        lon: i.location?.[0] ?? null,
        lat: i.location?.[1] ?? null,
        slaDueAt: i.dueAt ?? null,
        createdAt: i.createdAt,
        updatedAt: i.updatedAt,
      }),
    ),
    cameras: cameras.features.map(
      (f): CameraLive => ({
        id: f.properties.id,
        online: f.properties.online,
        at: f.properties.lastSeenAt ?? '1970-01-01T00:00:00.000Z',
      }),
    ),
  };
}

/** The people directory (admins only; others learn people from positions). */
export async function fetchPeople(): Promise<Array<{ id: string; name: string; roles: string }>> {
  try {
    const body = await api<{ items: Array<{ id: string; name: string; roles: string[]; active?: boolean }> }>(
      'people',
    );
    return itemsOf(body)
      .filter((p) => p.active !== false && p.roles.some((r) => r === 'patroller' || r === 'river_chief'))
      .map((p) => ({ id: p.id, name: p.name, roles: p.roles.join(',') }));
  } catch {
    return [];
  }
}
