import { adaptFrigateAvailability, adaptFrigateEvent } from './adapters/frigate.ts';
import { adaptCameraAlert, adaptCheckin, adaptRiverReport } from './adapters/native.ts';
import { adaptOwnTracks } from './adapters/owntracks.ts';
import type { Decoded } from './items.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, parseJson, payloadText } from './parse.ts';
import { routeTopic } from './topics.ts';

export interface DecodeOptions {
  topicPrefix?: string;
  maxPayloadBytes?: number;
  frigateSnapshotBaseUrl?: string | undefined;
}

/** The pure front half of the pipeline: route -> size/UTF-8 -> JSON -> zod -> adapt. Never throws. */
export function decodeMessage(topic: string, payload: Uint8Array, opts: DecodeOptions = {}): Decoded {
  const routed = routeTopic(topic, opts.topicPrefix ?? '');
  if (!routed.ok) return { ok: false, stage: 'topic', reason: routed.reason };
  const text = payloadText(payload, opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  if (!text.ok) return text;
  const route = routed.route;
  if (route.kind === 'frigate-available') return adaptFrigateAvailability(text.text);
  const json = parseJson(text.text);
  if (!json.ok) return json;
  switch (route.kind) {
    case 'checkin':
      return adaptCheckin(route.personId, json.value);
    case 'camera-alert':
      return adaptCameraAlert(route.cameraId, json.value);
    case 'river-report':
      return adaptRiverReport(route.segmentId, json.value);
    case 'owntracks':
      return adaptOwnTracks(route.user, route.device, json.value);
    case 'frigate-events':
      return adaptFrigateEvent(json.value, { snapshotBaseUrl: opts.frigateSnapshotBaseUrl });
  }
}
