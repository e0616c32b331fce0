import { normalCdf } from '../../src/stats/paired.js';

// BCa written out again from Efron & Tibshirani (1993), eqs. 14.9–14.15, for tests to recompute intervals with.

function inverseNormal(p: number): number {
  let lo = -40;
  let hi = 40;
  for (let i = 0; i < 200; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < p) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

function type7(sorted: readonly number[], p: number): number {
  const h = (sorted.length - 1) * p;
  const lo = Math.floor(h);
  return sorted[lo]! + (h - lo) * (sorted[Math.ceil(h)]! - sorted[lo]!);
}

/** The BCa interval from the replicates, the full-sample estimate and the leave-one-out values. */
export function directBca(replicates: readonly number[], estimate: number, jackknife: readonly number[], level = 0.95): { low: number; high: number } {
  const sorted = [...replicates].sort((a, b) => a - b);
  const below = sorted.filter((x) => x < estimate).length + sorted.filter((x) => x === estimate).length / 2;
  const z0 = inverseNormal(below / sorted.length);
  const mean = jackknife.reduce((s, x) => s + x, 0) / jackknife.length;
  const num = jackknife.reduce((s, x) => s + (mean - x) ** 3, 0);
  const den = 6 * jackknife.reduce((s, x) => s + (mean - x) ** 2, 0) ** 1.5;
  const a = den === 0 ? 0 : num / den;
  const at = (z: number) => normalCdf(z0 + (z0 + z) / (1 - a * (z0 + z)));
  return { low: type7(sorted, at(inverseNormal((1 - level) / 2))), high: type7(sorted, at(inverseNormal((1 + level) / 2))) };
}

/** The statistic with each index left out in turn. */
export function leaveOneOut(n: number, statistic: (sel: number[]) => number | null): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const v = statistic(Array.from({ length: n }, (_, j) => j).filter((j) => j !== i));
    if (v !== null) out.push(v);
  }
  return out;
}

/** The bootstrap replicates of a statistic, drawn as jury draws them (seeded, n indexes per resample, in order). */
export function replicates(n: number, resamples: number, rng: { int(k: number): number }, statistic: (sel: number[]) => number | null): number[] {
  const out: number[] = [];
  for (let b = 0; b < resamples; b++) {
    const v = statistic(Array.from({ length: n }, () => rng.int(n)));
    if (v !== null) out.push(v);
  }
  return out;
}
