import { describe, expect, it } from 'vitest';
import { bootstrapInterval, quantile, seededBootstrapInterval } from '../../src/stats/bootstrap.js';
import { percentAgreement } from '../../src/stats/percent.js';
import { seededRng } from '../../src/stats/rng.js';
import type { Estimate } from '../../src/stats/types.js';

const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8];
const mean = (sel: Int32Array): Estimate => ({ value: Array.from(sel, (i) => values[i]!).reduce((a, b) => a + b, 0) / sel.length });

describe('quantile (type 7)', () => {
  it('interpolates linearly between order statistics, as R’s default does', () => {
    expect(quantile([1, 2, 3, 4], 0.25)).toBe(1.75);
    expect(quantile([1, 2, 3, 4], 0.5)).toBe(2.5);
    expect(quantile([10, 20, 40], 0.75)).toBe(30);
    expect(quantile([1, 2, 3, 4], 0)).toBe(1);
    expect(quantile([1, 2, 3, 4], 1)).toBe(4);
    expect(quantile([7], 0.3)).toBe(7);
  });
});

describe('the kept draws of seededBootstrapInterval', () => {
  it('are drawn again when the seed, the number of units or the resamples change', () => {
    const direct = (units: number, seed: number, resamples: number) => bootstrapInterval(units, mean, seededRng(seed), { resamples });
    // One after the other, as a report computes criteria: each call must match drawing afresh with its own seed.
    for (const [units, seed, resamples] of [[12, 1, 200], [12, 2, 200], [12, 2, 300], [11, 2, 300], [12, 1, 200]] as const) {
      expect([units, seed, resamples, seededBootstrapInterval(units, mean, seed, { resamples })]).toEqual([units, seed, resamples, direct(units, seed, resamples)]);
    }
    expect(seededBootstrapInterval(12, mean, 1, { resamples: 200 })).not.toEqual(seededBootstrapInterval(12, mean, 2, { resamples: 200 }));
    // The default is 1,000 resamples.
    expect(seededBootstrapInterval(12, mean, 4)).toEqual(direct(12, 4, 1000));
  });

  it('a bootstrap too large to keep draws as it goes, with the same result', () => {
    const many = Array.from({ length: 5000 }, (_, i) => (i * 7919) % 13);
    const m = (sel: Int32Array): Estimate => ({ value: Array.from(sel, (i) => many[i]!).reduce((a, b) => a + b, 0) / sel.length });
    // 5,000 units × 1,000 resamples is past the 4,194,304 draws kept.
    expect(seededBootstrapInterval(5000, m, 9, { resamples: 1000 })).toEqual(bootstrapInterval(5000, m, seededRng(9), { resamples: 1000 }));
  });
});

describe('percentile intervals', () => {
  it('fewer than two units: no interval, saying why', () => {
    expect(bootstrapInterval(1, mean, seededRng(1))).toEqual({ low: null, high: null, reason: 'fewer than two units to resample' });
  });

  it('undefined in more than a tenth of resamples: no interval, with the count; exactly a tenth is still an interval', () => {
    let call = 0;
    const every = (k: number) => (): Estimate => (call++ % k === 0 ? { value: null, reason: 'x' } : { value: call });
    call = 0;
    expect(bootstrapInterval(5, every(10), seededRng(1), { resamples: 100 }).low).not.toBeNull();
    call = 0;
    expect(bootstrapInterval(5, every(9), seededRng(1), { resamples: 100 })).toEqual({ low: null, high: null, reason: 'the statistic is undefined in 12 of 100 resamples' });
  });

  it('the level chooses the quantiles', () => {
    let k = 0;
    const counter = (): Estimate => ({ value: k++ });
    const wide = bootstrapInterval(5, counter, seededRng(1), { resamples: 101, level: 0.9 });
    // Values 0 … 100: the 5th and 95th percentiles (100 × 0.05 in floating point is a hair under 5).
    expect(wide).toMatchObject({ level: 0.9, resamples: 101 });
    expect(wide.low).toBeCloseTo(5, 12);
    expect(wide.high).toBeCloseTo(95, 12);
  });
});

describe('percent agreement', () => {
  it('says why it is undefined', () => {
    expect(percentAgreement([[1, null], [null, 2]])).toEqual({ value: null, reason: 'no item has two or more ratings' });
    expect(percentAgreement([[1, 2, 4]], 1)).toEqual({ value: 1 / 3 });
  });
});
