import { describe, expect, it } from 'vitest';
import { splitUnicodeRange } from './font-faces.ts';
import { buildStyle, LAYER_GROUPS, TILE_SOURCES } from './style.ts';

const faces = [
  { url: 'http://wardmap.test/assets/noto-sans-sc-119-400-normal-abc.woff2', ranges: ['U+0000-00FF'] },
  { url: 'http://wardmap.test/assets/noto-sans-sc-4-400-normal-def.woff2', ranges: ['U+4E00-4E7F'] },
];

describe('offline style builder', () => {
  const style = buildStyle({ origin: 'http://wardmap.test', faces });

  it('uses only Wardmap tile URLs and no glyph server', () => {
    expect(style.glyphs).toBeUndefined();
    for (const name of TILE_SOURCES) {
      const src = style.sources[name] as { type: string; tiles: string[] };
      expect(src.type).toBe('vector');
      expect(src.tiles).toEqual([`http://wardmap.test/api/tiles/${name}/{z}/{x}/{y}.mvt`]);
    }
    const urls = JSON.stringify(style).match(/https?:\/\/[^"]+/g) ?? [];
    expect(urls.every((u) => u.startsWith('http://wardmap.test/'))).toBe(true);
  });

  it('draws every label with the bundled font through font-faces', () => {
    expect(style['font-faces']).toEqual({
      'Noto Sans SC': faces.map((f) => ({ url: f.url, 'unicode-range': f.ranges })),
    });
    const symbols = style.layers.filter((l) => l.type === 'symbol');
    expect(symbols.length).toBeGreaterThan(3);
    for (const l of symbols)
      expect((l.layout as { 'text-font': string[] })['text-font']).toEqual(['Noto Sans SC']);
  });

  it('reads each layer from a source-layer of the same name, and knows every grouped layer', () => {
    const ids = new Set(style.layers.map((l) => l.id));
    for (const group of Object.values(LAYER_GROUPS))
      for (const id of group) expect(ids.has(id), id).toBe(true);
    for (const l of style.layers) {
      if ('source' in l && l.source)
        expect((l as { 'source-layer'?: string })['source-layer']).toBe(l.source);
    }
  });

  it('hides a switched-off group with visibility, without removing it', () => {
    const hidden = buildStyle({ origin: 'http://wardmap.test', faces, hidden: { rivers: true } });
    const rivers = hidden.layers.filter((l) => (LAYER_GROUPS.rivers as readonly string[]).includes(l.id));
    expect(rivers).toHaveLength(2);
    for (const l of rivers) expect((l.layout as { visibility: string }).visibility).toBe('none');
  });

  it('splits CSS unicode-range values', () => {
    expect(splitUnicodeRange('U+0000-00FF, U+0131,u+4e00-4e7f')).toEqual([
      'U+0000-00FF',
      'U+0131',
      'U+4E00-4E7F',
    ]);
  });
});
