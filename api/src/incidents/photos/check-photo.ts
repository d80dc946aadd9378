import { createHash } from 'node:crypto';
import { BadImageError, type ImageType, readImageInfo, stripLocationMetadata } from './image-bytes.ts';

/** How uploads are checked; from the environment in `main`, defaults in tests. */
export interface PhotoConfig {
  /** Largest accepted upload in bytes (default 8 MiB; phones send ~300 KB after downsizing). */
  maxBytes: number;
  /** Keep EXIF/XMP (GPS included) instead of stripping it; off by default. */
  keepMetadata: boolean;
}

export const DEFAULT_PHOTO_CONFIG: PhotoConfig = { maxBytes: 8 * 1024 * 1024, keepMetadata: false };

/** Why an upload was refused, with the HTTP status that says so. */
export class PhotoRejected extends Error {
  constructor(
    readonly status: 400 | 413 | 415,
    message: string,
  ) {
    super(message);
  }
}

export interface CheckedPhoto {
  type: ImageType;
  width: number | null;
  height: number | null;
  bytes: Uint8Array;
  sha256: string;
  /** Metadata blocks removed (empty when there were none or `keepMetadata`). */
  stripped: string[];
}

/**
 * Checks an upload by its bytes: not empty, within the size limit (413), a JPEG, PNG or WebP by its
 * magic bytes whatever the declared type says (415), headers that parse (400); then strips
 * location-revealing metadata unless configured to keep it.
 */
export function checkPhoto(bytes: Uint8Array, config: PhotoConfig = DEFAULT_PHOTO_CONFIG): CheckedPhoto {
  if (bytes.length === 0) throw new PhotoRejected(400, 'the photo is empty');
  if (bytes.length > config.maxBytes) {
    throw new PhotoRejected(413, `the photo is ${bytes.length} bytes; the limit is ${config.maxBytes}`);
  }
  try {
    const info = readImageInfo(bytes);
    const { bytes: clean, removed } = config.keepMetadata
      ? { bytes, removed: [] as string[] }
      : stripLocationMetadata(bytes);
    return {
      type: info.type,
      width: info.width,
      height: info.height,
      bytes: clean,
      sha256: createHash('sha256').update(clean).digest('hex'),
      stripped: removed,
    };
  } catch (err) {
    if (!(err instanceof BadImageError)) throw err;
    // A file that is no image at all is the wrong type; one that claims to be and breaks is bad input.
    const status = /not a JPEG, PNG or WebP/.test(err.message) ? 415 : 400;
    throw new PhotoRejected(status, err.message);
  }
}
