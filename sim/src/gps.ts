import { type LonLat, offsetMetres, type Rng } from '@wardmap/geo';

/** Standard normal draw (Box-Muller) from a seeded source. */
export function gaussian(rng: Rng): number {
  const u = Math.max(rng.next(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
}

/** A phone's fix of `truth`: reported accuracy and a position off by roughly that much. */
export function noisyFix(rng: Rng, truth: LonLat): { location: LonLat; accuracy: number } {
  // Mostly a good outdoor fix; now and then a poor one between tall buildings.
  const accuracy = rng.next() < 0.05 ? rng.range(35, 80) : rng.range(4, 18);
  const sigma = accuracy / 2;
  const [lon, lat] = offsetMetres(truth, gaussian(rng) * sigma, gaussian(rng) * sigma);
  return { location: [round7(lon), round7(lat)], accuracy: Math.round(accuracy * 10) / 10 };
}

/** Seven decimals (~1 cm), what phones and GeoJSON exports usually carry. */
export function round7(v: number): number {
  return Math.round(v * 1e7) / 1e7;
}

/** Exponentially distributed wait with the given mean: the gap between independent events. */
export function expWait(rng: Rng, meanMs: number): number {
  return -Math.log(Math.max(rng.next(), 1e-12)) * meanMs;
}
