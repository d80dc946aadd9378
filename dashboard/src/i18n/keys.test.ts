import { describe, expect, it } from 'vitest';
import { resources } from './index.ts';

const keys = (o: unknown, prefix = ''): string[] =>
  typeof o === 'object' && o !== null
    ? Object.entries(o).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k))
    : [prefix];

describe('translations', () => {
  it('has the same keys in zh-CN and en for every namespace', () => {
    for (const ns of Object.keys(resources['zh-CN']) as Array<keyof (typeof resources)['zh-CN']>) {
      expect(keys(resources.en[ns]).sort(), ns).toEqual(keys(resources['zh-CN'][ns]).sort());
    }
  });
});
