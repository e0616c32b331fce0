import { wilcoxonSignedRank } from './paired.js';

/**
 * The Hodges–Lehmann shift and its signed-rank interval (Hodges & Lehmann 1963; Hollander & Wolfe, Nonparametric
 * Statistical Methods, §3.2–3.3): the quantity the Wilcoxon signed-rank test is about. The estimate is the
 * median of the n(n+1)/2 Walsh averages (dᵢ + dⱼ)/2, i ≤ j; the interval is every shift θ that the test, run on
 * d − θ exactly as jury runs it (zeros dropped, ties at average ranks, exact up to 60 differences), does not
 * reject at the given level. Walsh averages are counted, never listed, so 100,000 differences cost no memory.
 */

/** Walsh averages ≤ t: pairs i ≤ j of the sorted differences with dᵢ + dⱼ ≤ 2t (two pointers, O(n)). */
function countAtMost(sorted: Float64Array, t: number): number {
  let count = 0;
  let j = sorted.length - 1;
  for (let i = 0; i < sorted.length; i++) {
    while (j >= i && (sorted[i]! + sorted[j]!) / 2 > t) j--;
    if (j < i) break;
    count += j - i + 1;
  }
  return count;
}

/** The largest Walsh average ≤ t (< t when `strict`), or −Infinity: two pointers, O(n). */
function largestAtMost(sorted: Float64Array, t: number, strict = false): number {
  let best = -Infinity;
  let j = sorted.length - 1;
  const above = (x: number) => (strict ? x >= t : x > t);
  for (let i = 0; i < sorted.length; i++) {
    while (j >= i && above((sorted[i]! + sorted[j]!) / 2)) j--;
    if (j < i) break;
    best = Math.max(best, (sorted[i]! + sorted[j]!) / 2);
  }
  return best;
}

/** The smallest Walsh average ≥ t (> t when `strict`), or Infinity. */
function smallestAtLeast(sorted: Float64Array, t: number, strict = false): number {
  let best = Infinity;
  let j = 0;
  const below = (x: number) => (strict ? x <= t : x < t);
  for (let i = sorted.length - 1; i >= 0; i--) {
    while (j <= i && below((sorted[i]! + sorted[j]!) / 2)) j++;
    if (j > i) break;
    best = Math.min(best, (sorted[i]! + sorted[j]!) / 2);
  }
  return best;
}

/** The k-th smallest Walsh average (1-based): bisection on the value, then the Walsh average it closes on. */
function kthWalsh(sorted: Float64Array, k: number): number {
  let lo = sorted[0]!;
  let hi = sorted[sorted.length - 1]!;
  if (countAtMost(sorted, lo) >= k) return lo;
  // Invariant: fewer than k averages ≤ lo, at least k ≤ hi.
  for (let step = 0; step < 200 && hi - lo > 0; step++) {
    const mid = lo + (hi - lo) / 2;
    if (mid <= lo || mid >= hi) break;
    if (countAtMost(sorted, mid) >= k) hi = mid;
    else lo = mid;
  }
  return largestAtMost(sorted, hi);
}

const sortedCopy = (d: readonly number[]) => Float64Array.from(d).sort();

/** The median of the Walsh averages; null with no difference. */
export function hodgesLehmann(differences: readonly number[]): number | null {
  const n = differences.length;
  if (n === 0) return null;
  const sorted = sortedCopy(differences);
  const m = (n * (n + 1)) / 2;
  // + 0: a shift of −0 reads as 0.
  return (m % 2 ? kthWalsh(sorted, (m + 1) / 2) : (kthWalsh(sorted, m / 2) + kthWalsh(sorted, m / 2 + 1)) / 2) + 0;
}

export type ShiftInterval =
  | { low: number; high: number; level: number; low_open?: true; high_open?: true }
  | { low: null; high: null; level: number; reason: string };

/**
 * Every shift θ with p(d − θ) ≥ alpha, found outward from the estimate by bisection and closed on the Walsh
 * average where acceptance ends. An end is open (`low_open`) when the test rejects at that Walsh average itself
 * but accepts just inside it: the interval then excludes the point, and the verdict at 0 agrees with it.
 */
export function shiftInterval(differences: readonly number[], alpha: number): ShiftInterval {
  const level = 1 - alpha;
  const n = differences.length;
  const estimate = hodgesLehmann(differences);
  if (estimate === null) return { low: null, high: null, level, reason: 'no paired item' };
  const accepts = (theta: number) => wilcoxonSignedRank(differences.map((d) => d - theta)).p_value >= alpha;
  const sorted = sortedCopy(differences);
  const span = Math.max(1, sorted[n - 1]! - sorted[0]!);
  // Beyond every difference the signs are all alike: the strongest evidence n differences can give.
  const below = sorted[0]! - span;
  const above = sorted[n - 1]! + span;
  if (accepts(below) || accepts(above)) return { low: null, high: null, level, reason: `${n} paired item${n === 1 ? '' : 's'} cannot exclude any shift at ${level * 100}%` };
  // Where to start: the estimate, or, when the test rejects it (most items unchanged, the changed ones all moved
  // one way: the median shift is 0 yet the test, which drops zeros, rejects 0), the gap beside it it accepts.
  let startLow = estimate;
  let startHigh = estimate;
  let openAtEstimate: 'low' | 'high' | undefined;
  if (!accepts(estimate)) {
    const left = (estimate + Math.max(largestAtMost(sorted, estimate - SAME, true), below)) / 2;
    const right = (estimate + Math.min(smallestAtLeast(sorted, estimate + SAME, true), above)) / 2;
    if (accepts(right)) [startLow, startHigh, openAtEstimate] = [estimate, right, 'low'];
    else if (accepts(left)) [startLow, startHigh, openAtEstimate] = [left, estimate, 'high'];
    else return { low: null, high: null, level, reason: INCOHERENT };
  }
  // The acceptance changes only at Walsh averages, so halving stops once [inside, outside] holds a single one:
  // that average is where the interval ends (a handful of steps on a panel's thirds, ~50 on continuous data).
  const edge = (inside: number, outside: number): number => {
    for (let step = 0; step < 200; step++) {
      const [lo, hi] = inside < outside ? [inside, outside] : [outside, inside];
      const first = smallestAtLeast(sorted, lo);
      if (largestAtMost(sorted, hi) - first <= SAME) return first;
      const mid = inside + (outside - inside) / 2;
      if (mid === inside || mid === outside) break;
      if (accepts(mid)) inside = mid;
      else outside = mid;
    }
    return nearest(largestAtMost(sorted, inside), smallestAtLeast(sorted, inside), inside);
  };
  const low = openAtEstimate === 'low' ? estimate : edge(startLow, below);
  const high = openAtEstimate === 'high' ? estimate : edge(startHigh, above);
  const interval: ShiftInterval = { low: low + 0, high: high + 0, level, ...(accepts(low) ? {} : { low_open: true as const }), ...(accepts(high) ? {} : { high_open: true as const }) };
  // Dropping zeros makes the test at 0 a test of the changed items only, while at any other shift the unchanged
  // items count too: with many unchanged items the two can part. An interval that would contradict the verdict
  // at 0 is not shown.
  if (shiftIntervalContains(interval, 0) !== accepts(0)) return { low: null, high: null, level, reason: INCOHERENT };
  return interval;
}

/**
 * Walsh averages closer than this are one: the test reads differences at 1e-9, and (1/3 + 1/3)/2 and (0 + 2/3)/2
 * are two doubles a bit apart. Told apart, they would look like two averages where there is one, and the search
 * for the end of the interval would step past it into the next gap.
 */
const SAME = 1e-9;

export const INCOHERENT = 'no interval agrees with the test here: the test leaves out the unchanged items, which at any other shift would count';

const nearest = (a: number, b: number, t: number) => (Math.abs(a - t) <= Math.abs(b - t) ? a : b);

/** Whether θ lies in the interval, open ends respected. */
export function shiftIntervalContains(interval: ShiftInterval, theta: number): boolean {
  if (interval.low === null) return true;
  const aboveLow = interval.low_open ? theta > interval.low : theta >= interval.low;
  const belowHigh = interval.high_open ? theta < interval.high : theta <= interval.high;
  return aboveLow && belowHigh;
}
