import { averageRanks } from './correlation.js';

export interface PairedTest {
  name: 'wilcoxon_signed_rank';
  /** W+, the sum of the ranks of the positive differences. */
  statistic: number;
  /** Non-zero differences used. */
  n: number;
  p_value: number;
  method: 'exact' | 'normal';
  reason?: string;
}

/**
 * Two-sided Wilcoxon signed-rank test on paired differences (Wilcoxon 1945), each read at 1e-9. Zero differences are dropped
 * (Wilcoxon's own treatment); tied |d| share average ranks. Up to 60 differences the p-value is exact: the
 * permutation distribution of W+ over all 2^n sign patterns given the (possibly tied) ranks, by dynamic
 * programming on doubled ranks. Above that, the normal approximation with the tie-corrected variance
 * n(n+1)(2n+1)/24 − Σ(t³ − t)/48 and a continuity correction of half the lattice step of W+ (½, as
 * R's wilcox.test, unless heavy ties make W+ move in larger steps). No non-zero difference: p = 1.
 */
export function wilcoxonSignedRank(differences: readonly number[]): PairedTest {
  // Differences of averaged scores carry float noise (4.6667 − 3.6667 is not 3.6667 − 2.6667 in binary): read at
  // 1e-9 so that equal differences tie and a rounding residue is no difference, instead of ranking by noise.
  const d = differences.map((x) => Math.round(x * 1e9) / 1e9).filter((x) => x !== 0 && Number.isFinite(x));
  const n = d.length;
  if (n === 0) return { name: 'wilcoxon_signed_rank', statistic: 0, n: 0, p_value: 1, method: 'exact', reason: 'no item changed' };
  const ranks = averageRanks(d.map(Math.abs));
  let wPlus = 0;
  for (let i = 0; i < n; i++) if (d[i]! > 0) wPlus += ranks[i]!;
  if (n <= 60) {
    const untied = untiedDistribution(ranks);
    if (untied) {
      // No ties: W+ is an integer and its distribution depends on n alone (kept across calls).
      const w = Math.round(wPlus);
      const lower = untied[w]!;
      const upper = 1 - (w > 0 ? untied[w - 1]! : 0);
      return { name: 'wilcoxon_signed_rank', statistic: wPlus, n, p_value: Math.min(1, 2 * Math.min(lower, upper)), method: 'exact' };
    }
    // Average ranks are multiples of ½, so doubled ranks are integers and W+ has a finite support.
    const doubled = ranks.map((r) => Math.round(r * 2));
    const total = doubled.reduce((a, b) => a + b, 0);
    const dist = signedRankDistribution(doubled, total);
    const observed = Math.round(wPlus * 2);
    let lower = 0;
    let upper = 0;
    for (let w = 0; w <= total; w++) {
      if (w <= observed) lower += dist[w]!;
      if (w >= observed) upper += dist[w]!;
    }
    return { name: 'wilcoxon_signed_rank', statistic: wPlus, n, p_value: Math.min(1, 2 * Math.min(lower, upper)), method: 'exact' };
  }
  const groups = new Map<number, number>();
  for (const r of ranks) groups.set(r, (groups.get(r) ?? 0) + 1);
  let ties = 0;
  for (const t of groups.values()) ties += t ** 3 - t;
  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - ties / 48);
  if (sd === 0) return { name: 'wilcoxon_signed_rank', statistic: wPlus, n, p_value: 1, method: 'normal' };
  // W+ moves in steps of the ranks' greatest common divisor: ½ a step is the continuity correction (R's ½ when ranks
  // are whole; when every |d| ties, W+ is a rank times a binomial count and ½ would make the test anti-conservative).
  let step = 0;
  for (const r of ranks) step = gcd(step, Math.round(r * 2));
  const z = (Math.abs(wPlus - mean) - Math.max(0.5, step / 4)) / sd;
  return { name: 'wilcoxon_signed_rank', statistic: wPlus, n, p_value: Math.min(1, 2 * (1 - normalCdf(Math.max(0, z)))), method: 'normal' };
}

/**
 * P(W+ = w) over all 2^n sign patterns of the given (integer) ranks, by dynamic programming in place: adding a
 * rank r halves each probability and moves the other half r up (new[w] = old[w − r]/2 + old[w]/2, read from the
 * top down so that old[w − r] is still unchanged).
 */
function signedRankDistribution(ranks: readonly number[], total: number): Float64Array {
  const dist = new Float64Array(total + 1);
  dist[0] = 1;
  let reach = 0;
  for (const r of ranks) {
    reach = Math.min(total, reach + r);
    for (let w = reach; w >= r; w--) dist[w] = dist[w - r]! / 2 + dist[w]! / 2;
    for (let w = Math.min(r - 1, reach); w >= 0; w--) dist[w] = dist[w]! / 2;
  }
  return dist;
}

const untiedCdf = new Map<number, Float64Array>();

/**
 * P(W+ ≤ w) for n untied ranks 1..n, or undefined when the ranks tie. Power simulations and interval inversion
 * run the test thousands of times on untied data; the distribution is built once per n.
 */
function untiedDistribution(ranks: readonly number[]): Float64Array | undefined {
  const n = ranks.length;
  for (const r of ranks) if (!Number.isInteger(r)) return undefined;
  // Integer average ranks of n values are 1..n exactly when no two tie (a tie of k values at integer rank needs k odd, so check distinctness).
  const seen = new Uint8Array(n + 1);
  for (const r of ranks) {
    if (r < 1 || r > n || seen[r]) return undefined;
    seen[r] = 1;
  }
  let cdf = untiedCdf.get(n);
  if (!cdf) {
    const total = (n * (n + 1)) / 2;
    const dist = signedRankDistribution(Array.from({ length: n }, (_, i) => i + 1), total);
    cdf = new Float64Array(total + 1);
    let acc = 0;
    for (let w = 0; w <= total; w++) cdf[w] = acc += dist[w]!;
    untiedCdf.set(n, cdf);
  }
  return cdf;
}

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** Standard normal CDF, via the complementary error function (Numerical Recipes' erfc, |error| < 1.2e-7). */
export function normalCdf(z: number): number {
  const x = Math.abs(z) / Math.SQRT2;
  const t = 1 / (1 + 0.5 * x);
  const erfc = t * Math.exp(-x * x - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
  return z >= 0 ? 1 - erfc / 2 : erfc / 2;
}

/**
 * Holm's step-down adjustment (Holm 1979): sort p ascending, adjusted p_(i) = max_{j ≤ i} min(1, (m − j + 1) p_(j)).
 * Controls the family-wise error rate across the criteria compared. Returns adjusted values in input order.
 */
export function holm(pValues: readonly number[]): number[] {
  const m = pValues.length;
  const order = pValues.map((p, i) => [p, i] as const).sort((a, b) => a[0] - b[0]);
  const adjusted = new Array<number>(m);
  let running = 0;
  order.forEach(([p, i], rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
