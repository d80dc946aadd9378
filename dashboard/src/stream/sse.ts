/** One server-sent event frame. */
export interface SseFrame {
  id?: string;
  event: string;
  data: string;
  retry?: number;
}

/**
 * Incremental text/event-stream parser (fetch-based client: EventSource cannot send a bearer
 * token). Feed decoded text chunks; complete frames come back in order.
 */
export class SseParser {
  private buffer = '';

  push(chunk: string): SseFrame[] {
    this.buffer += chunk.replace(/\r\n?/g, '\n');
    const out: SseFrame[] = [];
    let cut = this.buffer.indexOf('\n\n');
    while (cut >= 0) {
      const block = this.buffer.slice(0, cut);
      this.buffer = this.buffer.slice(cut + 2);
      const frame = parseBlock(block);
      if (frame) out.push(frame);
      cut = this.buffer.indexOf('\n\n');
    }
    return out;
  }
}

function parseBlock(block: string): SseFrame | null {
  const frame: SseFrame = { event: 'message', data: '' };
  const data: string[] = [];
  let any = false;
  for (const line of block.split('\n')) {
    if (line === '' || line.startsWith(':')) continue;
    const i = line.indexOf(':');
    const key = i < 0 ? line : line.slice(0, i);
    const value = i < 0 ? '' : line.slice(i + 1).replace(/^ /, '');
    any = true;
    if (key === 'id') frame.id = value;
    else if (key === 'event') frame.event = value;
    else if (key === 'data') data.push(value);
    else if (key === 'retry' && /^\d+$/.test(value)) frame.retry = Number(value);
  }
  if (!any) return null;
  frame.data = data.join('\n');
  return frame;
}
