import { bootstrapInterval, clusterIndex, clustersOf } from './bootstrap.js';
import { seededRng } from './rng.js';
import type { Estimate } from './types.js';

/** A calibration figure: its value, a 95% bootstrap interval when one exists, or why it is undefined. */
export interface Stat {
  value: number | null;
  /** `method`: BCa, or percentile where BCa is undefined; `skipped`: resamples where the statistic was undefined. */
  ci: { low: number; high: number; method?: 'bca' | 'percentile'; skipped?: number } | null;
  reason?: string;
}

/**
 * A statistic over n units with a seeded BCa bootstrap interval over the units (the percentile one where BCa is
 * undefined). Where a unit holds several
 * ratings (votes, samples), the units are what is resampled, so that ratings of one unit move together as they
 * would in a new sample of units; where units are turns of conversations, the conversations are.
 */
export function withCi(n: number, f: (sel: ArrayLike<number>) => Estimate, seed: number, resamples: number, conversations?: readonly string[]): Stat {
  const all = Array.from({ length: n }, (_, i) => i);
  const point = f(all);
  if (point.value === null) return { value: null, ci: null, reason: point.reason };
  // Units that are turns of one conversation are drawn together, by conversation (`conversations[u]`).
  const clusters = conversations && clustersOf(clusterIndex(conversations));
  const interval = clusters && !clusters.singletons
    ? bootstrapInterval(clusters.count, (sel) => f(clusters.expand(sel)), seededRng(seed), { resamples, method: 'bca' })
    : bootstrapInterval(n, f, seededRng(seed), { resamples, method: 'bca' });
  return { value: point.value, ci: interval.low === null ? null : { low: interval.low, high: interval.high, method: interval.method, skipped: interval.skipped } };
}

export function pick<T>(items: readonly T[], sel: ArrayLike<number>): T[] {
  return Array.from(sel, (i) => items[i]!);
}
