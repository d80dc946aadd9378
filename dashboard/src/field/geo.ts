/** A position fix as the field app stores it. */
export interface Fix {
  location: [number, number];
  accuracy: number;
  /** Device time of the fix, epoch ms. */
  at: number;
}

/** Why a fix could not be had, as an i18n key. */
export class FixError extends Error {}

/** One high-accuracy fix (GPS where the phone has it); a fresh one, never a cached position. */
export function currentFix(timeoutMs = 20_000): Promise<Fix> {
  return new Promise((resolve, reject) => {
    if (typeof navigator === 'undefined' || !navigator.geolocation) {
      reject(new FixError('geo.unsupported'));
      return;
    }
    navigator.geolocation.getCurrentPosition(
      (p) =>
        resolve({
          location: [p.coords.longitude, p.coords.latitude],
          accuracy: p.coords.accuracy,
          at: Date.now(),
        }),
      (err) => reject(new FixError(err.code === err.PERMISSION_DENIED ? 'geo.denied' : 'geo.unavailable')),
      { enableHighAccuracy: true, maximumAge: 0, timeout: timeoutMs },
    );
  });
}

/** Great-circle distance in metres (haversine; plenty for a patrol's length). */
export function distanceM(a: [number, number], b: [number, number]): number {
  const r = 6_371_008.8;
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLon = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * r * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** Length of a track in metres. */
export function trackLengthM(points: ReadonlyArray<[number, number]>): number {
  let sum = 0;
  for (let i = 1; i < points.length; i++) sum += distanceM(points[i - 1]!, points[i]!);
  return sum;
}
