import { describe, expect, it } from 'vitest';
import { normalCdf } from '../../src/stats/paired.js';
import { itemsNeeded, judgeResampling, minimalDetectableEffect, normalNoise, resampledDifferences, simulatedPower } from '../../src/stats/power.js';
import { seededRng } from '../../src/stats/rng.js';

// Closed form: a paired test on normal differences (sd σ) has power Φ(δ√n/σ − z₁₋α/₂) (the t-test for n large);
// the signed-rank test is as good as the t-test on (3/π)·n items there (its asymptotic relative efficiency).
const Z975 = 1.959963984540054;
const Z80 = 0.8416212335729143;
const closedFormPower = (delta: number, n: number, sd: number) => normalCdf((delta * Math.sqrt((3 / Math.PI) * n)) / sd - Z975);

describe('signed-rank power by simulation', () => {
  it('agrees with the closed form on normal differences', () => {
    for (const [n, delta] of [[40, 0.4], [100, 0.25], [25, 0.7]] as const) {
      const simulated = simulatedPower(normalNoise(1), n, -delta, { alpha: 0.05, simulations: 2000, seed: 3 });
      expect(Math.abs(simulated - closedFormPower(delta, n, 1))).toBeLessThan(0.04);
    }
    // No shift: the test's own false-positive rate, near α (exact test: at most α).
    expect(simulatedPower(normalNoise(1), 30, 0, { alpha: 0.05, simulations: 2000, seed: 4 })).toBe(0);
  });

  it('the minimal detectable effect agrees with the closed form δ = σ(z₁₋α/₂ + z_power)/√(3n/π)', () => {
    for (const n of [30, 80]) {
      const mde = minimalDetectableEffect(normalNoise(1), n, 4, { alpha: 0.05, simulations: 2000, seed: 5 });
      const expected = (Z975 + Z80) / Math.sqrt((3 / Math.PI) * n);
      expect(mde.effect).not.toBeNull();
      expect(Math.abs(mde.effect! - expected) / expected).toBeLessThan(0.08);
      if (mde.effect !== null) expect(mde.power).toBeGreaterThanOrEqual(0.8);
    }
  });

  it('a smaller alpha (a larger Holm family) needs a larger effect; more items need a smaller one', () => {
    const at = (n: number, alpha: number) => minimalDetectableEffect(normalNoise(1), n, 4, { alpha, simulations: 500, seed: 6 }).effect!;
    expect(at(30, 0.05 / 4)).toBeGreaterThan(at(30, 0.05));
    expect(at(120, 0.05)).toBeLessThan(at(30, 0.05));
  });

  it('items needed for an effect agrees with the closed form n = (3/π)⁻¹((z₁₋α/₂ + z_power)σ/δ)²', () => {
    const needed = itemsNeeded(normalNoise(1), 0.5, 10000, { alpha: 0.05, simulations: 1500, seed: 7 });
    const expected = ((Z975 + Z80) / 0.5) ** 2 / (3 / Math.PI);
    expect(needed.items).not.toBeNull();
    expect(Math.abs(needed.items! - expected) / expected).toBeLessThan(0.15);
    expect(itemsNeeded(normalNoise(1), 0.001, 200, { alpha: 0.05, simulations: 50, seed: 1 })).toEqual({ items: null, reason: 'more than 200 items: a drop of 0.001 is below what the noise lets the test see' });
  });

  it('too few items to reach the power at any drop on the scale: says so', () => {
    expect(minimalDetectableEffect(normalNoise(1), 3, 4, { alpha: 0.05, simulations: 100 })).toEqual({ effect: null, reason: '3 items cannot detect even a drop of 4 with 80% power at α = 0.05' });
    expect(minimalDetectableEffect(normalNoise(1), 0, 4, { alpha: 0.05 }).effect).toBeNull();
  });

  it('the same seed gives the same answer; another seed a close one', () => {
    const a = minimalDetectableEffect(normalNoise(1), 40, 4, { alpha: 0.05, simulations: 300, seed: 9 });
    expect(minimalDetectableEffect(normalNoise(1), 40, 4, { alpha: 0.05, simulations: 300, seed: 9 })).toEqual(a);
    const b = minimalDetectableEffect(normalNoise(1), 40, 4, { alpha: 0.05, simulations: 300, seed: 10 });
    expect(b.effect).not.toBe(a.effect);
    expect(Math.abs(b.effect! - a.effect!)).toBeLessThan(0.1);
  });
});

describe('noise models', () => {
  it('resampled differences are the observed ones, centred', () => {
    const noise = resampledDifferences([1, 2, 4], 2);
    const drawn = noise(seededRng(1), 300);
    expect(new Set(drawn)).toEqual(new Set([-1, 0, 2]));
  });

  it('judge resampling: items whose judges agree add no noise; disagreeing judges do, symmetric around 0', () => {
    expect([...judgeResampling([[3, 3, 3], [5, 5]])(seededRng(1), 50)].every((x) => x === 0)).toBe(true);
    const drawn = judgeResampling([[1, 5]])(seededRng(2), 4000);
    // Two draws of two scores each from {1, 5}: the panel means are 1, 3 or 5; differences in steps of 2.
    expect(new Set(drawn)).toEqual(new Set([-4, -2, 0, 2, 4]));
    const mean = drawn.reduce((s, x) => s + x, 0) / drawn.length;
    expect(Math.abs(mean)).toBeLessThan(0.15);
    // Var of a two-score panel mean of {1, 5}: 4 / 2 = 2; of the difference of two: 4.
    const variance = drawn.reduce((s, x) => s + (x - mean) ** 2, 0) / drawn.length;
    expect(Math.abs(variance - 4)).toBeLessThan(0.3);
    // Items without a score are left out.
    expect([...judgeResampling([[], [2, 2]])(seededRng(3), 10)]).toEqual(Array(10).fill(0));
  });
});
