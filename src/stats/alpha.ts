import { categories, estimate, present, undefinedBecause, type Estimate, type Level, type RatingTable, type Value } from './types.js';

/**
 * Krippendorff's alpha, α = 1 − D_o / D_e, from the coincidence matrix (Krippendorff 2011, "Computing
 * Krippendorff's Alpha-Reliability", sections B–E):
 *   o_ck = Σ_u (number of ordered c–k pairs of values in unit u) / (m_u − 1)
 *   n_c = Σ_k o_ck,  n = Σ_c n_c
 *   α = 1 − (n − 1) · Σ_ck o_ck δ²_ck / Σ_ck n_c n_k δ²_ck
 * with δ² nominal: c ≠ k; ordinal: (Σ_{g=c..k} n_g − (n_c + n_k)/2)²; interval: (c − k)²;
 * ratio: ((c − k)/(c + k))².
 * Missing ratings are allowed: a unit with fewer than two ratings is not pairable and drops out.
 * Undefined when fewer than two pairable values exist or when every pairable value is the same (D_e = 0).
 */
export function krippendorffAlpha(table: RatingTable, level: Level): Estimate {
  const prepared = prepareAlpha(table, level);
  if ('reason' in prepared) return undefinedBecause(prepared.reason);
  return alphaFromUnits(prepared, prepared.units.map((_, i) => i));
}

export interface AlphaUnits {
  level: Level;
  /** The distinct ratings; category i is categories[i]. */
  categories: Value[];
  /** Category i as a number for the distance (its index on the nominal level). */
  values: number[];
  /** Per pairable unit: its coincidences as flat (c·C + k, weight) pairs. */
  units: { cells: Int32Array; weights: Float64Array }[];
  /** Units with the same ratings share a pattern (a few dozen on a likert scale): per unit, its pattern's index. */
  patternOf: Int32Array;
  /** Per pattern: the coincidences of one unit with it. */
  patterns: { cells: Int32Array; weights: Float64Array }[];
}

/** Precomputes each unit's coincidences once, so a bootstrap only adds them up. */
export function prepareAlpha(table: RatingTable, level: Level): AlphaUnits | { reason: string } {
  const numeric = level !== 'nominal';
  if (numeric) {
    for (const row of table) for (const v of present(row)) if (typeof v !== 'number') return { reason: `${level === 'ratio' ? 'a' : 'an'} ${level} alpha needs numbers; found ${JSON.stringify(v)}` };
  }
  const cats = categories(table, numeric);
  const index = new Map<Value, number>(cats.map((c, i) => [c, i]));
  const C = cats.length;
  // Rows with the same ratings in the same order have the same coincidences: worked out once per such row (a
  // few dozen on a likert scale), then shared by every unit with it.
  const units: AlphaUnits['units'] = [];
  const unitPattern: number[] = [];
  const byRow = new Map<string, { unit: AlphaUnits['units'][number]; pattern: number }>();
  const patternIndex = new Map<string, number>();
  const patterns: AlphaUnits['patterns'] = [];
  for (const row of table) {
    const values = present(row);
    if (values.length < 2) continue;
    const rowKey = JSON.stringify(values);
    let known = byRow.get(rowKey);
    if (!known) {
      const pairs = unitCoincidences(values);
      const unit = { cells: Int32Array.from(pairs, ({ c, k }) => index.get(c)! * C + index.get(k)!), weights: Float64Array.from(pairs, (p) => p.weight) };
      const signature = `${unit.cells.join(',')}|${unit.weights.join(',')}`;
      let pattern = patternIndex.get(signature);
      if (pattern === undefined) patternIndex.set(signature, (pattern = patterns.push(unit) - 1));
      byRow.set(rowKey, (known = { unit, pattern }));
    }
    units.push(known.unit);
    unitPattern.push(known.pattern);
  }
  if (units.length === 0) return { reason: 'no unit has two or more ratings' };
  const patternOf = Int32Array.from(unitPattern);
  return { level, categories: cats, values: cats.map((c, i) => (numeric ? Number(c) : i)), units, patternOf, patterns };
}

/**
 * The coincidences of one unit with m ≥ 2 values: each ordered pair of values (c, k) that occurs, weighted
 * (number of ordered c–k pairs) / (m − 1), in first-seen order of the values.
 */
export function unitCoincidences(values: readonly Value[]): { c: Value; k: Value; weight: number }[] {
  const m = values.length;
  const counts = new Map<Value, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  const out: { c: Value; k: Value; weight: number }[] = [];
  for (const [c, nc] of counts) {
    for (const [k, nk] of counts) {
      const pairs = c === k ? nc * (nc - 1) : nc * nk;
      if (pairs > 0) out.push({ c, k, weight: pairs / (m - 1) });
    }
  }
  return out;
}

/** Alpha over a selection of prepared units (with repeats, for the bootstrap). */
export function alphaFromUnits(prepared: AlphaUnits, selection: ArrayLike<number>): Estimate {
  // Count the drawn units per pattern, then add each pattern's coincidences once, times its count: a
  // bootstrap resample costs one increment per unit instead of one per coincidence cell.
  const counts = new Float64Array(prepared.patterns.length);
  for (let s = 0; s < selection.length; s++) counts[prepared.patternOf[selection[s]!]!]! += 1;
  return alphaFromPatternCounts(prepared, counts);
}

/** Alpha from how many units of each pattern are in the sample (a jackknife subtracts one unit or cluster). */
export function alphaFromPatternCounts(prepared: AlphaUnits, counts: ArrayLike<number>): Estimate {
  const C = prepared.values.length;
  const { patterns } = prepared;
  const o = new Float64Array(C * C);
  for (let p = 0; p < patterns.length; p++) {
    const count = counts[p]!;
    if (count === 0) continue;
    const { cells, weights } = patterns[p]!;
    for (let j = 0; j < cells.length; j++) o[cells[j]!]! += count * weights[j]!;
  }
  return alphaFromCoincidences(prepared, o);
}

/** Alpha from the coincidence matrix o (C × C, row-major over prepared's categories). */
export function alphaFromCoincidences(prepared: AlphaUnits, o: Float64Array): Estimate {
  const C = prepared.values.length;
  const nc = new Float64Array(C);
  let n = 0;
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < C; k++) nc[c]! += o[c * C + k]!;
    n += nc[c]!;
  }
  if (n < 2) return undefinedBecause('fewer than two pairable values');
  const delta = distance(prepared, nc);
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < C; c++) {
    for (let k = 0; k < C; k++) {
      const d = delta(c, k);
      observed += o[c * C + k]! * d;
      expected += nc[c]! * nc[k]! * d;
    }
  }
  if (expected === 0) return undefinedBecause('every pairable rating has the same value: no variation to agree on');
  return estimate(1 - ((n - 1) * observed) / expected, 'alpha is not finite');
}

function distance(prepared: AlphaUnits, nc: Float64Array): (c: number, k: number) => number {
  const v = prepared.values;
  switch (prepared.level) {
    case 'nominal':
      return (c, k) => (c === k ? 0 : 1);
    case 'interval':
      return (c, k) => (v[c]! - v[k]!) ** 2;
    case 'ratio':
      return (c, k) => (v[c]! + v[k]! === 0 ? 0 : ((v[c]! - v[k]!) / (v[c]! + v[k]!)) ** 2);
    case 'ordinal': {
      // Cumulative marginals make each δ² O(1): Σ_{g=c..k} n_g = cum[k+1] − cum[c] for c ≤ k.
      const cum = new Float64Array(nc.length + 1);
      for (let i = 0; i < nc.length; i++) cum[i + 1] = cum[i]! + nc[i]!;
      return (c, k) => {
        const lo = Math.min(c, k);
        const hi = Math.max(c, k);
        return (cum[hi + 1]! - cum[lo]! - (nc[c]! + nc[k]!) / 2) ** 2;
      };
    }
  }
}
