import { deviceTopics } from '@wardmap/geo';

/** What a simulated device sends, before any topic prefix is applied. */
export type PublicationKind =
  | 'checkin'
  | 'owntracks'
  | 'camera_alert'
  | 'frigate_event'
  | 'frigate_available'
  | 'river_report';

export interface Publication {
  /** Clock time (epoch ms) the device sends it. */
  at: number;
  kind: PublicationKind;
  /** Topic without the run's `topicPrefix`. */
  topic: string;
  /** Exact payload bytes as text (JSON, or Frigate's plain `online`/`offline`). */
  payload: string;
  /**
   * MQTT username that publishes this in per-actor identity mode: the person or camera id (for
   * Frigate, the camera account the NVR logs in with); `null` means the shared connection.
   */
  identity: string | null;
  /** The id ingest uses for idempotency (native `id`, or the derived OwnTracks / Frigate id). */
  messageId: string;
  /**
   * An OwnTracks last will: with per-actor identities the device's connection is cut instead and the
   * broker publishes the will it registered at CONNECT; with a shared connection it is published.
   */
  lastWill?: true;
  /**
   * Sent by the device's HTTP mode to the API (`POST /api/checkins`, `POST /api/owntracks`) instead
   * of MQTT; the API publishes it on the same topic, so ingest sees it like any other.
   */
  via?: 'http';
}

/** Native and adapted topics of DESIGN section 3 (the native ones from `@wardmap/geo`, the one definition). */
export const topics = {
  checkin: (personId: string) => deviceTopics.checkin(personId),
  cameraAlert: (cameraId: string) => deviceTopics.cameraAlert(cameraId),
  riverReport: (segmentId: string) => deviceTopics.riverReport(segmentId),
  ownTracks: (user: string, device: string) => `owntracks/${user}/${device}`,
  ownTracksEvent: (user: string, device: string) => `owntracks/${user}/${device}/event`,
  frigateEvents: 'frigate/events',
  frigateAvailable: 'frigate/available',
} as const;
