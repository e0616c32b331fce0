import { seededRng, type Rng } from './rng.js';
import type { Estimate } from './types.js';
import { bcaFromReplicates } from './bca.js';
import { quantile } from './quantile.js';

export { quantile } from './quantile.js';

/**
 * `method`: which interval was formed (BCa where asked and defined, else the percentile one); `skipped`: resamples
 * on which the statistic was undefined (left out; more than a tenth makes the interval undefined).
 */
export type Interval = { low: number; high: number; level: number; resamples: number; skipped: number; method: 'percentile' | 'bca' } | { low: null; high: null; reason: string };

export interface IntervalOptions {
  resamples?: number;
  level?: number;
  /** 'bca' (bias-corrected and accelerated) or 'percentile' (the default here; callers choose). */
  method?: 'percentile' | 'bca';
  /**
   * For BCa: the statistic with each unit (or cluster) left out in turn. Without it the units are left out one
   * by one through `statistic` (up to JACKKNIFE_LIMIT units; above that the percentile interval is given).
   */
  jackknife?: () => number[];
}

/** The most units a generic jackknife (one statistic per unit left out) runs over: beyond, a statistic costing O(n²) (tau-b) would take minutes, and the percentile interval's coverage error (of order 1/√n) is small. */
export const JACKKNIFE_LIMIT = 1000;

/**
 * Percentile bootstrap over units (Efron & Tibshirani 1993, ch. 13): draw n units with replacement, recompute
 * the statistic, take the (1−level)/2 and (1+level)/2 quantiles (type 7, linear interpolation). Resamples
 * where the statistic is undefined are skipped; if more than a tenth are, the interval is undefined.
 * `statistic` receives the indexes of the drawn units.
 */
export function bootstrapInterval(units: number, statistic: (selection: Int32Array) => Estimate, rng: Rng, options: IntervalOptions = {}): Interval {
  const selection = new Int32Array(units);
  return percentileInterval(units, statistic, options, () => {
    for (let i = 0; i < units; i++) selection[i] = rng.int(units);
    return selection;
  });
}

/** Draw tables kept up to this many indexes (16 MB); larger bootstraps draw as they go. */
export const MAX_KEPT_DRAWS = 1 << 22;
let kept: { units: number; seed: number; resamples: number; draws: Int32Array } | undefined;

/**
 * bootstrapInterval(units, statistic, seededRng(seed), options), same result, with the draws kept for the next
 * call with the same units, seed and resamples: a report bootstraps alpha and the mean of every criterion over
 * the same items with one seed, and drawing a resample costs more than most statistics do.
 */
export function seededBootstrapInterval(units: number, statistic: (selection: Int32Array) => Estimate, seed: number, options: IntervalOptions = {}): Interval {
  const resamples = options.resamples ?? 1000;
  const draws = seededDraws(units, seed, resamples);
  if (!draws) return bootstrapInterval(units, statistic, seededRng(seed), options);
  // Copied into one array rather than handed out as subarrays: statistics index a plain array faster.
  const selection = new Int32Array(units);
  return percentileInterval(units, statistic, options, (b) => {
    selection.set(draws.subarray(b * units, (b + 1) * units));
    return selection;
  });
}

/**
 * The units drawn by seededBootstrapInterval(units, …, seed, { resamples }), resample b at [b · units, (b + 1) · units),
 * kept for the next call; undefined past MAX_KEPT_DRAWS (that bootstrap then draws as it goes). A run makes them
 * while it judges, so that its end does not (report/summary-tally.ts).
 */
export function seededDraws(units: number, seed: number, resamples: number): Int32Array | undefined {
  if (units * resamples > MAX_KEPT_DRAWS) return undefined;
  if (!kept || kept.units !== units || kept.seed !== seed || kept.resamples !== resamples) {
    const draws = new Int32Array(units * resamples);
    seededRng(seed).fillInts(draws, units);
    kept = { units, seed, resamples, draws };
  }
  return kept.draws;
}

/** `draw(b)`: the units of resample b (the statistic must not keep the array). */
function percentileInterval(units: number, statistic: (selection: Int32Array) => Estimate, options: IntervalOptions, draw: (b: number) => Int32Array): Interval {
  return intervalFromReplicates(units, (b) => statistic(draw(b)), statistic, options);
}

/**
 * The interval from the statistic's value on each resample, `replicate(b)` for b < resamples, however it was
 * obtained (drawn here, or tallied while the data arrived: resample-tally.ts); `statistic` is still asked for the
 * estimate on every unit and, without `options.jackknife`, for BCa's jackknife.
 */
export function intervalFromReplicates(units: number, replicate: (b: number) => Estimate, statistic: (selection: Int32Array) => Estimate, options: IntervalOptions = {}): Interval {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  if (units < 2) return { low: null, high: null, reason: 'fewer than two units to resample' };
  const values: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const result = replicate(b);
    if (result.value !== null) values.push(result.value);
  }
  if (values.length < resamples * 0.9) return { low: null, high: null, reason: `the statistic is undefined in ${resamples - values.length} of ${resamples} resamples` };
  values.sort((a, b) => a - b);
  const skipped = resamples - values.length;
  if (options.method === 'bca') {
    const bca = bcaOf(units, statistic, values, level, options);
    if (bca) return { low: bca.low, high: bca.high, level, resamples, skipped, method: 'bca' };
  }
  return { low: quantile(values, (1 - level) / 2), high: quantile(values, (1 + level) / 2), level, resamples, skipped, method: 'percentile' };
}

/** BCa from the sorted replicates, or undefined where it is not defined (then the percentile interval stands). */
function bcaOf(units: number, statistic: (selection: Int32Array) => Estimate, sorted: number[], level: number, options: IntervalOptions): { low: number; high: number } | undefined {
  const all = new Int32Array(units);
  for (let i = 0; i < units; i++) all[i] = i;
  const estimate = statistic(all).value;
  if (estimate === null) return undefined;
  let jackknife: number[];
  if (options.jackknife) jackknife = options.jackknife();
  else {
    if (units > JACKKNIFE_LIMIT) return undefined;
    jackknife = [];
    const without = new Int32Array(units - 1);
    for (let i = 0; i < units; i++) {
      for (let j = 0, k = 0; j < units; j++) if (j !== i) without[k++] = j;
      const v = statistic(without).value;
      if (v !== null) jackknife.push(v);
    }
  }
  const result = bcaFromReplicates(sorted, estimate, jackknife, level);
  return result.low === null ? undefined : { low: result.low, high: result.high };
}

/**
 * Units nested in clusters (the turns of one conversation): a cluster bootstrap draws clusters, not units, and
 * hands the statistic every unit of each drawn cluster, so that units which move together are resampled together
 * (Davison & Hinkley 1997, §3.8). `clusterOf[u]` is unit u's cluster, numbered from 0 in any order.
 */
export interface Clusters {
  count: number;
  /** True when every cluster holds one unit: resampling clusters is resampling units. */
  singletons: boolean;
  /** The units of the drawn clusters, in draw order. */
  expand(selection: ArrayLike<number>): Int32Array;
}

export function clustersOf(clusterOf: ArrayLike<number>): Clusters {
  let count = 0;
  for (let u = 0; u < clusterOf.length; u++) count = Math.max(count, clusterOf[u]! + 1);
  const sizes = new Int32Array(count);
  for (let u = 0; u < clusterOf.length; u++) sizes[clusterOf[u]!]!++;
  const start = new Int32Array(count + 1);
  for (let c = 0; c < count; c++) start[c + 1] = start[c]! + sizes[c]!;
  const members = new Int32Array(clusterOf.length);
  const fill = start.slice(0, count);
  for (let u = 0; u < clusterOf.length; u++) members[fill[clusterOf[u]!]!++] = u;
  let singletons = true;
  for (let c = 0; c < count; c++) if (sizes[c] !== 1) singletons = false;
  return {
    count,
    singletons,
    expand(selection) {
      let total = 0;
      for (let i = 0; i < selection.length; i++) total += sizes[selection[i]!]!;
      const out = new Int32Array(total);
      let k = 0;
      for (let i = 0; i < selection.length; i++) {
        const c = selection[i]!;
        out.set(members.subarray(start[c]!, start[c + 1]!), k);
        k += sizes[c]!;
      }
      return out;
    },
  };
}

/** Cluster ids numbered in order of first appearance: `['a', 'a', 'b']` → [0, 0, 1]. */
export function clusterIndex(keys: readonly string[]): Int32Array {
  const ids = new Map<string, number>();
  return Int32Array.from(keys, (k) => {
    let id = ids.get(k);
    if (id === undefined) ids.set(k, (id = ids.size));
    return id;
  });
}
