import { describe, expect, it } from 'vitest';
import { SseParser } from './sse.ts';

describe('SSE parser', () => {
  it('parses frames split across chunks, with ids, types, multi-line data and comments', () => {
    const p = new SseParser();
    expect(p.push('id: 7\nevent: posi')).toEqual([]);
    const frames = p.push('tion\ndata: {"a":1}\n\n: comment\n\nevent: x\ndata: a\ndata: b\r\n\r\n');
    expect(frames).toEqual([
      { id: '7', event: 'position', data: '{"a":1}' },
      { event: 'x', data: 'a\nb' },
    ]);
  });
});
