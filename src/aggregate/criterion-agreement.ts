import type { Scale, Score } from '../rubric/rubric.js';
import { alphaFromCoincidences, alphaFromPatternCounts, alphaFromUnits, prepareAlpha, type AlphaUnits } from '../stats/alpha.js';
import { clusterIndex, clustersOf, intervalFromReplicates, seededBootstrapInterval, seededDraws, type Clusters } from '../stats/bootstrap.js';
import { seededRng } from '../stats/rng.js';
import type { CoincidenceTally, SumTally } from '../stats/resample-tally.js';
import { cohenKappa, fleissKappa } from '../stats/kappa.js';
import { percentAgreement } from '../stats/percent.js';
import type { Estimate, Level, RatingTable } from '../stats/types.js';

/** Krippendorff's floor for drawing tentative conclusions (Krippendorff 2004, 241). */
export const ALPHA_FLOOR = 0.667;

/** Fixed, so that a report's intervals are reproducible; `jury agreement --seed` varies it. */
export const REPORT_SEED = 1;
/** The report's resamples unless jury.yaml sets `aggregation.resamples`. */
export const REPORT_RESAMPLES = 1000;

type Value = { value: number | null; reason?: string };
/** `method`: BCa, or the percentile interval where BCa is undefined; `skipped`: resamples where the statistic was undefined. */
type Ci = { low: number; high: number; level: number; method: 'bca' | 'percentile'; skipped: number } | null;

export interface CriterionAgreement {
  level: Level;
  alpha: Value & { ci: Ci };
  /** False when alpha is below the floor, null when alpha is undefined. */
  reliable: boolean | null;
  pairwise: { judges: [string, string]; statistic: 'cohen_kappa'; weights: 'quadratic' | 'none'; value: number | null; reason?: string }[];
  fleiss_kappa?: Value;
  percent_agreement: Value;
  within_one_agreement?: Value;
}

/**
 * The level of measurement the report uses for a scale: ordinal for likert, nominal otherwise; interval for a
 * numeric scale judged with logprob-weighted (continuous) scores, whose distances mean something.
 */
export function levelOf(scale: Scale, continuous = false): Level {
  if (continuous && scale.type !== 'categorical') return 'interval';
  return scale.type === 'likert' ? 'ordinal' : 'nominal';
}

function plain(e: Estimate): Value {
  return e.value === null ? { value: null, reason: e.reason } : { value: e.value };
}

/**
 * How far the panel agrees on one criterion: alpha at the scale's level with a bootstrap CI over units, the
 * pairwise judge matrix (quadratic-weighted Cohen's kappa on likert scales, unweighted otherwise), percent and
 * within-one agreement, Fleiss' kappa on nominal scales. `table` is units × judges (combined samples).
 */
export function criterionAgreement(table: RatingTable, judges: readonly string[], scale: Scale, conversations?: readonly string[], resamples = REPORT_RESAMPLES, continuous = false, tally?: CoincidenceTally): CriterionAgreement {
  const level = levelOf(scale, continuous);
  const prepared = prepareAlpha(table, level);
  let alpha: CriterionAgreement['alpha'];
  if ('reason' in prepared) alpha = { value: null, reason: prepared.reason, ci: null };
  else {
    const point = alphaFromUnits(prepared, prepared.units.map((_, i) => i));
    // The units alpha can pair (two ratings or more), each with its conversation.
    const clusters = conversations && clustersOf(clusterIndex(table.flatMap((row, r) => (row.filter((v) => v !== null && v !== undefined).length >= 2 ? [conversations[r]!] : []))));
    const statistic = (sel: ArrayLike<number>) => alphaFromUnits(prepared, sel);
    const tallied = point.value === null ? undefined : talliedAlpha(prepared, table, clusters, tally, resamples);
    const interval =
      point.value === null
        ? undefined
        : tallied
          ? intervalFromReplicates(prepared.units.length, tallied, statistic, { resamples, method: 'bca', jackknife: () => exactAlphaJackknife(prepared) })
          : clusteredInterval(prepared.units.length, clusters, statistic, () => alphaJackknife(prepared, clusters), resamples);
    alpha = { ...plain(point), ci: interval && interval.low !== null ? { low: interval.low, high: interval.high, level: interval.level, method: interval.method, skipped: interval.skipped } : null };
  }
  const weights = level === 'nominal' ? 'none' : 'quadratic';
  const pairwise: CriterionAgreement['pairwise'] = [];
  for (let a = 0; a < judges.length; a++) {
    for (let b = a + 1; b < judges.length; b++) {
      const k = cohenKappa(table.map((r) => r[a] ?? null), table.map((r) => r[b] ?? null), weights);
      pairwise.push({ judges: [judges[a]!, judges[b]!], statistic: 'cohen_kappa', weights, ...plain(k) });
    }
  }
  return {
    level,
    alpha,
    reliable: alpha.value === null ? null : alpha.value >= ALPHA_FLOOR,
    pairwise,
    ...(level === 'nominal' ? { fleiss_kappa: plain(fleissKappa(table)) } : {}),
    percent_agreement: plain(percentAgreement(table)),
    ...(level === 'ordinal' || level === 'interval' ? { within_one_agreement: plain(percentAgreement(table, 1)) } : {}),
  };
}

/**
 * The report's bootstrap interval (BCa, seeded) over units, or over conversations when units are nested in them
 * (the turns of per-turn criteria): turns of one conversation are not independent, so they are resampled together.
 */
function clusteredInterval(units: number, clusters: Clusters | undefined, statistic: (sel: ArrayLike<number>) => Estimate, jackknife: () => number[], resamples: number) {
  const options = { resamples, method: 'bca' as const, jackknife };
  if (!clusters || clusters.singletons) return seededBootstrapInterval(units, statistic, REPORT_SEED, options);
  return seededBootstrapInterval(clusters.count, (sel) => statistic(clusters.expand(sel)), REPORT_SEED, options);
}

/** A table row as a tally's class: the same ratings in the same judges' order are the same pattern. */
export function ratingsKey(row: readonly unknown[]): string {
  return JSON.stringify(row);
}

/**
 * Alpha on each resample from the coincidences tallied during the run (resample-tally.ts), or undefined where they
 * do not apply: units nested in conversations, a row without two ratings, or a tally fed other rows than `table`.
 * The tallied matrices are the ones alphaFromPatternCounts would add up for the same draws (exact sums), so each
 * replicate is the same number.
 */
function talliedAlpha(prepared: AlphaUnits, table: RatingTable, clusters: Clusters | undefined, tally: CoincidenceTally | undefined, resamples: number): ((b: number) => Estimate) | undefined {
  if (!tally || (clusters && !clusters.singletons) || prepared.units.length !== table.length) return undefined;
  const cells = tally.coincidencesIfMatches(table.map((row) => ratingsKey(row)), resamples, REPORT_SEED);
  if (!cells) return undefined;
  const C = prepared.categories.length;
  const index = new Map(prepared.categories.map((c, i) => [c, i]));
  const at = Int32Array.from(cells, ({ cell }) => index.get(cell.c)! * C + index.get(cell.k)!);
  const o = new Float64Array(C * C);
  return (b) => {
    o.fill(0);
    for (let j = 0; j < cells.length; j++) o[at[j]!] = cells[j]!.perResample[b]!;
    return alphaFromCoincidences(prepared, o);
  };
}

/**
 * alphaJackknife over single units where every coincidence weight is exact (as a tally that matched guarantees):
 * leaving a unit out subtracts its coincidences from the total matrix, with no rounding, so each pattern's value
 * is the one alphaFromPatternCounts gives, for a fraction of the work.
 */
function exactAlphaJackknife(prepared: AlphaUnits): number[] {
  const C = prepared.categories.length;
  const total = new Float64Array(C * C);
  for (const { cells, weights } of prepared.units) for (let j = 0; j < cells.length; j++) total[cells[j]!]! += weights[j]!;
  const o = new Float64Array(C * C);
  const byPattern = prepared.patterns.map(({ cells, weights }) => {
    o.set(total);
    for (let j = 0; j < cells.length; j++) o[cells[j]!]! -= weights[j]!;
    return alphaFromCoincidences(prepared, o).value;
  });
  const out: number[] = [];
  for (let u = 0; u < prepared.units.length; u++) {
    const value = byPattern[prepared.patternOf[u]!]!;
    if (value !== null) out.push(value);
  }
  return out;
}

/**
 * Alpha with each unit (or conversation) left out, for BCa's acceleration: from pattern counts, so leaving a unit
 * out costs one pattern's subtraction, not a pass over the table.
 */
function alphaJackknife(prepared: AlphaUnits, clusters: Clusters | undefined): number[] {
  const total = new Float64Array(prepared.patterns.length);
  for (let u = 0; u < prepared.units.length; u++) total[prepared.patternOf[u]!]!++;
  const out: number[] = [];
  const counts = new Float64Array(total.length);
  if (!clusters || clusters.singletons) {
    // Leaving out a unit gives the same alpha as leaving out any other unit of its pattern: once per pattern.
    const byPattern = new Map<number, number | null>();
    for (let u = 0; u < prepared.units.length; u++) {
      const p = prepared.patternOf[u]!;
      let value = byPattern.get(p);
      if (value === undefined) {
        counts.set(total);
        counts[p]!--;
        byPattern.set(p, (value = alphaFromPatternCounts(prepared, counts).value));
      }
      if (value !== null) out.push(value);
    }
    return out;
  }
  const groups = Array.from({ length: clusters.count }, (_, c) => clusters.expand([c]));
  for (const group of groups) {
    counts.set(total);
    for (const u of group) counts[prepared.patternOf[u]!]!--;
    const value = alphaFromPatternCounts(prepared, counts).value;
    if (value !== null) out.push(value);
  }
  return out;
}

/**
 * The mean on each of the report's resamples of unclustered values: from the sums tallied during the run where they
 * are exact, or added up in draw order straight from the kept draws (what `statistic(draw(b))` computes, without
 * copying each resample out first).
 */
function meanReplicates(values: Float64Array, resamples: number, tally: SumTally | undefined): (b: number) => Estimate {
  const n = values.length;
  const sums = tally?.sumsIfMatches(values, resamples, REPORT_SEED);
  if (sums) return (b) => ({ value: sums[b]! / n });
  const draws = seededDraws(n, REPORT_SEED, resamples);
  if (!draws) {
    // Too many to keep: drawn as they are added, as bootstrapInterval does (replicates are asked in order, once each).
    const rng = seededRng(REPORT_SEED);
    return () => {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += values[rng.int(n)]!;
      return { value: sum / n };
    };
  }
  return (b) => {
    let sum = 0;
    for (let i = b * n, end = i + n; i < end; i++) sum += values[draws[i]!]!;
    return { value: sum / n };
  };
}

/**
 * Mean of scored panel scores with a BCa bootstrap CI over units, or over their conversations when
 * `conversations` (one per score) groups several units into one.
 */
export function meanWithInterval(scores: readonly Score[], conversations?: readonly string[], resamples = REPORT_RESAMPLES, tally?: SumTally): { mean: number | null; ci: Ci } {
  const values = Float64Array.from(scores, Number);
  if (values.length === 0) return { mean: null, ci: null };
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const clusters = conversations && clustersOf(clusterIndex(conversations));
  const statistic = (sel: ArrayLike<number>) => {
    let sum = 0;
    for (let i = 0; i < sel.length; i++) sum += values[sel[i]!]!;
    return { value: sum / sel.length };
  };
  const jackknife = () => {
    // Leaving a unit (or a conversation's units) out of a mean: (S − s) / (n − k), no pass over the rest.
    const total = values.reduce((a, b) => a + b, 0);
    const groups = clusters && !clusters.singletons ? Array.from({ length: clusters.count }, (_, c) => clusters.expand([c])) : Array.from(values, (_, u) => [u]);
    return groups.flatMap((g) => (values.length - g.length > 0 ? [(total - Array.from(g).reduce((s, u) => s + values[u]!, 0)) / (values.length - g.length)] : []));
  };
  const interval = !clusters || clusters.singletons ? intervalFromReplicates(values.length, meanReplicates(values, resamples, tally), statistic, { resamples, method: 'bca', jackknife }) : clusteredInterval(values.length, clusters, statistic, jackknife, resamples);
  return { mean, ci: interval.low === null ? null : { low: interval.low, high: interval.high, level: interval.level, method: interval.method, skipped: interval.skipped } };
}
