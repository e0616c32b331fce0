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
 * Fleiss' kappa (Fleiss 1971) for many raters on nominal categories: κ = (P̄ − P̄_e)/(1 − P̄_e) with
 * P_i = (Σ_j n_ij² − m_i)/(m_i(m_i − 1)), P̄ the mean of P_i, p_j = Σ_i n_ij / Σ_i m_i, P̄_e = Σ_j p_j².
 * Fleiss assumes every unit has the same number of raters; with missing ratings each unit uses its own m_i
 * (units with fewer than two ratings drop out), the usual generalisation. Undefined when P̄_e = 1 (a single
 * category).
 */
export function fleissKappa(table: RatingTable): Estimate {
  const rows = table.map(present).filter((r) => r.length >= 2);
  if (rows.length === 0) return undefinedBecause('no unit has two or more ratings');
  const totals = new Map<Value, number>();
  let ratings = 0;
  let sumP = 0;
  for (const row of rows) {
    const counts = new Map<Value, number>();
    for (const v of row) counts.set(v, (counts.get(v) ?? 0) + 1);
    const m = row.length;
    let squares = 0;
    for (const [v, n] of counts) {
      squares += n * n;
      totals.set(v, (totals.get(v) ?? 0) + n);
    }
    sumP += (squares - m) / (m * (m - 1));
    ratings += m;
  }
  const pBar = sumP / rows.length;
  let pe = 0;
  for (const n of totals.values()) pe += (n / ratings) ** 2;
  if (pe === 1) return undefinedBecause('every rating is in one category: no variation to agree on');
  return estimate((pBar - pe) / (1 - pe), 'kappa is not finite');
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
