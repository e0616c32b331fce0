/** The 97.5% point of the standard normal: a two-sided 95% interval. */
const Z95 = 1.959963984540054;

/**
 * Wilson's score interval for a proportion (Wilson 1927; Newcombe 1998, method 3): unlike the Wald interval it
 * stays inside [0, 1] and keeps its coverage near 0 and 1 and for small n. Null with no trials.
 */
export function wilsonInterval(successes: number, trials: number, z = Z95): { low: number; high: number } | null {
  if (trials <= 0) return null;
  const p = successes / trials;
  const z2 = z * z;
  const centre = p + z2 / (2 * trials);
  const spread = z * Math.sqrt((p * (1 - p)) / trials + z2 / (4 * trials * trials));
  const denominator = 1 + z2 / trials;
  // Clamped: at 0 or n successes the bound is 0 or 1 exactly in exact arithmetic, a hair off in floating point.
  return { low: Math.max(0, (centre - spread) / denominator), high: Math.min(1, (centre + spread) / denominator) };
}
