import { describe, expect, it } from 'vitest';
import { holm, normalCdf, wilcoxonSignedRank } from '../../src/stats/paired.js';

describe('Wilcoxon signed-rank test', () => {
  it('gives the exact two-sided p for a small sample without ties', () => {
    // d = 1, 2, 3, 4, 5 all positive: W+ = 15, the maximum; P(W+ = 15) = 1/32, two-sided p = 2/32.
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5])).toMatchObject({ statistic: 15, n: 5, p_value: 2 / 32, method: 'exact' });
    // d = −1, 2, 3, 4, 5: W+ = 14; P(W+ ≥ 14) = P(W+ = 14) + P(W+ = 15) = 2/32; two-sided 4/32.
    expect(wilcoxonSignedRank([-1, 2, 3, 4, 5]).p_value).toBeCloseTo(4 / 32, 12);
  });

  it('reproduces a textbook example (Hollander & Wolfe): 9 paired differences, W+ = 5, exact p ≈ 0.039', () => {
    // Hamilton depression scale, before − after, Hollander & Wolfe (1999, ex. 3.1): T+ = 5 on n = 9 (the
    // after-minus-before differences below), one-sided P = .0195, two-sided .039.
    const before = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const after = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    const result = wilcoxonSignedRank(after.map((a, i) => a - before[i]!));
    expect(result.statistic).toBe(5);
    expect(result.p_value).toBeCloseTo(0.0390625, 6);
  });

  it('drops zero differences and handles ties exactly', () => {
    // Non-zero d = 1, 1, 2: ranks 1.5, 1.5, 3; all positive → W+ = 6 = max; P = 1/8 one-sided → p = 0.25.
    expect(wilcoxonSignedRank([0, 1, 1, 2, 0])).toMatchObject({ n: 3, statistic: 6, p_value: 0.25 });
    expect(wilcoxonSignedRank([0, 0])).toMatchObject({ n: 0, p_value: 1, reason: 'no item changed' });
  });

  it('ties differences that are equal up to float noise, and counts a rounding residue as no change', () => {
    // Panel means of three judges: 14/3 − 11/3 and 11/3 − 8/3 are both 1, but not in binary.
    const up = 14 / 3 - 11 / 3;
    const down = 8 / 3 - 11 / 3;
    expect(up).not.toBe(-down);
    // 25 rises and 35 falls, all of size 1: with every |d| tied the test is a sign test, P(X ≤ 25 | n 60, ½) × 2.
    const differences = [...Array.from({ length: 25 }, () => up), ...Array.from({ length: 35 }, () => down)];
    let tail = 0;
    let choose = 1;
    for (let k = 0; k <= 25; k++) {
      tail += choose / 2 ** 60;
      choose = (choose * (60 - k)) / (k + 1);
    }
    const result = wilcoxonSignedRank(differences);
    expect(result.statistic).toBe(25 * 30.5);
    expect(result.p_value).toBeCloseTo(2 * tail, 10);
    expect(wilcoxonSignedRank([1e-13, -2e-12, 1, 1]).n).toBe(2);
  });

  it('uses a normal approximation close to the exact test for large n', () => {
    const d = Array.from({ length: 80 }, (_, i) => ((i * 37) % 11) - 4.5);
    const normal = wilcoxonSignedRank(d);
    expect(normal.method).toBe('normal');
    const exact = wilcoxonSignedRank(d.slice(0, 60));
    expect(exact.method).toBe('exact');
    expect(normal.p_value).toBeGreaterThan(0);
    expect(normal.p_value).toBeLessThanOrEqual(1);
  });

  // Marsaglia's series for Φ, accurate to double precision: independent of jury's erfc.
  const phi = (z: number) => {
    let term = z;
    let sum = z;
    for (let k = 1; k < 200; k++) sum += term *= (z * z) / (2 * k + 1);
    return 0.5 + sum * Math.exp(-0.5 * z * z - 0.5 * Math.log(2 * Math.PI));
  };

  it('normal approximation without ties: R’s formula, continuity correction ½', () => {
    // d = ±1 … ±70 with a fixed sign pattern: every rank distinct, W+ moves in steps of 1.
    const d = Array.from({ length: 70 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
    const w = d.reduce((s, x) => s + (x > 0 ? Math.abs(x) : 0), 0);
    const sd = Math.sqrt((70 * 71 * 141) / 24);
    const result = wilcoxonSignedRank(d);
    expect(result).toMatchObject({ method: 'normal', n: 70, statistic: w });
    expect(result.p_value).toBeCloseTo(2 * (1 - phi((Math.abs(w - (70 * 71) / 4) - 0.5) / sd)), 6);
  });

  it('with every |d| tied, the normal approximation is the sign test’s (half a rank as correction), near the exact test', () => {
    // 30 rises and 50 falls, all of size 1 (n = 80). Every |d| ties at rank 40.5: W+ = 30 × 40.5 = 1215,
    // E = 80·81/4 = 1620, Var = 80·81·161/24 − (80³ − 80)/48 = 32805. W+ moves in steps of 40.5, so the correction
    // is 20.25: z = 384.75 / √32805 = 9.5 / √20, the sign test's (|30 − 40| − ½) / √(80/4).
    const many = [...Array.from({ length: 30 }, () => 1), ...Array.from({ length: 50 }, () => -1)];
    const result = wilcoxonSignedRank(many);
    expect(result).toMatchObject({ method: 'normal', n: 80, statistic: 1215 });
    expect(result.p_value).toBeCloseTo(2 * (1 - phi(9.5 / Math.sqrt(20))), 6);
    // The exact binomial tail, 2·P(X ≤ 30 | 80, ½), is 0.0345: the approximation is within 0.001 of it.
    let tail = 0;
    let choose = 1;
    for (let k = 0; k <= 30; k++) {
      tail += choose / 2 ** 80;
      choose = (choose * (80 - k)) / (k + 1);
    }
    expect(Math.abs(result.p_value - 2 * tail)).toBeLessThan(0.001);
    // Where both apply (n = 60, all tied), the approximation lands within half a percentage point of the exact test.
    const sixty = [...Array.from({ length: 22 }, () => 1), ...Array.from({ length: 38 }, () => -1)];
    const exact = wilcoxonSignedRank(sixty);
    expect(exact.method).toBe('exact');
    const approx = 2 * (1 - phi((Math.abs(22 - 30) - 0.5) / Math.sqrt(15)));
    expect(Math.abs(exact.p_value - approx)).toBeLessThan(0.005);
  });

  it('normalCdf matches known quantiles', () => {
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
  });
});

describe('Holm adjustment', () => {
  it('steps down and keeps order: p = .01, .04, .03 over 3 tests → .03, .06, .06', () => {
    // sorted .01 ×3 = .03; .03 ×2 = .06; .04 ×1 = .04 → max(.06, .04) = .06.
    const adjusted = holm([0.01, 0.04, 0.03]);
    expect(adjusted[0]).toBeCloseTo(0.03, 12);
    expect(adjusted[1]).toBeCloseTo(0.06, 12);
    expect(adjusted[2]).toBeCloseTo(0.06, 12);
  });
});
