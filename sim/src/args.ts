import type { LoadKind, LoadMix } from './load-messages.ts';
import type { IdentityMode } from './publisher.ts';

export interface CliArgs {
  mode: 'live' | 'load';
  mqttUrl?: string;
  username?: string;
  password?: string;
  topicPrefix: string;
  seed: number;
  speed: number;
  intensity: number;
  /** Unset: per-actor unless shared credentials are given. */
  identities?: IdentityMode;
  actorPassword?: string;
  /** Base URL of the Wardmap API: some phones post over HTTP. */
  apiUrl?: string;
  httpShare?: number;
  patrollers: number;
  rate: number;
  duration: number;
  connections?: number;
  mix?: LoadMix;
  syntheticPeople: boolean;
  log?: string;
  help: boolean;
}

export const USAGE = `npm run simulate -- [options]

Live demo (default): patrollers, river chiefs and cameras of the demo geography publish over MQTT.
  --speed N              run the clock N times faster (60: an hour a minute)          [1]
  --seed N               same seed, same schedule                                      [1]
  --intensity X          multiply camera-alert and river-issue rates                   [1]
  --identities MODE      shared (one connection, --username/--password) | per-actor (each
                         person/camera logs in as itself with --actor-password, default
                         wardmap-demo)           [shared with credentials, else per-actor]
  --api-url URL          some patrollers' phones post to this Wardmap API (POST /api/checkins,
                         OwnTracks HTTP mode) instead of MQTT, logging in with --actor-password
  --http-share X         share of patrollers on HTTP when --api-url is given           [0.15]

Load mode: --load
  --patrollers N         simulated devices, cycling over the demo's people             [10000]
  --rate R               messages per second                                           [1000]
  --duration S           seconds                                                       [10]
  --mix K=W,...          kinds and weights: checkin, owntracks, camera, river          [checkin=1]
  --connections N        parallel MQTT connections                     [one per 10k msg/s]
  --synthetic-people     person ids load-000001... (ingest dead-letters unknown people)
  --log FILE             one ndjson line per acknowledged message: {"kind","topic","id"},
                         and FILE.summary.json with the counts per kind and per topic

Both:
  --mqtt-url URL         broker [MQTT_URL, else mqtt://127.0.0.1:$WARDMAP_MQTT_PORT or 1883]
  --username U --password P   [admin / WARDMAP_ADMIN_TOKEN when set]
  --topic-prefix P       put P in front of every topic                                 ['']
`;

const num = (flag: string, v: string | undefined, min: number): number => {
  const n = Number(v);
  if (v === undefined || !Number.isFinite(n) || n < min)
    throw new Error(`${flag} needs a number >= ${min} (got ${v ?? 'nothing'})`);
  return n;
};

function parseMix(v: string | undefined): LoadMix {
  const mix: LoadMix = {};
  for (const part of (v ?? '').split(',')) {
    const [k, w] = part.split('=');
    if (!k || !['checkin', 'owntracks', 'camera', 'river'].includes(k)) {
      throw new Error(`--mix: unknown kind '${k ?? ''}' (checkin, owntracks, camera, river)`);
    }
    mix[k as LoadKind] = w === undefined ? 1 : num(`--mix ${k}`, w, 0);
  }
  return mix;
}

/** Parses the command line; throws one message naming the bad flag. */
export function parseArgs(argv: readonly string[]): CliArgs {
  const a: CliArgs = {
    mode: 'live',
    topicPrefix: '',
    seed: 1,
    speed: 1,
    intensity: 1,
    patrollers: 10_000,
    rate: 1000,
    duration: 10,
    syntheticPeople: false,
    help: false,
  };
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--load':
        a.mode = 'load';
        break;
      case '--mqtt-url':
        a.mqttUrl = value();
        break;
      case '--username':
        a.username = value();
        break;
      case '--password':
        a.password = value();
        break;
      case '--topic-prefix':
        a.topicPrefix = value();
        break;
      case '--seed':
        a.seed = num(flag, value(), 0);
        break;
      case '--speed':
        a.speed = num(flag, value(), 0.001);
        break;
      case '--intensity':
        a.intensity = num(flag, value(), 0.001);
        break;
      case '--identities': {
        const v = value();
        if (v !== 'shared' && v !== 'per-actor')
          throw new Error(`--identities must be shared or per-actor (got ${v})`);
        a.identities = v;
        break;
      }
      case '--actor-password':
        a.actorPassword = value();
        break;
      case '--api-url':
        a.apiUrl = value();
        break;
      case '--http-share': {
        const share = num(flag, value(), 0);
        if (share > 1) throw new Error(`--http-share is a share between 0 and 1 (got ${share})`);
        a.httpShare = share;
        break;
      }
      case '--patrollers':
        a.patrollers = num(flag, value(), 1);
        break;
      case '--rate':
        a.rate = num(flag, value(), 0.001);
        break;
      case '--duration':
        a.duration = num(flag, value(), 0.001);
        break;
      case '--connections':
        a.connections = num(flag, value(), 1);
        break;
      case '--mix':
        a.mix = parseMix(value());
        break;
      case '--synthetic-people':
        a.syntheticPeople = true;
        break;
      case '--log':
        a.log = value();
        break;
      case '-h':
      case '--help':
        a.help = true;
        break;
      default:
        throw new Error(`unknown option ${flag}\n\n${USAGE}`);
    }
  }
  return a;
}
