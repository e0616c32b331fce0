/**
 * The exact two-sided sign test (a binomial test of wins against losses at p = ½; ties left out, as Dixon & Mood
 * 1946 and R's binom.test on the decisive outcomes do): p = min(1, 2 · P(X ≤ min(wins, losses))), X ~ Bin(n, ½).
 * Summed in log space, so ten thousand battles are as exact as ten.
 */
export function signTest(wins: number, losses: number): { p: number; decisive: number } | { p: null; reason: string } {
  const n = wins + losses;
  if (n === 0) return { p: null, reason: 'no decisive battle (every one a tie)' };
  const m = Math.min(wins, losses);
  // log C(n, k) / 2^n for k = 0..m, rising with k (m ≤ n/2), so the last term is the largest.
  const terms: number[] = [];
  let log = -n * Math.LN2;
  for (let k = 0; k <= m; k++) {
    terms.push(log);
    log += Math.log(n - k) - Math.log(k + 1);
  }
  const top = terms[terms.length - 1]!;
  let sum = 0;
  for (const t of terms) sum += Math.exp(t - top);
  return { p: Math.min(1, 2 * Math.exp(top + Math.log(sum))), decisive: n };
}
