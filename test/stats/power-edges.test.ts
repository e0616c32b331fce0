import { describe, expect, it } from 'vitest';
import { wilcoxonSignedRank } from '../../src/stats/paired.js';
import { itemsNeeded, minimalDetectableEffect, normalNoise, resampledDifferences, simulatedPower, type NoiseModel } from '../../src/stats/power.js';
import { seededRng } from '../../src/stats/rng.js';

// Each test here pins a behaviour a planted bug got past (session-10 mutation run over src/stats/power.ts).
const fixed = (study: readonly number[]): NoiseModel => () => Float64Array.from(study);
const zero: NoiseModel = (_rng, n) => new Float64Array(n);

describe('simulatedPower', () => {
  it('is the share of studies the signed-rank test rejects in the direction of the shift, recomputed here', () => {
    const noise = resampledDifferences([-1, -0.5, 0, 0, 0.5, 1, 1.5, -2], 0);
    const options = { alpha: 0.05, simulations: 150, seed: 9 };
    const rng = seededRng(9);
    let rejected = 0;
    for (let s = 0; s < 150; s++) {
      const study = Array.from(noise(rng, 12), (d) => d - 0.6);
      const test = wilcoxonSignedRank(study);
      if (test.p_value < 0.05 && test.statistic < (test.n * (test.n + 1)) / 4) rejected++;
    }
    expect(simulatedPower(noise, 12, -0.6, options)).toBe(rejected / 150);
  });

  it('rejects below alpha only: an exact p of 1/16 is not below 1/16', () => {
    // Five untied drops: exact two-sided p = 2/32.
    const study = fixed([-0.5, -1.5, -2.5, -3.5, -4.5]);
    expect(wilcoxonSignedRank([-1, -2, -3, -4, -5]).p_value).toBe(0.0625);
    expect(simulatedPower(study, 5, -0.5, { alpha: 0.0625, simulations: 10 })).toBe(0);
    expect(simulatedPower(study, 5, -0.5, { alpha: 0.0626, simulations: 10 })).toBe(1);
  });

  it('counts a rejection by the ranks, not by the sum: many small rises and one large drop are a rise', () => {
    // After the shift: 19 items up by 1, one down by 100. The ranks say "up" (significantly); the sum says "down".
    const study = fixed([-99.5, ...Array<number>(19).fill(1.5)]);
    expect(simulatedPower(study, 20, -0.5, { alpha: 0.05, simulations: 10 })).toBe(0);
    const test = wilcoxonSignedRank([-100, ...Array<number>(19).fill(1)]);
    expect(test.p_value).toBeLessThan(0.05);
  });
});

describe('minimalDetectableEffect', () => {
  it('no item, one item', () => {
    expect(minimalDetectableEffect(zero, 0, 4, { alpha: 0.05 })).toEqual({ effect: null, reason: 'no paired item' });
    expect(minimalDetectableEffect(zero, 1, 4, { alpha: 0.05, simulations: 20 })).toEqual({ effect: null, reason: '1 item cannot detect even a drop of 4 with 80% power at α = 0.05' });
    expect(minimalDetectableEffect(zero, 3, 4, { alpha: 0.05, simulations: 20 })).toEqual({ effect: null, reason: '3 items cannot detect even a drop of 4 with 80% power at α = 0.05' });
  });

  it('power wanted exactly reached at the largest drop still gives an effect', () => {
    // No noise and six items: every drop is detected (p = 2/64), so power is 1 = the power asked for.
    const found = minimalDetectableEffect(zero, 6, 4, { alpha: 0.05, power: 1, simulations: 20 });
    expect(found.effect).not.toBeNull();
    expect(found.effect!).toBeLessThan(0.01);
  });
});

describe('itemsNeeded', () => {
  it('the fewest items: without noise, six (2^−5 < 0.05 ≤ 2^−4), found by doubling then bisection', () => {
    expect(itemsNeeded(zero, 1, 100, { alpha: 0.05, power: 1, simulations: 10 })).toEqual({ items: 6, power: 1 });
    expect(itemsNeeded(zero, 1, 100, { alpha: 0.02, power: 1, simulations: 10 })).toEqual({ items: 7, power: 1 });
    expect(itemsNeeded(zero, 1, 5, { alpha: 0.05, power: 1, simulations: 10 })).toEqual({ items: null, reason: 'more than 5 items: a drop of 1 is below what the noise lets the test see' });
  });
});

describe('noise models draw exactly n values from the generator', () => {
  it('resampled differences: centred draws, one random integer each', () => {
    const noise = resampledDifferences([1, 2, 6], 3);
    const rng = seededRng(4);
    const first = Array.from(noise(rng, 5));
    const second = Array.from(noise(rng, 5));
    const direct = seededRng(4);
    const expected = Array.from({ length: 10 }, () => [-2, -1, 3][direct.int(3)]!);
    expect([...first, ...second]).toEqual(expected);
  });

  it('normal noise: Box–Muller from two uniforms per value', () => {
    const rng = seededRng(8);
    const drawn = [...normalNoise(2)(rng, 3), ...normalNoise(2)(rng, 3)];
    const direct = seededRng(8);
    const expected = Array.from({ length: 6 }, () => {
      const u = 1 - direct.next();
      return 2 * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * direct.next());
    });
    expect(drawn).toEqual(expected);
  });
});
