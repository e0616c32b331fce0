import type { Rng } from './rng.js';
import type { Estimate } from './types.js';

export type Interval = { low: number; high: number; level: number; resamples: number } | { low: null; high: null; reason: string };

/**
 * Percentile bootstrap over units (Efron & Tibshirani 1993, ch. 13): draw n units with replacement, recompute
 * the statistic, take the (1−level)/2 and (1+level)/2 quantiles (type 7, linear interpolation). Resamples
 * where the statistic is undefined are skipped; if more than a tenth are, the interval is undefined.
 * `statistic` receives the indexes of the drawn units.
 */
export function bootstrapInterval(units: number, statistic: (selection: Int32Array) => Estimate, rng: Rng, options: { resamples?: number; level?: number } = {}): Interval {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (units < 2) return { low: null, high: null, reason: 'fewer than two units to resample' };
  const values: number[] = [];
  const selection = new Int32Array(units);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < units; i++) selection[i] = rng.int(units);
    const result = statistic(selection);
    if (result.value !== null) values.push(result.value);
  }
  if (values.length < resamples * 0.9) return { low: null, high: null, reason: `the statistic is undefined in ${resamples - values.length} of ${resamples} resamples` };
  values.sort((a, b) => a - b);
  return { low: quantile(values, (1 - level) / 2), high: quantile(values, (1 + level) / 2), level, resamples };
}

/** Type-7 quantile (linear interpolation between order statistics) of sorted values. */
export function quantile(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.ceil(h);
  return sorted[lo]! + (h - lo) * (sorted[hi]! - sorted[lo]!);
}
