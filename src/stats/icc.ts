import { estimate, undefinedBecause, type Estimate, type RatingTable } from './types.js';

export type IccForm = 'ICC1' | 'ICC2' | 'ICC3' | 'ICC1k' | 'ICC2k' | 'ICC3k';
export const ICC_FORMS: readonly IccForm[] = ['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k'];

/**
 * Intraclass correlations after Shrout & Fleiss (1979), from a two-way ANOVA of n targets × k raters:
 *   ICC1  = ICC(1,1): one-way random, single rater     (MSR − MSW)/(MSR + (k−1)MSW)
 *   ICC2  = ICC(2,1): two-way random, absolute, single (MSR − MSE)/(MSR + (k−1)MSE + k(MSC − MSE)/n)
 *   ICC3  = ICC(3,1): two-way mixed, consistency, single (MSR − MSE)/(MSR + (k−1)MSE)
 *   ICC1k, ICC2k, ICC3k: the same for the mean of k raters: (MSR − MSW)/MSR,
 *   (MSR − MSE)/(MSR + (MSC − MSE)/n), (MSR − MSE)/MSR.
 * Names follow the psych package (ICC1 … ICC3k). The ANOVA needs a complete table: targets with a missing
 * rating are dropped (listwise). Undefined with fewer than two complete targets or two raters, or when a
 * denominator is zero (no variance).
 */
export function icc(table: RatingTable, form: IccForm): Estimate {
  const rows = table.filter((r) => r.every((v) => typeof v === 'number')) as number[][];
  const n = rows.length;
  const k = rows[0]?.length ?? 0;
  if (n < 2) return undefinedBecause('fewer than two targets rated by every rater');
  if (k < 2) return undefinedBecause('fewer than two raters');
  const grand = rows.flat().reduce((a, b) => a + b, 0) / (n * k);
  const rowMeans = rows.map((r) => r.reduce((a, b) => a + b, 0) / k);
  const colMeans = Array.from({ length: k }, (_, j) => rows.reduce((a, r) => a + r[j]!, 0) / n);
  const ssTotal = rows.flat().reduce((a, x) => a + (x - grand) ** 2, 0);
  const ssRows = k * rowMeans.reduce((a, m) => a + (m - grand) ** 2, 0);
  const ssCols = n * colMeans.reduce((a, m) => a + (m - grand) ** 2, 0);
  const ssError = ssTotal - ssRows - ssCols;
  const msr = ssRows / (n - 1);
  const msc = ssCols / (k - 1);
  const mse = ssError / ((n - 1) * (k - 1));
  const msw = (ssCols + ssError) / (n * (k - 1));
  const ratio = (num: number, den: number) => (den === 0 ? undefinedBecause('zero variance: the ICC is undefined') : estimate(num / den, 'ICC is not finite'));
  switch (form) {
    case 'ICC1': return ratio(msr - msw, msr + (k - 1) * msw);
    case 'ICC2': return ratio(msr - mse, msr + (k - 1) * mse + (k * (msc - mse)) / n);
    case 'ICC3': return ratio(msr - mse, msr + (k - 1) * mse);
    case 'ICC1k': return ratio(msr - msw, msr);
    case 'ICC2k': return ratio(msr - mse, msr + (msc - mse) / n);
    case 'ICC3k': return ratio(msr - mse, msr);
  }
}
