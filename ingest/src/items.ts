// The native shapes every accepted message is turned into before it is written. Adapters
// (OwnTracks, Frigate) produce the same items as the native topics, so the writer has one path.

export type CheckinKindStored = 'location' | 'start' | 'end' | 'checkpoint' | 'enter' | 'leave';

export interface CheckinItem {
  type: 'checkin';
  messageId: string;
  personId: string;
  device: string | null;
  source: 'native' | 'owntracks';
  kind: CheckinKindStored;
  lon: number;
  lat: number;
  accuracy: number | null;
  battery: number | null;
  altitude: number | null;
  speed: number | null;
  heading: number | null;
  /** Device time (ISO). */
  at: string;
  patrolId: string | null;
  /** OwnTracks region (waypoint) description for enter/leave. */
  region: string | null;
}

/** OwnTracks `lwt`: the device dropped off the broker. */
export interface DeviceOfflineItem {
  type: 'device-offline';
  messageId: string;
  personId: string;
  device: string;
  /** When the device had connected (OwnTracks lwt tst). */
  at: string;
}

export interface CameraAlertItem {
  type: 'camera-alert';
  messageId: string;
  /** Camera id, or Frigate camera name (resolved against cameras.id / cameras.frigate_name). */
  cameraName: string;
  /** One alert per detection: new/update/end of one event share it. */
  alertId: string;
  source: 'native' | 'frigate';
  label: string;
  subLabel: string | null;
  score: number | null;
  topScore: number | null;
  state: 'new' | 'update' | 'end';
  zones: string[];
  snapshotUrl: string | null;
  hasClip: boolean | null;
  falsePositive: boolean | null;
  startedAt: string;
  endedAt: string | null;
  at: string;
}

/** `frigate/available`: the NVR (and so every camera it serves) went online or offline. */
export interface CameraAvailabilityItem {
  type: 'camera-availability';
  online: boolean;
}

export interface RiverReportItem {
  type: 'river-report';
  messageId: string;
  segmentId: string;
  personId: string | null;
  reportType: 'patrol_start' | 'patrol_end' | 'track' | 'issue';
  issue: string | null;
  count: number | null;
  tons: number | null;
  severity: 'low' | 'medium' | 'high' | null;
  note: string | null;
  photoUrl: string | null;
  lon: number | null;
  lat: number | null;
  at: string;
  patrolId: string | null;
}

export type IngestItem =
  | CheckinItem
  | DeviceOfflineItem
  | CameraAlertItem
  | CameraAvailabilityItem
  | RiverReportItem;

/** Why and where a message was refused; `stage` is a small fixed set (a metrics label). */
export type RejectStage =
  | 'topic'
  | 'size'
  | 'json'
  | 'schema'
  | 'plausibility'
  | 'reference'
  | 'conflict'
  | 'database'
  | 'internal';

export interface Rejection {
  stage: RejectStage;
  reason: string;
}

export type Decoded = { ok: true; item: IngestItem } | ({ ok: false } & Rejection);
