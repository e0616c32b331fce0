import { estimate, undefinedBecause, type Estimate, type RatingTable } from './types.js';

/** Items both raters scored, as numbers. */
function paired(a: readonly unknown[], b: readonly unknown[]): [number[], number[]] {
  const x: number[] = [];
  const y: number[] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    if (typeof a[i] === 'number' && typeof b[i] === 'number') {
      x.push(a[i] as number);
      y.push(b[i] as number);
    }
  }
  return [x, y];
}

/** Pearson's r on items both raters scored. Undefined with fewer than three pairs or zero variance. */
export function pearson(a: readonly unknown[], b: readonly unknown[]): Estimate {
  const [x, y] = paired(a, b);
  return pearsonOf(x, y);
}

function pearsonOf(x: number[], y: number[]): Estimate {
  const n = x.length;
  if (n < 3) return undefinedBecause('fewer than three items rated by both raters');
  const mx = x.reduce((s, v) => s + v, 0) / n;
  const my = y.reduce((s, v) => s + v, 0) / n;
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    sxy += (x[i]! - mx) * (y[i]! - my);
    sxx += (x[i]! - mx) ** 2;
    syy += (y[i]! - my) ** 2;
  }
  if (sxx === 0 || syy === 0) return undefinedBecause('a rater gave every item the same score: zero variance');
  return estimate(sxy / Math.sqrt(sxx * syy), 'correlation is not finite');
}

/** Ranks from 1, ties sharing the average of the ranks they span. */
export function averageRanks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const ranks = new Array<number>(values.length);
  for (let start = 0; start < order.length; ) {
    let end = start;
    while (end + 1 < order.length && order[end + 1]![0] === order[start]![0]) end++;
    const rank = (start + end) / 2 + 1;
    for (let i = start; i <= end; i++) ranks[order[i]![1]] = rank;
    start = end + 1;
  }
  return ranks;
}

/** Spearman's rho: Pearson's r of average ranks (the tie-correct form, not 1 − 6Σd²/(n(n²−1))). */
export function spearman(a: readonly unknown[], b: readonly unknown[]): Estimate {
  const [x, y] = paired(a, b);
  return pearsonOf(averageRanks(x), averageRanks(y));
}

/**
 * Kendall's tau-b (Kendall 1945): (n_c − n_d) / √((n_0 − n_1)(n_0 − n_2)), n_0 = n(n−1)/2, n_1 and n_2 the
 * pairs tied in x and in y. Ties in both count in neither. O(n²). Undefined when a rater is constant.
 */
export function kendallTauB(a: readonly unknown[], b: readonly unknown[]): Estimate {
  const [x, y] = paired(a, b);
  const n = x.length;
  if (n < 3) return undefinedBecause('fewer than three items rated by both raters');
  let concordant = 0;
  let discordant = 0;
  let tiesX = 0;
  let tiesY = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const dx = Math.sign(x[i]! - x[j]!);
      const dy = Math.sign(y[i]! - y[j]!);
      if (dx === 0) tiesX++;
      if (dy === 0) tiesY++;
      if (dx !== 0 && dy !== 0) {
        if (dx === dy) concordant++;
        else discordant++;
      }
    }
  }
  const n0 = (n * (n - 1)) / 2;
  const den = Math.sqrt((n0 - tiesX) * (n0 - tiesY));
  if (den === 0) return undefinedBecause('a rater gave every item the same score');
  return estimate((concordant - discordant) / den, 'tau-b is not finite');
}

/**
 * Kendall's coefficient of concordance W with the tie correction (Kendall & Babington Smith 1939; Siegel &
 * Castellan 1988, 10.2): W = 12 S / (m²(n³ − n) − m Σ T_j), S = Σ_i (R_i − R̄)², R_i the rank sum of item i
 * over m raters, T_j = Σ (t³ − t) over the tie groups of rater j. Complete items only (listwise).
 */
export function kendallW(table: RatingTable): Estimate {
  const rows = table.filter((r) => r.every((v) => typeof v === 'number')) as number[][];
  const n = rows.length;
  const m = rows[0]?.length ?? 0;
  if (n < 2) return undefinedBecause('fewer than two items rated by every rater');
  if (m < 2) return undefinedBecause('fewer than two raters');
  const rankSums = new Float64Array(n);
  let tieTerm = 0;
  for (let j = 0; j < m; j++) {
    const column = rows.map((r) => r[j]!);
    const ranks = averageRanks(column);
    for (let i = 0; i < n; i++) rankSums[i]! += ranks[i]!;
    const groups = new Map<number, number>();
    for (const v of column) groups.set(v, (groups.get(v) ?? 0) + 1);
    for (const t of groups.values()) tieTerm += t ** 3 - t;
  }
  const mean = rankSums.reduce((a, b) => a + b, 0) / n;
  const s = rankSums.reduce((a, r) => a + (r - mean) ** 2, 0);
  const den = m * m * (n ** 3 - n) - m * tieTerm;
  if (den === 0) return undefinedBecause('every rater gave every item the same score');
  return estimate((12 * s) / den, 'W is not finite');
}
