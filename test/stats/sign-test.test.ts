import { describe, expect, it } from 'vitest';
import { signTest } from '../../src/stats/sign-test.js';

describe('signTest', () => {
  it('matches the binomial sums by hand and R\'s binom.test', () => {
    // 2 of 10: 2 × (1 + 10 + 45) / 1024.
    expect(signTest(2, 8).p).toBeCloseTo((2 * 56) / 1024, 15);
    expect(signTest(2, 8)).toMatchObject({ decisive: 10 });
    expect(signTest(8, 2).p).toBeCloseTo(0.109375, 15);
    // binom.test(7, 20): 0.2631760 (two-sided, p = 0.5).
    expect(signTest(7, 13).p).toBeCloseTo(0.263176, 6);
    // binom.test(0, 5): 2/32.
    expect(signTest(0, 5).p).toBeCloseTo(0.0625, 15);
  });

  it('is 1 when wins equal losses, and never above 1', () => {
    expect(signTest(5, 5).p).toBe(1);
    expect(signTest(1, 0).p).toBe(1);
    expect(signTest(3, 4).p).toBe(1);
  });

  it('stays exact for large counts (log-space sum), against a normal approximation', () => {
    const { p } = signTest(4800, 5200) as { p: number };
    // z = (4800 − 5000) / 50 = −4 (continuity-corrected −3.99): two-sided ≈ 6.6e-5.
    expect(p).toBeGreaterThan(5.5e-5);
    expect(p).toBeLessThan(7.5e-5);
    // 2 · 2^−1000, near the smallest double; beyond it the p-value underflows to 0.
    expect(signTest(0, 1000).p! / 2 ** -999).toBeCloseTo(1, 10);
    expect(signTest(0, 2000).p).toBe(0);
  });

  it('has no p without a decisive battle', () => {
    expect(signTest(0, 0)).toEqual({ p: null, reason: 'no decisive battle (every one a tie)' });
  });
});
