import type { Rng } from '@wardmap/geo';
import { expWait } from '../gps.ts';
import { isNight } from '../local-time.ts';

const SECOND = 1000;
const MINUTE = 60 * SECOND;

/** What a camera's detector follows from first sight to loss: label, scores and the times it reports. */
export interface Detection {
  label: 'person' | 'vehicle' | 'loitering' | 'smoke' | 'fire';
  zones: string[];
  /** Clock times of the `new`, each `update`, and the `end` message. */
  times: number[];
  /** Score at each of those times. */
  scores: number[];
}

// Night brings people by the water, parked vehicles and loitering; smoke and fire are rare at any hour.
const NIGHT: [Detection['label'], number][] = [
  ['person', 0.45],
  ['vehicle', 0.25],
  ['loitering', 0.26],
  ['smoke', 0.025],
  ['fire', 0.015],
];
const DAY: [Detection['label'], number][] = [
  ['person', 0.55],
  ['vehicle', 0.42],
  ['loitering', 0.01],
  ['smoke', 0.012],
  ['fire', 0.008],
];
const ZONES = ['entrance', 'road', 'riverbank', 'parking', 'courtyard'];

/**
 * Mean time between detections on one camera: every ~6 h at night, ~24 h by day (divided by
 * intensity): about five a night-time hour over the 53 demo cameras, enough to keep a police post busy.
 */
export function waitForNextDetection(rng: Rng, now: number, intensity: number): number {
  const mean = (isNight(now) ? 6 * 60 * MINUTE : 24 * 60 * MINUTE) / intensity;
  return Math.max(SECOND, expWait(rng, mean));
}

/** Plans one detection starting at `start`. */
export function planDetection(rng: Rng, start: number, labels?: readonly Detection['label'][]): Detection {
  const table = isNight(start) ? NIGHT : DAY;
  let label: Detection['label'] = 'person';
  let x = rng.next();
  for (const [l, w] of table) {
    x -= w;
    if (x < 0) {
      label = l;
      break;
    }
  }
  if (labels && !labels.includes(label)) label = rng.pick(labels);
  // One in five detections is weak (a shadow, a dog): a low score the incident threshold should ignore.
  const weak = rng.next() < 0.2 && label !== 'fire';
  const top = weak ? rng.range(0.32, 0.55) : rng.range(0.68, 0.97);
  const updates = label === 'loitering' ? rng.int(2, 5) : rng.int(1, 3);
  const gap = label === 'loitering' ? () => rng.range(30, 70) * SECOND : () => rng.range(2, 9) * SECOND;
  const times = [start];
  for (let i = 0; i < updates; i++) times.push((times[times.length - 1] as number) + gap());
  times.push((times[times.length - 1] as number) + rng.range(3, 15) * SECOND);
  const first = top * rng.range(0.7, 0.95);
  const scores = times.map(
    (_, i) => Math.round((first + ((top - first) * i) / (times.length - 1)) * 1000) / 1000,
  );
  return { label, zones: [rng.pick(ZONES)], times, scores };
}
