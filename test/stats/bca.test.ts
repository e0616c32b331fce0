import { describe, expect, it } from 'vitest';
import { acceleration, bcaFromReplicates, normalQuantile } from '../../src/stats/bca.js';
import { bootstrapInterval, JACKKNIFE_LIMIT } from '../../src/stats/bootstrap.js';
import { normalCdf } from '../../src/stats/paired.js';
import { quantile } from '../../src/stats/quantile.js';
import { seededRng } from '../../src/stats/rng.js';

describe('BCa parts', () => {
  it('the normal quantile: Φ⁻¹(0.975) = 1.959964, Φ⁻¹(0.5) = 0, Φ⁻¹(0.05) = −1.644854; the ends are infinite', () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 6);
    expect(normalQuantile(0.5)).toBeCloseTo(0, 6);
    expect(normalQuantile(0.05)).toBeCloseTo(-1.6448536269514729, 6);
    expect(normalQuantile(0)).toBe(-Infinity);
    expect(normalQuantile(1)).toBe(Infinity);
  });

  it('the acceleration from jackknife values, by hand: [1, 2, 3, 10] → −180 / (6 · 50^1.5)', () => {
    // Mean 4; deviations θ̄ − θᵢ = 3, 2, 1, −6: squares 50, cubes −180.
    expect(acceleration([1, 2, 3, 10])).toBeCloseTo(-180 / (6 * 50 ** 1.5), 14);
    expect(acceleration([2, 2, 2])).toBe(0);
    expect(acceleration([1, 2, 3])).toBe(0);
  });

  it('no bias and no acceleration: the percentile interval', () => {
    const sorted = Array.from({ length: 101 }, (_, i) => i);
    const r = bcaFromReplicates(sorted, 50, [1, 2, 3], 0.95);
    expect(r.low).toBeCloseTo(quantile(sorted, 0.025), 6);
    expect(r.high).toBeCloseTo(quantile(sorted, 0.975), 6);
  });

  it('replicates mostly below the estimate move the interval up (bias correction), with z₀ = Φ⁻¹(share below)', () => {
    const sorted = Array.from({ length: 100 }, (_, i) => i);
    const r = bcaFromReplicates(sorted, 69.5, [1, 2, 3], 0.9);
    if (r.low === null) throw new Error('undefined');
    expect(r.parts.z0).toBeCloseTo(normalQuantile(0.7), 9);
    // No acceleration: α₁ = Φ(2ẑ₀ + z_{0.05}).
    expect(r.parts.quantiles[0]).toBeCloseTo(normalCdf(2 * normalQuantile(0.7) + normalQuantile(0.05)), 9);
    expect(r.low).toBeGreaterThan(quantile(sorted, 0.05));
  });

  it('every replicate on one side of the estimate: undefined, with the reason', () => {
    expect(bcaFromReplicates([1, 2, 3], 5, [1, 2], 0.95)).toEqual({ low: null, high: null, reason: 'every resample falls on one side of the estimate: BCa is undefined' });
  });
});

describe('the published worked example: Efron & Tibshirani (1993) §14.3, the spatial test data', () => {
  // 26 children's scores on test A (Table 14.1); θ̂ = the plug-in variance, 171.5. The book: â = 0.061, and
  // 90% intervals standard (98.8, 244.2), percentile (100.8, 233.9), BCa (115.8, 259.6) from 2,000 resamples.
  const A = [48, 36, 20, 29, 42, 42, 20, 42, 22, 41, 45, 14, 6, 0, 33, 28, 34, 4, 32, 24, 47, 41, 24, 26, 30, 41];
  const variance = (sel: ArrayLike<number>) => {
    const x = Array.from(sel, (i) => A[i]!);
    const m = x.reduce((a, b) => a + b, 0) / x.length;
    return { value: x.reduce((s, y) => s + (y - m) ** 2, 0) / x.length };
  };
  it('θ̂ = 171.5 and the jackknife acceleration 0.061, as printed (no resampling involved)', () => {
    expect(variance(A.map((_, i) => i)).value).toBeCloseTo(171.534, 3);
    const jackknife = A.map((_, i) => variance(A.map((_, j) => j).filter((j) => j !== i)).value);
    expect(acceleration(jackknife)).toBeCloseTo(0.061, 3);
  });
  it('the BCa interval is the book\'s (115.8, 259.6) within Monte Carlo error (20,000 resamples, three seeds), well right of the percentile one', () => {
    for (const seed of [1, 2, 3]) {
      const bca = bootstrapInterval(26, variance, seededRng(seed), { resamples: 20000, level: 0.9, method: 'bca' });
      const percentile = bootstrapInterval(26, variance, seededRng(seed), { resamples: 20000, level: 0.9 });
      if (bca.low === null || percentile.low === null) throw new Error('no interval');
      expect(Math.abs(bca.low - 115.8)).toBeLessThan(4);
      expect(Math.abs(bca.high - 259.6)).toBeLessThan(4);
      expect(bca.low - percentile.low).toBeGreaterThan(10);
    }
  });
});

describe('BCa against the percentile interval where it matters: 20 units of a skewed variable', () => {
  it('covers the true mean of an exponential more often than the percentile interval (which under-covers)', () => {
    const rng = seededRng(2);
    let bca = 0;
    let percentile = 0;
    const trials = 600;
    for (let t = 0; t < trials; t++) {
      const x = Array.from({ length: 20 }, () => -Math.log(1 - rng.next()));
      const mean = (sel: ArrayLike<number>) => ({ value: Array.from(sel).reduce((s, i) => s + x[i]!, 0) / sel.length });
      const b = bootstrapInterval(20, mean, seededRng(100 + t), { resamples: 400, method: 'bca' });
      const p = bootstrapInterval(20, mean, seededRng(100 + t), { resamples: 400 });
      if (b.low !== null && b.low <= 1 && 1 <= b.high) bca++;
      if (p.low !== null && p.low <= 1 && 1 <= p.high) percentile++;
      if (t === 0) expect([b.low !== null && b.method, p.low !== null && p.method]).toEqual(['bca', 'percentile']);
    }
    expect(percentile / trials).toBeLessThan(0.93);
    expect(bca).toBeGreaterThan(percentile);
  });

  it('without a jackknife and above the limit the percentile interval is given, and says so', () => {
    const n = JACKKNIFE_LIMIT + 1;
    const i = bootstrapInterval(n, (sel) => ({ value: sel[0]! }), seededRng(1), { resamples: 20, method: 'bca' });
    expect(i.low !== null && i.method).toBe('percentile');
  });
});

describe('BCa where it is not defined', () => {
  it('every replicate above the estimate (share 0) is undefined too', () => {
    expect(bcaFromReplicates([6, 7, 8], 5, [1, 2], 0.95)).toMatchObject({ low: null, reason: 'every resample falls on one side of the estimate: BCa is undefined' });
  });

  it('an acceleration too large to adjust by is refused, not bent (one wild jackknife value, an extreme bias)', () => {
    // One outlier among fifty jackknife values: â ≈ 0.16, near its ceiling of about 1/6. Only with ẑ₀ above 4.5
    // (all but one of 400,000 replicates below the estimate) does 1 − â(ẑ₀ + z) reach zero.
    const jackknife = [...Array<number>(49).fill(0), -1];
    expect(acceleration(jackknife)).toBeCloseTo(0.1616, 3);
    const sorted = Array.from({ length: 400_000 }, (_, i) => i);
    expect(bcaFromReplicates(sorted, 399_998.5, jackknife, 0.95)).toMatchObject({ low: null, reason: 'the acceleration is too large for a BCa interval' });
    // The same extreme bias without the acceleration still gives an interval.
    expect(bcaFromReplicates(sorted, 399_998.5, [0, 0], 0.95).low).not.toBeNull();
  });
});
