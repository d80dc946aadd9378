// Photo checks done on the bytes themselves: the declared Content-Type is never trusted, and
// location-revealing metadata (EXIF GPS, XMP) is removed before anything is stored.

export type ImageType = 'image/jpeg' | 'image/png' | 'image/webp';

export interface ImageInfo {
  type: ImageType;
  width: number | null;
  height: number | null;
}

const PNG_SIGNATURE = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const ascii = (b: Uint8Array, at: number, len: number) => String.fromCharCode(...b.subarray(at, at + len));
const u16be = (b: Uint8Array, at: number) => (b[at]! << 8) | b[at + 1]!;
const u32be = (b: Uint8Array, at: number) =>
  ((b[at]! << 24) >>> 0) + (b[at + 1]! << 16) + (b[at + 2]! << 8) + b[at + 3]!;
const u16le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8);
const u24le = (b: Uint8Array, at: number) => b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16);
const u32le = (b: Uint8Array, at: number) => (u24le(b, at) + b[at + 3]! * 0x1000000) >>> 0;

/** The image type the magic bytes announce, or null for anything else (GIF, SVG, HEIC, text...). */
export function sniffImageType(b: Uint8Array): ImageType | null {
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 8 && PNG_SIGNATURE.every((v, i) => b[i] === v)) return 'image/png';
  if (b.length >= 12 && ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP') return 'image/webp';
  return null;
}

/** Thrown for bytes that claim an image type but do not parse as one. */
export class BadImageError extends Error {}

/** Type and pixel size, read from the headers (no decoding). Throws BadImageError on a broken file. */
export function readImageInfo(b: Uint8Array): ImageInfo {
  const type = sniffImageType(b);
  if (!type) throw new BadImageError('not a JPEG, PNG or WebP image (checked by its first bytes)');
  if (type === 'image/png') {
    if (b.length < 24 || ascii(b, 12, 4) !== 'IHDR') throw new BadImageError('PNG without an IHDR chunk');
    return { type, width: u32be(b, 16), height: u32be(b, 20) };
  }
  if (type === 'image/webp') return { type, ...webpSize(b) };
  let size: { width: number; height: number } | null = null;
  for (const seg of jpegSegments(b)) {
    // SOF0..SOF15 carry the frame size, except DHT (C4), JPG (C8) and DAC (CC).
    if (seg.marker >= 0xc0 && seg.marker <= 0xcf && ![0xc4, 0xc8, 0xcc].includes(seg.marker)) {
      if (seg.length < 7) throw new BadImageError('JPEG frame header too short');
      size = { height: u16be(b, seg.start + 5), width: u16be(b, seg.start + 7) };
    }
  }
  return { type, width: size?.width ?? null, height: size?.height ?? null };
}

interface JpegSegment {
  marker: number;
  /** Offset of the 0xFF of the marker. */
  start: number;
  /** Bytes after the two marker bytes (the length field included). */
  length: number;
}

/** Segments from SOI up to and including SOS (after which comes entropy-coded data). */
function jpegSegments(b: Uint8Array): JpegSegment[] {
  const out: JpegSegment[] = [];
  let at = 2;
  while (at < b.length) {
    if (b[at] !== 0xff) throw new BadImageError(`JPEG marker expected at byte ${at}`);
    const marker = b[at + 1];
    if (marker === undefined) throw new BadImageError('JPEG ends inside a marker');
    if (marker === 0xff) {
      at += 1; // fill byte
      continue;
    }
    if (marker === 0xd9) return out; // EOI before any scan
    if (at + 4 > b.length) throw new BadImageError('JPEG ends inside a segment header');
    const length = u16be(b, at + 2);
    if (length < 2 || at + 2 + length > b.length) throw new BadImageError('JPEG segment runs past the end');
    out.push({ marker, start: at, length });
    at += 2 + length;
    if (marker === 0xda) return out;
  }
  throw new BadImageError('JPEG has no image data (no SOS marker)');
}

function webpSize(b: Uint8Array): { width: number | null; height: number | null } {
  for (const c of riffChunks(b)) {
    if (c.fourcc === 'VP8X' && c.size >= 10) {
      return { width: u24le(b, c.data + 4) + 1, height: u24le(b, c.data + 7) + 1 };
    }
    if (c.fourcc === 'VP8 ' && c.size >= 10) {
      return { width: u16le(b, c.data + 6) & 0x3fff, height: u16le(b, c.data + 8) & 0x3fff };
    }
    if (c.fourcc === 'VP8L' && c.size >= 5) {
      const bits = u32le(b, c.data + 1);
      return { width: (bits & 0x3fff) + 1, height: ((bits >>> 14) & 0x3fff) + 1 };
    }
  }
  return { width: null, height: null };
}

interface RiffChunk {
  fourcc: string;
  /** Offset of the chunk header. */
  start: number;
  /** Offset of the payload. */
  data: number;
  size: number;
  /** Header + payload + pad byte. */
  total: number;
}

function riffChunks(b: Uint8Array): RiffChunk[] {
  const end = Math.min(b.length, 8 + u32le(b, 4));
  const out: RiffChunk[] = [];
  let at = 12;
  while (at + 8 <= end) {
    const size = u32le(b, at + 4);
    const total = 8 + size + (size & 1);
    if (at + 8 + size > end) throw new BadImageError('WebP chunk runs past the end');
    out.push({ fourcc: ascii(b, at, 4), start: at, data: at + 8, size, total });
    at += total;
  }
  return out;
}

function pngChunks(b: Uint8Array): RiffChunk[] {
  const out: RiffChunk[] = [];
  let at = 8;
  while (at + 12 <= b.length) {
    const size = u32be(b, at);
    if (at + 12 + size > b.length) throw new BadImageError('PNG chunk runs past the end');
    const fourcc = ascii(b, at + 4, 4);
    out.push({ fourcc, start: at, data: at + 8, size, total: 12 + size });
    at += 12 + size;
    if (fourcc === 'IEND') break;
  }
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** The EXIF orientation (1..8) of a JPEG APP1 Exif payload, or null. */
function exifOrientation(b: Uint8Array, tiff: number, end: number): number | null {
  if (tiff + 8 > end) return null;
  const le = ascii(b, tiff, 2) === 'II';
  const r16 = (at: number) => (le ? u16le(b, at) : u16be(b, at));
  const r32 = (at: number) => (le ? u32le(b, at) : u32be(b, at));
  const ifd = tiff + r32(tiff + 4);
  if (ifd + 2 > end) return null;
  const count = r16(ifd);
  for (let i = 0; i < count; i++) {
    const entry = ifd + 2 + i * 12;
    if (entry + 12 > end) return null;
    if (r16(entry) === 0x0112) {
      const v = r16(entry + 8);
      return v >= 1 && v <= 8 ? v : null;
    }
  }
  return null;
}

/** A minimal big-endian APP1 Exif segment holding only the orientation tag. */
function orientationApp1(orientation: number): Uint8Array {
  const body = [
    ...[0x45, 0x78, 0x69, 0x66, 0, 0], // "Exif\0\0"
    ...[0x4d, 0x4d, 0, 0x2a, 0, 0, 0, 8], // "MM", 42, IFD0 at 8
    ...[0, 1], // one entry
    ...[0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, orientation, 0, 0], // Orientation, SHORT, 1 value
    ...[0, 0, 0, 0], // no next IFD
  ];
  const length = body.length + 2;
  return Uint8Array.from([0xff, 0xe1, length >> 8, length & 0xff, ...body]);
}

export interface StripResult {
  bytes: Uint8Array;
  /** Names of the metadata blocks removed, e.g. `['APP1 Exif', 'APP1 XMP']`. */
  removed: string[];
}

/**
 * Removes metadata that can reveal where and on what a photo was taken: JPEG APP1 (EXIF with GPS,
 * XMP) and APP13 (IPTC); PNG eXIf and text chunks (XMP lives in iTXt); WebP EXIF and XMP chunks
 * (and their VP8X flags). The JPEG orientation survives as a one-tag EXIF block, so photos
 * taken sideways still display upright. Pixel data is copied unchanged.
 */
export function stripLocationMetadata(b: Uint8Array): StripResult {
  const type = sniffImageType(b);
  if (type === 'image/jpeg') return stripJpeg(b);
  if (type === 'image/png') return stripPng(b);
  if (type === 'image/webp') return stripWebp(b);
  throw new BadImageError('not a JPEG, PNG or WebP image (checked by its first bytes)');
}

function stripJpeg(b: Uint8Array): StripResult {
  const segments = jpegSegments(b);
  const removed: string[] = [];
  const parts: Uint8Array[] = [b.subarray(0, 2)];
  let orientation: number | null = null;
  let kept = 2;
  for (const seg of segments) {
    const payload = seg.start + 4;
    const end = seg.start + 2 + seg.length;
    let drop = false;
    if (seg.marker === 0xe1) {
      drop = true;
      if (ascii(b, payload, 6) === 'Exif\0\0') {
        removed.push('APP1 Exif');
        orientation ??= exifOrientation(b, payload + 6, end);
      } else removed.push('APP1 XMP');
    } else if (seg.marker === 0xed) {
      drop = true;
      removed.push('APP13 IPTC');
    }
    if (drop) {
      parts.push(b.subarray(kept, seg.start));
      kept = end;
    }
  }
  parts.push(b.subarray(kept));
  if (removed.length === 0) return { bytes: b, removed };
  if (orientation && orientation !== 1) parts.splice(1, 0, orientationApp1(orientation));
  return { bytes: concat(parts), removed };
}

const PNG_METADATA = new Set(['eXIf', 'tEXt', 'iTXt', 'zTXt']);

function stripPng(b: Uint8Array): StripResult {
  const removed: string[] = [];
  const parts: Uint8Array[] = [b.subarray(0, 8)];
  for (const c of pngChunks(b)) {
    if (PNG_METADATA.has(c.fourcc)) removed.push(c.fourcc);
    else parts.push(b.subarray(c.start, c.start + c.total));
  }
  return removed.length ? { bytes: concat(parts), removed } : { bytes: b, removed };
}

function stripWebp(b: Uint8Array): StripResult {
  const removed: string[] = [];
  const parts: Uint8Array[] = [];
  for (const c of riffChunks(b)) {
    if (c.fourcc === 'EXIF' || c.fourcc === 'XMP ') {
      removed.push(c.fourcc.trim());
      continue;
    }
    const chunk = b.slice(c.start, c.start + c.total);
    // VP8X flags announce EXIF (bit 3) and XMP (bit 2); clear them with the chunks gone.
    if (c.fourcc === 'VP8X' && chunk.length > 8) chunk[8] = chunk[8]! & ~0x0c;
    parts.push(chunk);
  }
  if (removed.length === 0) return { bytes: b, removed };
  const body = concat(parts);
  const header = new Uint8Array(12);
  header.set(b.subarray(0, 12));
  const size = body.length + 4;
  header.set([size & 0xff, (size >>> 8) & 0xff, (size >>> 16) & 0xff, (size >>> 24) & 0xff], 4);
  return { bytes: concat([header, body]), removed };
}
