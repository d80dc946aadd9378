import { failureText } from '@wardmap/geo';
import { adaptFrigateAvailability, adaptFrigateEvent } from './adapters/frigate.ts';
import { adaptCameraAlert, adaptCheckin, adaptRiverReport } from './adapters/native.ts';
import { adaptOwnTracks } from './adapters/owntracks.ts';
import type { Decoded, RejectStage } from './items.ts';
import { DEFAULT_MAX_PAYLOAD_BYTES, parseJson, payloadText } from './parse.ts';
import { routeTopic } from './topics.ts';

export interface DecodeOptions {
  topicPrefix?: string;
  maxPayloadBytes?: number;
  frigateSnapshotBaseUrl?: string | undefined;
}

/**
 * The pure front half of the pipeline: route -> size/UTF-8 -> JSON -> zod -> adapt. Never throws:
 * whatever goes wrong at any stage (a bug or a stack overflow on a hostile payload included)
 * comes back as a refusal naming that stage, so the message is dead-lettered and acknowledged
 * instead of being redelivered forever.
 */
export function decodeMessage(topic: string, payload: Uint8Array, opts: DecodeOptions = {}): Decoded {
  let stage: RejectStage = 'topic';
  try {
    return decodeStages(topic, payload, opts, (s) => {
      stage = s;
    });
  } catch (err) {
    return { ok: false, stage, reason: `decoding failed (${failureText(err)})` };
  }
}

function decodeStages(
  topic: string,
  payload: Uint8Array,
  opts: DecodeOptions,
  enter: (stage: RejectStage) => void,
): Decoded {
  const routed = routeTopic(topic, opts.topicPrefix ?? '');
  if (!routed.ok) return { ok: false, stage: 'topic', reason: routed.reason };
  enter('size');
  const text = payloadText(payload, opts.maxPayloadBytes ?? DEFAULT_MAX_PAYLOAD_BYTES);
  if (!text.ok) return text;
  const route = routed.route;
  enter('schema');
  if (route.kind === 'frigate-available') return adaptFrigateAvailability(text.text);
  enter('json');
  const json = parseJson(text.text);
  if (!json.ok) return json;
  enter('schema');
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
