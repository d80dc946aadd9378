/** Longest side of an uploaded photo, px: plenty to see a net cage or a blocked stairwell. */
export const MAX_SIDE = 1600;

/** The size to scale `w`×`h` to so the longest side is at most `maxSide` (never enlarged). */
export function fitWithin(w: number, h: number, maxSide = MAX_SIDE): { width: number; height: number } {
  const scale = Math.min(1, maxSide / Math.max(w, h));
  return { width: Math.max(1, Math.round(w * scale)), height: Math.max(1, Math.round(h * scale)) };
}

/**
 * Re-encodes a camera photo as a JPEG whose longest side is at most 1600 px, to spare the
 * patroller's data plan. The EXIF orientation is applied while decoding, and the new JPEG carries
 * no metadata at all (no GPS). Where the browser cannot decode the file, the original is returned
 * and the server's checks decide.
 */
export async function downsizePhoto(
  file: Blob,
  opts: { maxSide?: number; quality?: number } = {},
): Promise<{ bytes: ArrayBuffer; type: string; width: number | null; height: number | null }> {
  const maxSide = opts.maxSide ?? MAX_SIDE;
  const quality = opts.quality ?? 0.8;
  let bitmap: ImageBitmap;
  try {
    bitmap = await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch {
    return {
      bytes: await file.arrayBuffer(),
      type: file.type || 'application/octet-stream',
      width: null,
      height: null,
    };
  }
  const { width, height } = fitWithin(bitmap.width, bitmap.height, maxSide);
  try {
    let blob: Blob;
    if (typeof OffscreenCanvas !== 'undefined') {
      const canvas = new OffscreenCanvas(width, height);
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0, width, height);
      blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
    } else {
      const canvas = document.createElement('canvas');
      canvas.width = width;
      canvas.height = height;
      const ctx = canvas.getContext('2d');
      if (!ctx) throw new Error('no 2d context');
      ctx.drawImage(bitmap, 0, 0, width, height);
      blob = await new Promise<Blob>((resolve, reject) =>
        canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('toBlob failed'))), 'image/jpeg', quality),
      );
    }
    return { bytes: await blob.arrayBuffer(), type: 'image/jpeg', width, height };
  } finally {
    bitmap.close();
  }
}
