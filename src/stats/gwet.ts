import { categories, estimate, present, undefinedBecause, type Estimate, type RatingTable, type Value } from './types.js';

/**
 * Gwet's AC1 and AC2 for any number of raters with missing ratings (Gwet 2014, Handbook of Inter-Rater
 * Reliability, 4th ed., ch. 2 and 3):
 *   p_a = mean over units with r_i ≥ 2 of Σ_k r_ik (r*_ik − 1) / (r_i (r_i − 1)),  r*_ik = Σ_l w_kl r_il
 *   π_k = mean over units with r_i ≥ 1 of r_ik / r_i
 *   p_e = T_w / (q (q − 1)) · Σ_k π_k (1 − π_k),  T_w = Σ_kl w_kl
 *   AC = (p_a − p_e) / (1 − p_e)
 * AC1 uses identity weights (T_w = q, so p_e = Σ π_k(1 − π_k)/(q − 1)). AC2 uses quadratic weights
 * w_kl = 1 − ((x_k − x_l)/(x_max − x_min))² by default, or linear ones. The categories q are those given
 * (a scale's points) or else those observed. Undefined with fewer than two categories or no unit rated twice.
 */
export function gwet(table: RatingTable, options: { weights?: 'identity' | 'linear' | 'quadratic'; categories?: readonly Value[] } = {}): Estimate {
  const weights = options.weights ?? 'identity';
  const numeric = weights !== 'identity';
  const cats = options.categories ? [...options.categories] : categories(table, numeric);
  const q = cats.length;
  if (q < 2) return undefinedBecause('one category only: chance agreement cannot be separated from agreement');
  if (numeric && cats.some((c) => typeof c !== 'number')) return undefinedBecause('AC2 needs numeric ratings');
  const index = new Map(cats.map((c, i) => [c, i]));
  const min = Math.min(...cats.map(Number));
  const span = Math.max(...cats.map(Number)) - min;
  const w = (k: number, l: number) => {
    if (weights === 'identity') return k === l ? 1 : 0;
    const d = span === 0 ? 0 : Math.abs(Number(cats[k]) - Number(cats[l])) / span;
    return weights === 'linear' ? 1 - d : 1 - d * d;
  };
  let tw = 0;
  for (let k = 0; k < q; k++) for (let l = 0; l < q; l++) tw += w(k, l);
  const pi = new Float64Array(q);
  let rated = 0;
  let paSum = 0;
  let paUnits = 0;
  for (const row of table) {
    const values = present(row);
    const r = values.length;
    if (r === 0) continue;
    const counts = new Float64Array(q);
    for (const v of values) {
      const i = index.get(v);
      if (i === undefined) return undefinedBecause(`rating ${JSON.stringify(v)} is not one of the categories`);
      counts[i]!++;
    }
    rated++;
    for (let k = 0; k < q; k++) pi[k]! += counts[k]! / r;
    if (r < 2) continue;
    let agree = 0;
    for (let k = 0; k < q; k++) {
      let star = 0;
      for (let l = 0; l < q; l++) star += w(k, l) * counts[l]!;
      agree += (counts[k]! * (star - 1)) / (r * (r - 1));
    }
    paSum += agree;
    paUnits++;
  }
  if (paUnits === 0) return undefinedBecause('no unit has two or more ratings');
  const pa = paSum / paUnits;
  let spread = 0;
  for (let k = 0; k < q; k++) {
    const p = pi[k]! / rated;
    spread += p * (1 - p);
  }
  // p_e < 1 whenever q ≥ 2: T_w/(q(q − 1)) ≤ q/(q − 1) and Σπ(1 − π) ≤ (q − 1)/q, equal together only if every weight is 1.
  const pe = (tw / (q * (q - 1))) * spread;
  return estimate((pa - pe) / (1 - pe), 'AC is not finite');
}
