import { describe, expect, it } from 'vitest';
import { parseArgs } from './args.ts';

describe('simulate command line', () => {
  it('defaults to the live demo at real speed, leaving the identity mode to the credentials', () => {
    expect(parseArgs([])).toMatchObject({ mode: 'live', speed: 1, seed: 1, topicPrefix: '' });
    expect(parseArgs([]).identities).toBeUndefined();
    expect(parseArgs(['--identities', 'shared']).identities).toBe('shared');
  });

  it('reads load mode with rate, duration, patrollers, mix and log', () => {
    const a = parseArgs([
      '--load',
      '--patrollers',
      '10000',
      '--rate',
      '2000',
      '--duration',
      '3',
      '--mix',
      'checkin=8,owntracks=2',
      '--log',
      'out.ndjson',
      '--mqtt-url',
      'mqtt://127.0.0.1:18830',
    ]);
    expect(a).toMatchObject({
      mode: 'load',
      patrollers: 10000,
      rate: 2000,
      duration: 3,
      mix: { checkin: 8, owntracks: 2 },
      log: 'out.ndjson',
      mqttUrl: 'mqtt://127.0.0.1:18830',
    });
  });

  it('reads --api-url and --http-share for phones in HTTP mode, refusing a share above 1', () => {
    expect(parseArgs(['--api-url', 'http://127.0.0.1:8080', '--http-share', '0.4'])).toMatchObject({
      apiUrl: 'http://127.0.0.1:8080',
      httpShare: 0.4,
    });
    expect(parseArgs([]).apiUrl).toBeUndefined();
    expect(() => parseArgs(['--http-share', '2'])).toThrow(/between 0 and 1/);
  });

  it('refuses an unknown flag, a bad number and an unknown mix kind with a message naming them', () => {
    expect(() => parseArgs(['--sped', '60'])).toThrow(/unknown option --sped/);
    expect(() => parseArgs(['--speed', 'fast'])).toThrow(/--speed needs a number/);
    expect(() => parseArgs(['--mix', 'tweets=1'])).toThrow(/unknown kind 'tweets'/);
    expect(() => parseArgs(['--identities', 'each'])).toThrow(/shared or per-actor/);
  });
});
