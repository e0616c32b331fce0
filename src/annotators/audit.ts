import { alphaFromUnits, prepareAlpha } from '../stats/alpha.js';
import { cohenKappaIndexed } from '../stats/kappa.js';
import { wilsonInterval } from '../stats/proportion.js';
import { pick, withCi, type Stat } from '../stats/stat.js';
import type { Estimate } from '../stats/types.js';
import { posteriorClass } from '../stats/dawid-skene.js';
import { fitModel, majority, median, votesByUnit, type ModelFit } from './consensus.js';
import { contestedItems, type ItemRow } from './items.js';
import type { LabelTable } from './table.js';

export type { Stat } from '../stats/stat.js';

export interface AnnotatorRow {
  annotator: string;
  /** Units this annotator voted on. */
  units: number;
  /** Of them, units where the others reached a consensus to compare with (a tie among the others is left out). */
  compared: number;
  /** Against the consensus of the others (leave-one-out): majority on nominal scales, median on ordinal ones. */
  alpha: Stat;
  kappa: Stat & { weights: 'quadratic' | 'none' };
  /** Ordinal: mean of (this annotator − the others' median); above zero is lenient. */
  mean_shift?: Stat;
  /** Nominal: share of this annotator's votes per point, against the pool's shares. */
  distribution?: { own: Record<string, number>; pool: Record<string, number> };
  scale_used: { points: string[]; share: number };
  gold?: { units: number; correct: number; accuracy: number; ci: { low: number; high: number } | null };
  /** Dawid–Skene's estimate of this annotator: confusion rows (true point) × columns (what they say), and accuracy. */
  model?: { accuracy: number; confusion: number[][] };
  flags: string[];
}

export interface ConsensusAccuracy {
  /** Units with a gold answer and at least one vote; `decided` of them had a consensus (not a tie). */
  units: number;
  decided: number;
  correct: number;
  ties: number;
  accuracy: number | null;
  ci: { low: number; high: number } | null;
}

export interface CriterionAudit {
  criterion: string;
  level: 'nominal' | 'ordinal';
  points: string[];
  units: number;
  votes: number;
  annotator_count: number;
  anonymous: boolean;
  /** The median annotator's leave-one-out alpha: what "agrees less than the pool" is measured against. */
  pool_alpha: number | null;
  annotators: AnnotatorRow[] | null;
  /** Why there are no per-annotator figures, when there are none. */
  refused?: string;
  model: { start: 'majority' | 'shares'; iterations: number; converged: boolean; log_likelihood: number; priors: Record<string, number> } | null;
  model_reason?: string;
  consensus_vs_gold?: { majority: ConsensusAccuracy; dawid_skene?: ConsensusAccuracy };
  items: ItemRow[];
  off_scale: number;
}

export interface AuditOptions {
  seed?: number;
  resamples?: number;
  /** Flag an annotator whose gold accuracy's 95% interval lies wholly below this. */
  minGoldAccuracy?: number;
  start?: 'majority' | 'shares';
}

export const DEFAULT_MIN_GOLD_ACCURACY = 0.7;

export const ANONYMOUS_REFUSAL = 'the annotator ids of these labels are positions in a list (rater1, rater2…), marked anonymous by the importer, not people: a per-annotator figure would describe no one. Item contestedness and the majority consensus are reported; Dawid–Skene, which needs to know who gave which label, is not';

/** One criterion's annotators audited: agreement with the others, bias, scale use, gold accuracy, the model. Pure. */
export function auditCriterion(table: LabelTable, options: AuditOptions = {}): CriterionAudit {
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 1000;
  const minGold = options.minGoldAccuracy ?? DEFAULT_MIN_GOLD_ACCURACY;
  const points = table.scale.points.map(String);
  let model: ModelFit | undefined;
  let modelReason: string | undefined;
  if (table.anonymous) modelReason = 'the annotators are anonymous positions: the model needs to know who gave which label';
  else if (table.annotators.length < 2) modelReason = 'one annotator: there is no one to weigh against anyone';
  else model = fitModel(table, options.start);
  const rows = table.anonymous ? null : table.annotators.map((_, a) => annotatorRow(table, a, model, { seed, resamples }));
  const alphas = (rows ?? []).flatMap((r) => (r.alpha.value === null ? [] : [r.alpha.value]));
  const poolAlpha = median(alphas);
  for (const row of rows ?? []) {
    const ci = row.alpha.ci;
    if (poolAlpha !== null && ci && ci.high < poolAlpha) row.flags.push(`agrees with the others less than the pool: alpha ${row.alpha.value!.toFixed(2)} (95% CI ${ci.low.toFixed(2)}–${ci.high.toFixed(2)}) against the median annotator's ${poolAlpha.toFixed(2)}`);
    const g = row.gold;
    if (g?.ci && g.ci.high < minGold) row.flags.push(`gold accuracy ${g.accuracy.toFixed(2)} (95% CI ${g.ci.low.toFixed(2)}–${g.ci.high.toFixed(2)}) on ${g.units} gold unit${g.units === 1 ? '' : 's'}, below ${minGold}`);
  }
  const out: CriterionAudit = {
    criterion: table.criterion,
    level: table.scale.level,
    points,
    units: table.units.length,
    votes: table.point.length,
    annotator_count: table.annotators.length,
    anonymous: table.anonymous,
    pool_alpha: poolAlpha,
    annotators: rows,
    ...(table.anonymous ? { refused: ANONYMOUS_REFUSAL } : {}),
    model: model ? { start: model.start, iterations: model.fit.iterations, converged: model.fit.converged, log_likelihood: model.fit.logLikelihood, priors: Object.fromEntries(points.map((p, k) => [p, model!.fit.priors[k]!])) } : null,
    ...(modelReason ? { model_reason: modelReason } : {}),
    items: contestedItems(table, model),
    off_scale: table.offScale,
  };
  if (table.gold.size) out.consensus_vs_gold = consensusAgainstGold(table, model);
  return out;
}

/** One annotator's value on a unit: their vote, or the majority/median of their repeated votes (null on a tie). */
function ownValue(table: LabelTable, own: readonly number[]): number | null {
  if (table.scale.level === 'nominal') return majority(own);
  const m = median(own.map((p) => Number(table.scale.points[p])));
  return m === null ? null : pointOf(table, m);
}

/** The scale point with this value, or null for a value between points (the median of an even split: a tie). */
function pointOf(table: LabelTable, value: number): number | null {
  const k = table.scale.points.findIndex((p) => p === value);
  return k < 0 ? null : k;
}

interface IntervalOpts {
  seed: number;
  resamples: number;
  /** The item of each compared unit: turns of one conversation are resampled together. */
  items: readonly string[];
}

function annotatorRow(table: LabelTable, a: number, model: ModelFit | undefined, bootstrap: { seed: number; resamples: number }): AnnotatorRow {
  const ordinal = table.scale.level === 'ordinal';
  const pairs: [number, number][] = [];
  const pairItems: string[] = [];
  let units = 0;
  const used = new Set<number>();
  let goldUnits = 0;
  let goldCorrect = 0;
  votesByUnit(table).forEach((unitVotes, u) => {
    const own = unitVotes.filter(([who]) => who === a).map(([, p]) => p);
    if (own.length === 0) return;
    units++;
    own.forEach((p) => used.add(p));
    const mine = ownValue(table, own);
    if (mine === null) return;
    const gold = table.gold.get(u);
    if (gold !== undefined) {
      goldUnits++;
      if (gold === mine) goldCorrect++;
    }
    const others = unitVotes.filter(([who]) => who !== a).map(([, p]) => p);
    const rest = ordinal ? (others.length ? pointOf(table, median(others.map((p) => Number(table.scale.points[p])))!) : null) : majority(others);
    if (rest !== null) {
      pairs.push([mine, rest]);
      pairItems.push(table.items[u]!);
    }
  });
  const opts: IntervalOpts = { ...bootstrap, items: pairItems };
  const value = (p: number) => table.scale.points[p]!;
  const weights = ordinal ? 'quadratic' : 'none';
  const first = Int32Array.from(pairs, ([x]) => x);
  const second = Int32Array.from(pairs, ([, y]) => y);
  const numericValues = ordinal ? table.scale.points.map(Number) : [];
  const row: AnnotatorRow = {
    annotator: table.annotators[a]!,
    units,
    compared: pairs.length,
    alpha: alphaStat(pairs.map(([x, y]) => [value(x), value(y)]), table.scale.level, opts),
    kappa: { ...withInterval(pairs.length, (sel) => cohenKappaIndexed(first, second, table.scale.points.length, sel, weights, numericValues), opts), weights },
    scale_used: { points: [...used].sort((x, y) => x - y).map((p) => String(value(p))), share: used.size / table.scale.points.length },
    flags: [],
  };
  if (ordinal) {
    row.mean_shift = withInterval(pairs.length, (sel) => {
      const chosen = pick(pairs, sel);
      return chosen.length ? { value: chosen.reduce((s, [x, y]) => s + Number(value(x)) - Number(value(y)), 0) / chosen.length } : { value: null, reason: 'no unit to compare' };
    }, opts);
  } else row.distribution = distributions(table, a);
  if (goldUnits) row.gold = { units: goldUnits, correct: goldCorrect, accuracy: goldCorrect / goldUnits, ci: wilsonInterval(goldCorrect, goldUnits) };
  if (model) {
    const confusion = model.fit.confusion[a]!;
    row.model = { accuracy: model.fit.priors.reduce((s, p, k) => s + p * confusion[k]![k]!, 0), confusion };
  }
  return row;
}

function distributions(table: LabelTable, a: number): { own: Record<string, number>; pool: Record<string, number> } {
  const own = table.scale.points.map(() => 0);
  const pool = table.scale.points.map(() => 0);
  for (let n = 0; n < table.point.length; n++) {
    pool[table.point[n]!]!++;
    if (table.annotator[n] === a) own[table.point[n]!]!++;
  }
  const shares = (counts: number[]) => {
    const total = counts.reduce((x, y) => x + y, 0);
    return Object.fromEntries(table.scale.points.map((p, k) => [String(p), total ? counts[k]! / total : 0]));
  };
  return { own: shares(own), pool: shares(pool) };
}

/**
 * A figure over one annotator's compared units with a seeded BCa interval; units that are turns are resampled by
 * conversation. The same seed for every annotator: an annotator's interval does not depend on who else is in the file.
 */
function withInterval(n: number, f: (sel: ArrayLike<number>) => Estimate, opts: IntervalOpts): Stat {
  return withCi(n, f, opts.seed, opts.resamples, opts.items);
}

function alphaStat(pairs: (number | string)[][], level: 'nominal' | 'ordinal', opts: IntervalOpts): Stat {
  const prepared = prepareAlpha(pairs, level);
  if ('reason' in prepared) return { value: null, ci: null, reason: prepared.reason };
  // Every pair has two values, so every unit is pairable and the prepared units line up with the pairs.
  return withInterval(prepared.units.length, (sel) => alphaFromUnits(prepared, sel), opts);
}

function consensusAgainstGold(table: LabelTable, model: ModelFit | undefined): CriterionAudit['consensus_vs_gold'] {
  const votes = votesByUnit(table);
  const score = (decide: (u: number) => number | null): ConsensusAccuracy => {
    let units = 0;
    let decided = 0;
    let correct = 0;
    for (const [u, gold] of table.gold) {
      if (votes[u]!.length === 0) continue;
      units++;
      const answer = decide(u);
      if (answer === null) continue;
      decided++;
      if (answer === gold) correct++;
    }
    return { units, decided, correct, ties: units - decided, accuracy: decided ? correct / decided : null, ci: wilsonInterval(correct, decided) };
  };
  const out: NonNullable<CriterionAudit['consensus_vs_gold']> = { majority: score((u) => majority(votes[u]!.map(([, p]) => p))) };
  if (model) {
    out.dawid_skene = score((u) => posteriorClass(model.fit, table.scale.points.length, u));
  }
  return out;
}

