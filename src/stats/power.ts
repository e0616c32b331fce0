import { wilcoxonSignedRank } from './paired.js';
import { seededRng, type Rng } from './rng.js';

/**
 * Power of the paired signed-rank test, by simulation. A study of n items is simulated as n paired differences
 * drawn from a noise model (what two runs differ by when nothing changed) plus a planted shift; the test is
 * run exactly as `jury diff` runs it, and power is the share of studies in which it rejects at `alpha` in the
 * direction of the shift. The same noise draws are used for every shift (common random numbers), so power
 * grows with the shift without simulation jitter and the minimal detectable effect is found by bisection.
 */

/** Draws n differences of a study in which nothing changed. */
export type NoiseModel = (rng: Rng, n: number) => Float64Array;

export interface PowerOptions {
  /** The level the criterion would be tested at (Holm's first step in a family of m: α / m). */
  alpha: number;
  /** Power wanted; default 0.8. */
  power?: number;
  /** Simulated studies; default 400. */
  simulations?: number;
  seed?: number;
  /** The minimal detectable effect's precision, as a share of the largest effect; default 1/1000. */
  resolution?: number;
}

/** Noise draws for one n, kept so that every shift sees the same studies. */
function draws(noise: NoiseModel, n: number, options: PowerOptions): Float64Array[] {
  const rng = seededRng(options.seed ?? 1);
  return Array.from({ length: options.simulations ?? 400 }, () => noise(rng, n));
}

/** Share of the studies in which the test rejects the shift `effect` (negative: a drop) in its direction. */
function powerOf(studies: readonly Float64Array[], effect: number, alpha: number): number {
  let rejected = 0;
  const shifted: number[] = [];
  for (const study of studies) {
    shifted.length = study.length;
    let sum = 0;
    for (let i = 0; i < study.length; i++) {
      shifted[i] = study[i]! + effect;
      sum += shifted[i]!;
    }
    const test = wilcoxonSignedRank(shifted);
    // A rejection the wrong way round is not the drop detected.
    if (test.p_value < alpha && test.n > 0 && Math.sign(test.statistic - (test.n * (test.n + 1)) / 4 || sum) === Math.sign(effect)) rejected++;
  }
  return rejected / studies.length;
}

/** Power to detect a shift of `effect` with n items. */
export function simulatedPower(noise: NoiseModel, n: number, effect: number, options: PowerOptions): number {
  return powerOf(draws(noise, n, options), effect, options.alpha);
}

export type Detectable = { effect: number; power: number } | { effect: null; reason: string };

/**
 * The smallest drop (reported as a positive size) detected with the wanted power by n items, searched up to
 * `maxEffect` (the scale's range: no drop can be larger); bisection to `resolution` (1/1000) of it.
 */
export function minimalDetectableEffect(noise: NoiseModel, n: number, maxEffect: number, options: PowerOptions): Detectable {
  const target = options.power ?? 0.8;
  if (n < 1) return { effect: null, reason: 'no paired item' };
  const studies = draws(noise, n, options);
  if (powerOf(studies, -maxEffect, options.alpha) < target) {
    return { effect: null, reason: `${n} item${n === 1 ? '' : 's'} cannot detect even a drop of ${maxEffect} with ${Math.round(target * 100)}% power at α = ${round(options.alpha)}` };
  }
  let low = 0;
  let high = maxEffect;
  while (high - low > maxEffect * (options.resolution ?? 1 / 1000)) {
    const mid = (low + high) / 2;
    if (powerOf(studies, -mid, options.alpha) >= target) high = mid;
    else low = mid;
  }
  return { effect: high, power: powerOf(studies, -high, options.alpha) };
}

export type ItemsNeeded = { items: number; power: number } | { items: null; reason: string };

/** The fewest items that detect a drop of `effect` with the wanted power, up to `maxItems`. */
export function itemsNeeded(noise: NoiseModel, effect: number, maxItems: number, options: PowerOptions): ItemsNeeded {
  const target = options.power ?? 0.8;
  const enough = (n: number) => simulatedPower(noise, n, -Math.abs(effect), options);
  let high = 4;
  while (high < maxItems && enough(high) < target) high = Math.min(maxItems, high * 2);
  const atHigh = enough(high);
  if (atHigh < target) return { items: null, reason: `more than ${maxItems} items: a drop of ${effect} is below what the noise lets the test see` };
  let low = Math.max(1, Math.floor(high / 2));
  if (high === 4) low = 1;
  // Power is not strictly monotone in n (new draws at each n): the first n found by bisection with enough.
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (enough(mid) >= target) high = mid;
    else low = mid;
  }
  return { items: high, power: enough(high) };
}

const round = (x: number) => Math.round(x * 10000) / 10000;

/** Noise model of a paired comparison: differences drawn with replacement from observed ones, centred. */
export function resampledDifferences(differences: readonly number[], centre: number): NoiseModel {
  const centred = differences.map((d) => d - centre);
  return (rng, n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = centred[rng.int(centred.length)]!;
    return out;
  };
}

/**
 * Noise model of rerunning the judges on the same transcripts, from one report: per item drawn with replacement,
 * two panels of its judges' scores drawn with replacement (as many as judged it), their means subtracted.
 */
export function judgeResampling(itemJudgeScores: readonly (readonly number[])[]): NoiseModel {
  const items = itemJudgeScores.filter((s) => s.length > 0);
  return (rng, n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      const scores = items[rng.int(items.length)]!;
      let a = 0;
      let b = 0;
      for (let k = 0; k < scores.length; k++) {
        a += scores[rng.int(scores.length)]!;
        b += scores[rng.int(scores.length)]!;
      }
      out[i] = (a - b) / scores.length;
    }
    return out;
  };
}

/** Normal noise with standard deviation sd: for checking the simulation against closed-form power. */
export function normalNoise(sd: number): NoiseModel {
  return (rng, n) => {
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      // Box–Muller; 1 − u keeps the logarithm finite.
      const u = 1 - rng.next();
      out[i] = sd * Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rng.next());
    }
    return out;
  };
}
