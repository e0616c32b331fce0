import { categories, estimate, present, undefinedBecause, type Estimate, type RatingTable, type Value } from './types.js';

export type KappaWeights = 'none' | 'linear' | 'quadratic';

/**
 * Cohen's kappa for two raters (Cohen 1960), weighted (Cohen 1968) as κ_w = 1 − Σ o_ij v_ij / Σ e_ij v_ij,
 * with disagreement weights v_ij = 0/1 (none), |x_i − x_j| (linear) or (x_i − x_j)² (quadratic) on the
 * values themselves, and e_ij = row_i · col_j / N. Scaling v by a constant (e.g. by the number of categories)
 * cancels, so this equals the usual 1 − |i−j|/(k−1) agreement-weight form when values are equally spaced.
 * Only items both raters rated count. Undefined with fewer than two such items or when chance disagreement
 * is zero (both raters used one and the same value).
 */
export function cohenKappa(a: readonly (Value | null)[], b: readonly (Value | null)[], weights: KappaWeights = 'none'): Estimate {
  const pairs: [Value, Value][] = [];
  for (let i = 0; i < Math.min(a.length, b.length); i++) if (a[i] != null && b[i] != null) pairs.push([a[i]!, b[i]!]);
  if (pairs.length < 2) return undefinedBecause('fewer than two items rated by both raters');
  const numeric = weights !== 'none';
  if (numeric && pairs.some(([x, y]) => typeof x !== 'number' || typeof y !== 'number')) return undefinedBecause('weighted kappa needs numeric ratings');
  const cats = categories(pairs.map(([x, y]) => [x, y]), numeric);
  const index = new Map(cats.map((c, i) => [c, i]));
  const C = cats.length;
  const observed = new Float64Array(C * C);
  const rows = new Float64Array(C);
  const cols = new Float64Array(C);
  for (const [x, y] of pairs) {
    const i = index.get(x)!;
    const j = index.get(y)!;
    observed[i * C + j]!++;
    rows[i]!++;
    cols[j]!++;
  }
  const N = pairs.length;
  const v = (i: number, j: number) => {
    if (weights === 'none') return i === j ? 0 : 1;
    const d = Math.abs(Number(cats[i]) - Number(cats[j]));
    return weights === 'linear' ? d : d * d;
  };
  let po = 0;
  let pe = 0;
  for (let i = 0; i < C; i++) {
    for (let j = 0; j < C; j++) {
      po += (observed[i * C + j]! / N) * v(i, j);
      pe += ((rows[i]! * cols[j]!) / (N * N)) * v(i, j);
    }
  }
  if (pe === 0) return undefinedBecause('no disagreement is expected by chance: both raters used a single value');
  return estimate(1 - po / pe, 'kappa is not finite');
}

/**
 * Fleiss' kappa (Fleiss 1971) for many raters on nominal categories: κ = (p_a − p_e)/(1 − p_e). With missing
 * ratings jury follows Gwet's available-case form (Gwet 2014, Handbook of Inter-Rater Reliability, §2.5; R
 * irrCAC's `fleiss.kappa.raw`): p_a = mean over units with r_i ≥ 2 of Σ_k r_ik(r_ik − 1)/(r_i(r_i − 1));
 * π_k = mean over units with r_i ≥ 1 of r_ik/r_i; p_e = Σ_k π_k². With every unit rated by the same number of
 * raters this is Fleiss' own; the listwise form (R irr, statsmodels) would instead drop every unit with a
 * missing rating. Checked against irrCAC's published output on Gwet's cac.raw4raters (κ = 0.76117).
 * Undefined when p_e = 1 (a single category) or no unit has two ratings.
 */
export function fleissKappa(table: RatingTable): Estimate {
  const rated = table.map(present).filter((r) => r.length >= 1);
  const shares = new Map<Value, number>();
  let sumP = 0;
  let paired = 0;
  for (const row of rated) {
    const counts = new Map<Value, number>();
    for (const v of row) counts.set(v, (counts.get(v) ?? 0) + 1);
    const m = row.length;
    for (const [v, n] of counts) shares.set(v, (shares.get(v) ?? 0) + n / m);
    if (m < 2) continue;
    let squares = 0;
    for (const n of counts.values()) squares += n * n;
    sumP += (squares - m) / (m * (m - 1));
    paired++;
  }
  if (paired === 0) return undefinedBecause('no unit has two or more ratings');
  const pa = sumP / paired;
  let pe = 0;
  for (const share of shares.values()) pe += (share / rated.length) ** 2;
  if (pe === 1) return undefinedBecause('every rating is in one category: no variation to agree on');
  return estimate((pa - pe) / (1 - pe), 'kappa is not finite');
}

/**
 * cohenKappa on pairs given as category indexes, over a selection of them (a bootstrap resample), without
 * building arrays: the same κ, since categories nobody used have empty margins and add nothing to either sum.
 * `values` are the categories' numeric values for weighted kappa (ignored when unweighted).
 */
export function cohenKappaIndexed(first: ArrayLike<number>, second: ArrayLike<number>, categories: number, selection: ArrayLike<number>, weights: KappaWeights = 'none', values: readonly number[] = []): Estimate {
  const N = selection.length;
  if (N < 2) return undefinedBecause('fewer than two items rated by both raters');
  const C = categories;
  const observed = new Float64Array(C * C);
  const rows = new Float64Array(C);
  const cols = new Float64Array(C);
  for (let s = 0; s < N; s++) {
    const i = first[selection[s]!]!;
    const j = second[selection[s]!]!;
    observed[i * C + j]!++;
    rows[i]!++;
    cols[j]!++;
  }
  let po = 0;
  let pe = 0;
  for (let i = 0; i < C; i++) {
    for (let j = 0; j < C; j++) {
      const d = weights === 'none' ? (i === j ? 0 : 1) : Math.abs(values[i]! - values[j]!);
      const v = weights === 'quadratic' ? d * d : d;
      po += (observed[i * C + j]! / N) * v;
      pe += ((rows[i]! * cols[j]!) / (N * N)) * v;
    }
  }
  if (pe === 0) return undefinedBecause('no disagreement is expected by chance: both raters used a single value');
  return estimate(1 - po / pe, 'kappa is not finite');
}
