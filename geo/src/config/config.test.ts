import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigError, databaseLocation, envVars, isSet, parseEnv, url } from './index.ts';

describe('parseEnv', () => {
  it('applies the shared defaults and treats empty values as unset', () => {
    const e = parseEnv(envVars('WARDMAP_DATA_DIR', 'WARDMAP_HTTP_PORT', 'DATABASE_URL'), {
      DATABASE_URL: '',
    });
    expect(e).toEqual({ WARDMAP_DATA_DIR: './data', WARDMAP_HTTP_PORT: 8080 });
  });

  it('reads only the declared variables', () => {
    const e = parseEnv(envVars('WARDMAP_HTTP_PORT'), { WARDMAP_HTTP_PORT: '9', WARDMAP_MQTT_PORT: 'x' });
    expect(e).toEqual({ WARDMAP_HTTP_PORT: 9 });
  });

  it('lists every bad variable in one error', () => {
    let err: unknown;
    try {
      parseEnv(
        {
          ...envVars('WARDMAP_HTTP_PORT', 'DATABASE_URL', 'WARDMAP_CLOCK_SPEED'),
          MQTT_URL: url('MQTT_URL', ['mqtt'], { required: true }),
          EXTRA: z.string().optional(),
        },
        { WARDMAP_HTTP_PORT: 'x', DATABASE_URL: 'mysql://a', WARDMAP_CLOCK_SPEED: '0' },
      );
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as ConfigError).problems).toEqual([
      'WARDMAP_HTTP_PORT: WARDMAP_HTTP_PORT must be a port number',
      'DATABASE_URL: DATABASE_URL must start with postgres:// or postgresql://',
      'WARDMAP_CLOCK_SPEED: WARDMAP_CLOCK_SPEED must be greater than 0',
      'MQTT_URL: MQTT_URL must be set',
    ]);
    expect((err as Error).message).toMatch(/^invalid configuration:\n {2}WARDMAP_HTTP_PORT/);
  });

  it('tells set from unset', () => {
    expect(isSet('A', { A: '1' })).toBe(true);
    expect(isSet('A', { A: '' })).toBe(false);
    expect(isSet('A', {})).toBe(false);
  });
});

describe('databaseLocation', () => {
  it('is DATABASE_URL when set, else embedded PGlite in <data dir>/pglite', () => {
    expect(databaseLocation({ DATABASE_URL: 'postgres://h/d', WARDMAP_DATA_DIR: './data' })).toEqual({
      databaseUrl: 'postgres://h/d',
      dataDir: undefined,
    });
    expect(databaseLocation({ WARDMAP_DATA_DIR: '/srv/w' })).toEqual({
      databaseUrl: undefined,
      dataDir: '/srv/w/pglite',
    });
  });
});
