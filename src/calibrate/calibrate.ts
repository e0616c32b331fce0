import { levelOf } from '../aggregate/criterion-agreement.js';
import type { HumanLabel } from '../labels/labels.js';
import { isAnswer, labelMatches } from '../labels/labels.js';
import type { Report } from '../report/report.js';
import type { Scale, Score } from '../rubric/rubric.js';
import { nearestPoint, scalePoints } from '../rubric/rubric.js';
import { krippendorffAlpha } from '../stats/alpha.js';
import { spearman } from '../stats/correlation.js';
import { cohenKappa } from '../stats/kappa.js';
import type { Estimate, Level } from '../stats/types.js';
import { consensus } from './consensus.js';
import { ceilingNote, judgeVsPeople, peopleVsPeople, type JudgeVsPeople, type PeopleVsPeople, type VotedUnit } from './per-vote.js';
import { pick, withCi, type Stat } from '../stats/stat.js';
import { labelTables, unitKey } from '../annotators/table.js';
import { fitModel, unitConsensus, type ConsensusMethod } from '../annotators/consensus.js';
import { namesCriterion } from '../format/criterion-name.js';

export type { Stat };

export interface RaterCalibration {
  /** A judge id, or `panel`. */
  rater: string;
  units: number;
  alpha: Stat;
  kappa: Stat & { weights: 'quadratic' | 'none' };
  spearman?: Stat;
  /** Agreement with the unit's human reference (its majority, median or answer), units with a tied reference left out. */
  exact: Stat;
  /** The same with the units where the rater or the reference chose the scale's tie label left out. */
  exact_without_ties?: Stat & { units: number };
  within_one?: Stat;
  /** A judge's agreement with each person's vote, pooled over votes and per annotator (not for the panel). */
  per_vote?: Omit<JudgeVsPeople, 'judge'>;
  /** Rater mean minus human mean over the same units: above zero is lenient, below is harsh. */
  bias?: Stat;
  /** Rows: human consensus; columns: the rater (rounded to the scale). */
  confusion: { points: string[]; counts: number[][] };
}

export interface CriterionCalibration {
  rubric: string;
  criterion: string;
  level: Level;
  labelled_units: number;
  annotators: number;
  /** Agreement among the people themselves (alpha over their votes). */
  human_alpha: Stat | null;
  /**
   * People against each other per pair of votes on the same unit: the like-for-like ceiling for a judge's
   * `per_vote` agreement. Null with fewer than two votes on every unit.
   */
  human_pairs: PeopleVsPeople | null;
  raters: RaterCalibration[];
  /** `weights` is null when the labels cannot support them (too few, or no judge reliably above zero). */
  recommendation: { weights: Record<string, number> | null; drop: { judge: string; why: string }[]; notes: string[] };
  /**
   * How the human reference was formed, when not the default (median on ordinal scales, most frequent label
   * otherwise), when some units were adjudicated, or when some tied: `ties` units had no consensus (two labels
   * equally frequent, a median between two points) and were left out of the reference-based figures;
   * `adjudicated` units used their answer (an adjudicated or gold label).
   */
  consensus?: { method: ConsensusMethod | 'default'; ties: number; adjudicated: number; model?: { iterations: number; converged: boolean } };
}

/** Labels that calibrate could not use, and why: never dropped silently. */
export interface DroppedLabels {
  /** The label's score is not a point of its criterion's scale (11 on 1–5, NaN, a word on a numeric scale). */
  off_scale: number;
  /** The label names a criterion the report does not have. */
  unknown_criterion: number;
  /** The label's item (and turn) matches no unit of the report. */
  no_unit: number;
  /** A few of them, as `item / criterion: reason`. */
  examples: string[];
}

export interface Calibration {
  label: string;
  /** The bootstrap behind every interval: its seed and resamples (intervals are BCa; each says if not). */
  seed: number;
  resamples: number;
  criteria: CriterionCalibration[];
  dropped: DroppedLabels;
}

/** A judge whose alpha with the human consensus is below this agrees too little with people to keep. */
export const DROP_BELOW_ALPHA = 0.3;
/** Below this many labelled units of a criterion, no advice is given at all: intervals are too wide to mean much. */
export const MIN_UNITS_FOR_ADVICE = 10;
const BIAS_NOTE = 0.5;

interface Pair {
  rater: Score;
  human: Score;
  humanMean: number;
  /** The item: the turns of one conversation are resampled together. */
  item: string;
}

function raterCalibration(rater: string, pairs: Pair[], scale: Scale, seed: number, resamples: number, level: Level): RaterCalibration {
  const conversations = pairs.map((p) => p.item);
  const numeric = scale.type !== 'categorical';
  const weights = level === 'nominal' ? 'none' : 'quadratic';
  const rounded = pairs.map((p) => ({ ...p, rater: nearestPoint(p.rater, scale) }));
  const points = scalePoints(scale);
  const counts = points.map(() => points.map(() => 0));
  for (const p of rounded) {
    const row = points.indexOf(nearestPoint(p.human, scale));
    const col = points.indexOf(p.rater);
    if (row >= 0 && col >= 0) counts[row]![col]!++;
  }
  const share = (sel: ArrayLike<number>, ok: (p: Pair) => boolean): Estimate => {
    const chosen = pick(rounded, sel);
    return chosen.length ? { value: chosen.filter(ok).length / chosen.length } : { value: null, reason: 'no labelled unit' };
  };
  const out: RaterCalibration = {
    rater,
    units: pairs.length,
    alpha: withCi(pairs.length, (sel) => krippendorffAlpha(pick(pairs, sel).map((p) => [p.rater, p.human]), level), seed, resamples, conversations),
    kappa: { ...withCi(pairs.length, (sel) => { const c = pick(rounded, sel); return cohenKappa(c.map((p) => p.rater), c.map((p) => nearestPoint(p.human, scale)), weights); }, seed, resamples, conversations), weights },
    exact: withCi(pairs.length, (sel) => share(sel, (p) => p.rater === nearestPoint(p.human, scale)), seed, resamples, conversations),
    confusion: { points: points.map(String), counts },
  };
  if (numeric) {
    out.spearman = withCi(pairs.length, (sel) => { const c = pick(pairs, sel); return spearman(c.map((p) => p.rater), c.map((p) => p.human)); }, seed, resamples, conversations);
    out.bias = withCi(pairs.length, (sel) => {
      const c = pick(pairs, sel);
      return c.length ? { value: c.reduce((s, p) => s + Number(p.rater) - p.humanMean, 0) / c.length } : { value: null, reason: 'no labelled unit' };
    }, seed, resamples, conversations);
  }
  const tie = scale.type === 'categorical' ? scale.tie : undefined;
  if (tie !== undefined) {
    const kept = rounded.filter((p) => p.rater !== tie && p.human !== tie);
    const stat = withCi(kept.length, (sel) => {
      const chosen = pick(kept, sel);
      return chosen.length ? { value: chosen.filter((p) => p.rater === p.human).length / chosen.length } : { value: null, reason: 'no unit without a tie' };
    }, seed, resamples, kept.map((p) => p.item));
    out.exact_without_ties = { ...stat, units: kept.length };
  }
  if (level === 'ordinal') out.within_one = withCi(pairs.length, (sel) => share(sel, (p) => Math.abs(Number(p.rater) - Number(nearestPoint(p.human, scale))) <= 1), seed, resamples, conversations);
  return out;
}

/**
 * Judges against people: per criterion, each judge and the panel compared with the human consensus of the
 * labelled units; the human-human agreement as the ceiling; and a recommendation (weights ∝ alpha with
 * people, judges below alpha 0.3 dropped, bias noted). Pure; CIs are seeded bootstraps over units.
 */
export function calibrate(report: Report, labels: readonly HumanLabel[], options: { seed?: number; resamples?: number; consensus?: ConsensusMethod } = {}): Calibration {
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 1000;
  const judges = report.run.judges.map((j) => j.id);
  const criteria: CriterionCalibration[] = [];
  for (const summary of report.criteria) {
    const scale = summary.scale;
    // Logprob-weighted judges give continuous scores: their distances mean something (interval), as in the report.
    const level = levelOf(scale, report.run.judges.some((j) => j.score_mode === 'logprob'));
    const perRater = new Map<string, Pair[]>([...judges, 'panel'].map((r) => [r, []]));
    const humanTable: Score[][] = [];
    const humanItems: string[] = [];
    const voted: VotedUnit[] = [];
    const annotators = new Set<string>();
    const reference = humanReference(summary.rubric, summary.criterion, scale, labels, options.consensus);
    for (const item of report.items) {
      for (const unit of item.results) {
        if (unit.rubric !== summary.rubric || unit.criterion !== summary.criterion) continue;
        const matching = labels.filter((l) => labelMatches(l, item.id, unit.rubric, unit.criterion, unit.turn) && scalePoints(scale).some((p) => p === l.score));
        const mine = matching.filter((l) => !isAnswer(l));
        const adjudicated = matching.find(isAnswer);
        if (mine.length === 0 && !adjudicated) continue;
        mine.forEach((l) => annotators.add(l.annotator));
        const samples = new Map(judges.map((judge) => [judge, unit.verdicts.flatMap((v) => (v.judge === judge && v.status === 'scored' ? [v.score] : []))]));
        // Per vote, every unit with votes counts, tied or not: there is no consensus to tie.
        // A vote is a point of the scale; a logprob-weighted verdict (a mean over the points) is matched at its nearest point.
        const asPoints = scale.type === 'categorical' ? samples : new Map([...samples].map(([judge, scores]) => [judge, scores.map((s) => nearestPoint(Number(s), scale))]));
        if (mine.length) voted.push({ item: item.id, votes: mine.map((l) => ({ annotator: l.annotator, score: l.score })), judges: asPoints });
        // People's agreement among themselves takes every unit they rated, whether their consensus ties or not.
        if (mine.length) {
          humanTable.push(mine.map((l) => l.score));
          humanItems.push(item.id);
        }
        const human = reference.of(item.id, unit.turn, adjudicated);
        if (human === null) continue;
        const humanMean = scale.type === 'categorical' ? 0 : mine.length ? mine.reduce((s, l) => s + Number(l.score), 0) / mine.length : Number(human);
        if (unit.panel.status === 'scored') perRater.get('panel')!.push({ rater: unit.panel.score, human, humanMean, item: item.id });
        for (const judge of judges) {
          const scores = samples.get(judge)!;
          if (scores.length === 0) continue;
          // A judge's samples: the most frequent label (none when its samples tie), or their mean.
          const score = scale.type === 'categorical' ? consensus(scores, scale) : scores.reduce<number>((s, x) => s + Number(x), 0) / scores.length;
          if (score !== undefined) perRater.get(judge)!.push({ rater: score, human, humanMean, item: item.id });
        }
      }
    }
    const labelled = reference.units();
    if (labelled === 0 && voted.length === 0) continue;
    const width = Math.max(0, ...humanTable.map((r) => r.length));
    const padded = humanTable.map((r) => [...r, ...Array<null>(width - r.length).fill(null)]);
    const human_alpha = width >= 2 ? withCi(padded.length, (sel) => krippendorffAlpha(pick(padded, sel), level), seed, resamples, humanItems) : null;
    const tie = scale.type === 'categorical' ? scale.tie : undefined;
    const perVote = new Map(judges.map((j) => [j, judgeVsPeople(j, voted, tie, seed, resamples)]));
    const raters = [...perRater].map(([rater, pairs]) => {
      const calibration = raterCalibration(rater, pairs, scale, seed, resamples, level);
      const mine = perVote.get(rater);
      if (mine && mine.with_ties.pairs > 0) calibration.per_vote = { with_ties: mine.with_ties, ...(mine.without_ties ? { without_ties: mine.without_ties } : {}), per_annotator: mine.per_annotator };
      return calibration;
    });
    const people = peopleVsPeople(voted, tie, seed, resamples);
    const human_pairs = people.with_ties.pairs > 0 ? people : null;
    const recommendation = recommend(raters, labelled);
    if (voted.length >= MIN_UNITS_FOR_ADVICE) recommendation.notes.push(...ceilingNotes([...perVote.values()], human_pairs));
    criteria.push({ rubric: summary.rubric, criterion: summary.criterion, level, labelled_units: labelled, annotators: annotators.size, human_alpha, human_pairs, raters, recommendation, ...reference.described() });
  }
  return { label: report.run.label, seed, resamples, criteria, dropped: droppedLabels(report, labels) };
}

/**
 * The human reference of each labelled unit: an adjudicated label when there is one, else the consensus of the
 * votes by the chosen method: the default (median on ordinal scales, most frequent label otherwise),
 * `majority`, `median`, or Dawid–Skene's most probable point. Ties (two labels equally frequent, a median
 * between two points, equal posteriors) are left out and counted under every method.
 */
function humanReference(rubric: string, criterion: string, scale: Scale, labels: readonly HumanLabel[], method: ConsensusMethod | undefined) {
  let ties = 0;
  let adjudicatedUnits = 0;
  let units = 0;
  let decided: Map<string, number | string | null> | undefined;
  let model: ReturnType<typeof fitModel> | undefined;
  {
    const full = `${rubric}/${criterion}`;
    const mine = labels.filter((l) => namesCriterion(l.criterion, rubric, criterion)).map((l) => ({ ...l, criterion: full }));
    const level = levelOf(scale) === 'ordinal' ? 'ordinal' : 'nominal';
    const [table] = labelTables(mine, { scales: new Map([[full, { level, points: scalePoints(scale) }]]) });
    if (table) {
      model = method === 'dawid-skene' && table.annotators.length > 0 ? fitModel(table) : undefined;
      const values = unitConsensus(table, method === 'dawid-skene' && !model ? 'majority' : method ?? 'median', model);
      decided = new Map(table.units.map((u, i) => [u, values[i]!]));
    }
  }
  return {
    of(item: string, turn: number | undefined, adjudicated: HumanLabel | undefined): Score | null {
      if (adjudicated) adjudicatedUnits++;
      const value = adjudicated ? adjudicated.score : decided?.get(unitKey(item, turn)) ?? null;
      if (value === null) ties++;
      else units++;
      return value;
    },
    units: () => units,
    described: () => (method || adjudicatedUnits || ties ? { consensus: { method: method ?? ('default' as const), ties, adjudicated: adjudicatedUnits, ...(model ? { model: { iterations: model.fit.iterations, converged: model.fit.converged } } : {}) } } : {}),
  };
}

/** Counts the labels no criterion could use, by reason. */
export function droppedLabels(report: Report, labels: readonly HumanLabel[]): DroppedLabels {
  const out: DroppedLabels = { off_scale: 0, unknown_criterion: 0, no_unit: 0, examples: [] };
  const units = new Set<string>();
  for (const item of report.items) for (const u of item.results) units.add(`${item.id}\u0000${u.rubric}/${u.criterion}\u0000${u.turn ?? ''}`);
  const note = (label: HumanLabel, reason: string) => {
    if (out.examples.length < 5) out.examples.push(`${label.item} / ${label.criterion}${label.turn ? ` turn ${label.turn}` : ''}: ${reason}`);
  };
  for (const label of labels) {
    const summary = report.criteria.find((c) => namesCriterion(label.criterion, c.rubric, c.criterion));
    if (!summary) {
      out.unknown_criterion++;
      note(label, 'no such criterion in the report');
    } else if (!scalePoints(summary.scale).some((p) => p === label.score)) {
      out.off_scale++;
      note(label, `score ${JSON.stringify(label.score)} is not on the scale`);
    } else if (!units.has(`${label.item}\u0000${summary.rubric}/${summary.criterion}\u0000${label.turn ?? ''}`)) {
      out.no_unit++;
      note(label, 'no unit of the report has this item');
    }
  }
  return out;
}

/**
 * Advice only where the labels support it. Below MIN_UNITS_FOR_ADVICE labelled units: none. A judge is dropped
 * only when its whole interval lies below DROP_BELOW_ALPHA; one whose interval straddles it is "undecided", with
 * the number of labelled units that would narrow the interval enough to decide (an interval's width shrinks
 * about as 1/√n). "X alone is better than the panel" only when their intervals do not overlap.
 */
function recommend(raters: RaterCalibration[], units: number): CriterionCalibration['recommendation'] {
  const judges = raters.filter((r) => r.rater !== 'panel');
  if (units < MIN_UNITS_FOR_ADVICE) {
    return { weights: null, drop: [], notes: [`only ${units} labelled unit${units === 1 ? '' : 's'}: no advice (at least ${MIN_UNITS_FOR_ADVICE} are needed before intervals mean anything)`] };
  }
  const notes: string[] = [];
  const drop: { judge: string; why: string }[] = [];
  for (const r of judges) {
    const { value, ci } = r.alpha;
    if (value === null) notes.push(`${r.rater}: its agreement with people is undefined (${r.alpha.reason}); no advice`);
    else if (ci && ci.high < DROP_BELOW_ALPHA) drop.push({ judge: r.rater, why: `alpha with the human consensus is ${value.toFixed(2)} (95% CI ${ci.low.toFixed(2)}–${ci.high.toFixed(2)}), all below ${DROP_BELOW_ALPHA}` });
    else if (ci && ci.low < DROP_BELOW_ALPHA && value < DROP_BELOW_ALPHA) {
      notes.push(`${r.rater}: alpha ${value.toFixed(2)} (95% CI ${ci.low.toFixed(2)}–${ci.high.toFixed(2)}) may or may not be below ${DROP_BELOW_ALPHA}: about ${moreUnitsToDecide(units, ci, value)} more labelled units would decide whether to drop it`);
    }
  }
  const kept = judges.filter((r) => !drop.some((d) => d.judge === r.rater));
  // Among the judges kept: a dropped judge's doubt says nothing about whether the others can be weighted.
  const undecided = kept.filter((r) => r.alpha.value === null || (r.alpha.ci !== null && r.alpha.ci.low <= 0));
  const total = kept.reduce((s, r) => s + Math.max(0, r.alpha.value ?? 0), 0);
  let weights: Record<string, number> | null = null;
  if (total <= 0 || undecided.length === kept.length) notes.push('no weights: no judge agrees with people reliably above chance on these labels');
  else weights = Object.fromEntries(judges.map((r) => [r.rater, kept.includes(r) ? Math.max(0, r.alpha.value ?? 0) / total : 0]));
  for (const r of judges) {
    const b = r.bias;
    if (b?.value == null || Math.abs(b.value) < BIAS_NOTE) continue;
    // A bias is noted when its interval excludes zero; otherwise it may be noise.
    if (b.ci && (b.ci.low > 0 || b.ci.high < 0)) notes.push(`${r.rater} is ${b.value > 0 ? 'lenient' : 'harsh'}: ${b.value > 0 ? '+' : ''}${b.value.toFixed(2)} points against people on average (95% CI ${b.ci.low.toFixed(2)}–${b.ci.high.toFixed(2)})`);
  }
  const panel = raters.find((r) => r.rater === 'panel');
  const best = judges.reduce<RaterCalibration | undefined>((a, r) => ((r.alpha.value ?? -Infinity) > (a?.alpha.value ?? -Infinity) ? r : a), undefined);
  if (panel?.alpha.value != null && best?.alpha.value != null && panel.alpha.ci && best.alpha.ci) {
    if (best.alpha.ci.low > panel.alpha.ci.high) notes.push(`${best.rater} alone agrees with people better than the panel (intervals apart)`);
    else if (panel.alpha.ci.low > best.alpha.ci.high) notes.push('the panel agrees with people better than any one of its judges (intervals apart)');
    else notes.push(`the panel and ${best.rater}, its best judge, cannot be told apart on ${units} labelled units (their intervals overlap)`);
  }
  return { weights, drop, notes };
}

/**
 * The ceiling, like for like: each judge's agreement with each person's vote against people's agreement with
 * each other's votes (not a judge-vs-majority figure against a person-vs-person one).
 */
function ceilingNotes(judges: readonly JudgeVsPeople[], people: PeopleVsPeople | null): string[] {
  if (!people) return [];
  return judges.flatMap((j) => ceilingNote(j, people) ?? []);
}

/**
 * Labelled units to add so that the interval around `value` no longer reaches DROP_BELOW_ALPHA from where the
 * estimate is: the half-width shrinks about as 1/√n, so n' = n × (half-width / distance)².
 */
export function moreUnitsToDecide(units: number, ci: { low: number; high: number }, value: number): number {
  const halfWidth = (ci.high - ci.low) / 2;
  const distance = Math.max(Math.abs(value - DROP_BELOW_ALPHA), 0.02);
  // Less a hair: (0.2 / 0.1)² is 4.000000000000001 in floating point, and that is not one unit more.
  return Math.max(1, Math.ceil(units * (halfWidth / distance) ** 2 - 1e-9) - units);
}
