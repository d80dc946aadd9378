import type { FontFacesSpecification } from 'maplibre-gl';

/** The map's one font name (used in every `text-font`). */
export const MAP_FONT = 'Noto Sans SC';

/** One `@font-face` of the bundled Noto Sans SC: its woff2 URL and unicode ranges. */
export interface FaceFile {
  url: string;
  ranges: string[];
}

/** Splits a CSS `unicode-range` value into MapLibre's array form. */
export function splitUnicodeRange(value: string): string[] {
  return value
    .split(',')
    .map((r) => r.trim().toUpperCase().replace(/^U\+/, 'U+'))
    .filter((r) => /^U\+[0-9A-F?]+(-[0-9A-F]+)?$/.test(r));
}

/**
 * The `@font-face` rules of a family found in the page's style sheets (the fontsource CSS Vite
 * bundled, with hashed URLs): the map draws its labels from exactly the files the page uses, so no
 * glyph server is needed and the browser cache serves both.
 */
export function faceFilesFromDocument(
  family = MAP_FONT,
  weight = '400',
  doc: Document = document,
): FaceFile[] {
  const out: FaceFile[] = [];
  for (const sheet of Array.from(doc.styleSheets)) {
    let rules: CSSRuleList;
    try {
      rules = sheet.cssRules;
    } catch {
      continue;
    }
    for (const rule of Array.from(rules)) {
      if (!(rule instanceof CSSFontFaceRule)) continue;
      const style = rule.style;
      if (style.getPropertyValue('font-family').replace(/["']/g, '').trim() !== family) continue;
      if ((style.getPropertyValue('font-weight').trim() || '400') !== weight) continue;
      const src = style.getPropertyValue('src');
      const url = /url\(\s*["']?([^"')]+\.woff2)["']?\s*\)/.exec(src)?.[1];
      if (!url) continue;
      const ranges = splitUnicodeRange(style.getPropertyValue('unicode-range') || 'U+0-10FFFF');
      out.push({ url: new URL(url, doc.baseURI).href, ranges });
    }
  }
  return out;
}

/** MapLibre's `font-faces` for {@link MAP_FONT} from the face files. */
export function fontFacesSpec(files: FaceFile[]): FontFacesSpecification {
  return { [MAP_FONT]: files.map((f) => ({ url: f.url, 'unicode-range': f.ranges })) };
}
