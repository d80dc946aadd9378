import { describe, expect, it } from 'vitest';
import { checkPhoto, PhotoRejected } from './check-photo.ts';
import { readImageInfo, sniffImageType, stripLocationMetadata } from './image-bytes.ts';

const bytes = (...parts: (number[] | string)[]) =>
  Uint8Array.from(parts.flatMap((p) => (typeof p === 'string' ? [...p].map((ch) => ch.charCodeAt(0)) : p)));
const be16 = (n: number) => [n >> 8, n & 0xff];
const be32 = (n: number) => [(n >>> 24) & 0xff, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff];
const le32 = (n: number) => [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
const has = (hay: Uint8Array, needle: string) => Buffer.from(hay).includes(Buffer.from(needle, 'latin1'));

/** A JPEG APP1 Exif block (little-endian TIFF) with Orientation 6 and a GPS IFD pointer plus a marker text. */
function exifApp1(): number[] {
  const tiff = [
    ...bytes('II', [0x2a, 0], le32(8)),
    ...[2, 0], // two entries
    ...[0x12, 0x01, 3, 0, ...le32(1), 6, 0, 0, 0], // Orientation = 6 (rotate 90)
    ...[0x25, 0x88, 4, 0, ...le32(1), ...le32(38)], // GPSInfo IFD at 38
    ...le32(0),
    ...bytes('GPS 29.77N 121.64E'),
  ];
  const body = [...bytes('Exif', [0, 0]), ...tiff];
  return [0xff, 0xe1, ...be16(body.length + 2), ...body];
}

/** A structurally valid JPEG: SOI, optional extra segments, SOF0 640x480, SOS, scan data, EOI. */
function jpeg(extra: number[] = []): Uint8Array {
  const sof = [0xff, 0xc0, ...be16(17), 8, ...be16(480), ...be16(640), 3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1];
  const sos = [0xff, 0xda, ...be16(12), 3, 1, 0, 2, 0x11, 3, 0x11, 0, 0x3f, 0];
  return Uint8Array.from([0xff, 0xd8, ...extra, ...sof, ...sos, 0x12, 0x34, 0xff, 0x00, 0x56, 0xff, 0xd9]);
}

function pngChunk(type: string, data: number[]): number[] {
  // CRCs are not checked by the stripper (chunks are copied whole), so zeros do here.
  return [...be32(data.length), ...bytes(type), ...data, 0, 0, 0, 0];
}
function png(extra: number[] = []): Uint8Array {
  return Uint8Array.from([
    0x89,
    0x50,
    0x4e,
    0x47,
    0x0d,
    0x0a,
    0x1a,
    0x0a,
    ...pngChunk('IHDR', [...be32(320), ...be32(200), 8, 2, 0, 0, 0]),
    ...extra,
    ...pngChunk('IDAT', [1, 2, 3]),
    ...pngChunk('IEND', []),
  ]);
}

function webpChunk(type: string, data: number[]): number[] {
  return [...bytes(type), ...le32(data.length), ...data, ...(data.length % 2 ? [0] : [])];
}
function webp(chunks: number[]): Uint8Array {
  return Uint8Array.from([...bytes('RIFF'), ...le32(chunks.length + 4), ...bytes('WEBP'), ...chunks]);
}
const vp8x = (flags: number) => webpChunk('VP8X', [flags, 0, 0, 0, 99, 0, 0, 49, 0, 0]); // 100x50

describe('photo checks', () => {
  it('recognises JPEG, PNG and WebP by their bytes and nothing else', () => {
    expect(sniffImageType(jpeg())).toBe('image/jpeg');
    expect(sniffImageType(png())).toBe('image/png');
    expect(sniffImageType(webp(vp8x(0)))).toBe('image/webp');
    expect(sniffImageType(bytes('GIF89a', [1, 0, 1, 0]))).toBeNull();
    expect(sniffImageType(bytes('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBeNull();
  });

  it('refuses a file of the wrong type with 415, whatever it claims to be', () => {
    const gif = bytes('GIF89a', [1, 0, 1, 0, 0, 0, 0]);
    expect(() => checkPhoto(gif)).toThrow(PhotoRejected);
    expect(() => checkPhoto(bytes('%PDF-1.7 not an image'))).toThrow(
      expect.objectContaining({ status: 415, message: expect.stringContaining('not a JPEG, PNG or WebP') }),
    );
  });

  it('refuses a photo over the size limit with 413 and an empty one with 400', () => {
    const big = jpeg([0xff, 0xfe, ...be16(3002), ...new Array(3000).fill(0x41)]); // a 3 kB comment
    expect(() => checkPhoto(big, { maxBytes: big.length - 1, keepMetadata: false })).toThrow(
      expect.objectContaining({ status: 413 }),
    );
    expect(checkPhoto(big, { maxBytes: big.length, keepMetadata: false }).type).toBe('image/jpeg');
    expect(() => checkPhoto(new Uint8Array())).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('refuses a truncated JPEG with 400', () => {
    const broken = jpeg(exifApp1()).subarray(0, 30);
    expect(() => checkPhoto(broken)).toThrow(expect.objectContaining({ status: 400 }));
  });

  it('reads the pixel size of each type', () => {
    expect(readImageInfo(jpeg(exifApp1()))).toEqual({ type: 'image/jpeg', width: 640, height: 480 });
    expect(readImageInfo(png())).toEqual({ type: 'image/png', width: 320, height: 200 });
    expect(readImageInfo(webp(vp8x(0)))).toEqual({ type: 'image/webp', width: 100, height: 50 });
  });

  it('strips JPEG EXIF (GPS) and XMP but keeps the orientation and every pixel byte', () => {
    const xmp = [...bytes('http://ns.adobe.com/xap/1.0/\0<x:xmpmeta exif:GPSLatitude="29,46N"/>')];
    const withMeta = jpeg([...exifApp1(), 0xff, 0xe1, ...be16(xmp.length + 2), ...xmp]);
    expect(has(withMeta, 'GPS 29.77N')).toBe(true);
    const checked = checkPhoto(withMeta);
    expect(checked.stripped).toEqual(['APP1 Exif', 'APP1 XMP']);
    expect(has(checked.bytes, 'GPS')).toBe(false);
    expect(has(checked.bytes, 'xmpmeta')).toBe(false);
    // A one-tag EXIF block with Orientation 6 replaces the original.
    expect(has(checked.bytes, 'Exif')).toBe(true);
    const o = Buffer.from(checked.bytes).indexOf(Buffer.from([0x01, 0x12, 0, 3]));
    expect(checked.bytes[o + 9]).toBe(6);
    // The rest is the plain JPEG unchanged (SOF, SOS, scan data).
    const plain = jpeg();
    expect(Buffer.from(checked.bytes.subarray(checked.bytes.length - (plain.length - 2)))).toEqual(
      Buffer.from(plain.subarray(2)),
    );
    expect(readImageInfo(checked.bytes)).toMatchObject({ width: 640, height: 480 });
  });

  it('keeps metadata when configured to', () => {
    const withMeta = jpeg(exifApp1());
    const kept = checkPhoto(withMeta, { maxBytes: 1e6, keepMetadata: true });
    expect(kept.stripped).toEqual([]);
    expect(Buffer.from(kept.bytes)).toEqual(Buffer.from(withMeta));
  });

  it('leaves a JPEG without metadata byte for byte alone', () => {
    const plain = jpeg();
    expect(stripLocationMetadata(plain)).toEqual({ bytes: plain, removed: [] });
  });

  it('strips PNG eXIf and text chunks (XMP) and keeps the image chunks', () => {
    const meta = [
      ...pngChunk('eXIf', [...bytes('MM', [0, 0x2a], 'GPS 29.77N')]),
      ...pngChunk('iTXt', [...bytes('XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta GPSLatitude/>')]),
    ];
    const checked = checkPhoto(png(meta));
    expect(checked.stripped).toEqual(['eXIf', 'iTXt']);
    expect(has(checked.bytes, 'GPS')).toBe(false);
    expect(Buffer.from(checked.bytes)).toEqual(Buffer.from(png()));
  });

  it('strips WebP EXIF and XMP chunks, clears their VP8X flags and fixes the RIFF size', () => {
    const vp8l = webpChunk('VP8L', [0x2f, 0, 0, 0, 0, 1, 2]);
    const withMeta = webp([
      ...vp8x(0x0c),
      ...vp8l,
      ...webpChunk('EXIF', [...bytes('MM', [0, 0x2a], 'GPS 29.77N')]),
      ...webpChunk('XMP ', [...bytes('<x:xmpmeta/>')]),
    ]);
    const checked = checkPhoto(withMeta);
    expect(checked.stripped).toEqual(['EXIF', 'XMP']);
    expect(has(checked.bytes, 'GPS')).toBe(false);
    expect(Buffer.from(checked.bytes)).toEqual(Buffer.from(webp([...vp8x(0), ...vp8l])));
    const riffSize = Buffer.from(checked.bytes).readUInt32LE(4);
    expect(riffSize).toBe(checked.bytes.length - 8);
  });
});
