import { criterionAgreement, meanWithInterval } from '../aggregate/criterion-agreement.js';
import { combine, panelScore, type Method, type PanelResult, type Quorum } from '../aggregate/panel.js';
import { representativeSample, testRetest } from '../aggregate/samples.js';
import type { JournalRecord } from '../journal/journal.js';
import type { VerdictSource, WeightedNote } from '../judges/verdict.js';
import { callKey, type Unit } from '../plan/plan.js';
import { isNumericScale, scalePoints, type Criterion, type Rubric, type Score } from '../rubric/rubric.js';
import { compareIds } from '../format/compare-ids.js';
import type { CoincidenceTally, SumTally } from '../stats/resample-tally.js';
import { itemPreferences, pairwiseSummary } from '../aggregate/pairwise.js';
import { POINTWISE_REPORT_VERSION, REPORT_FORMAT, SIMULATED_NOTICE, type PairwiseReport, type CriterionSummary, type ItemResult, type Report, type ReportHead, type ReportVerdict, type UnitResult, type LogprobFields } from './report.js';

export interface ReportJudge {
  id: string;
  provider: string;
  model: string;
  samples: number;
  simulated: boolean;
  /** Logprob-weighted scores: continuous, so agreement is read at the interval level. */
  score_mode?: 'logprob';
}

export interface ReportInput {
  label: string;
  configHash: string;
  aggregation: { method: Method; quorum: Quorum; resamples?: number };
  rubrics: readonly Rubric[];
  judges: readonly ReportJudge[];
  units: readonly Unit[];
  /** Verdicts by call key; a missing key is a verdict not obtained (an interrupted run). */
  verdicts: VerdictSource;
  /** How to finish an interrupted run, shown in the report when verdicts are missing. */
  resumeHint?: string;
  /** An item's transcript metadata, written with the item so reports can be sliced by it. */
  metadataOf?: (item: string) => Record<string, unknown> | undefined;
  /** Bootstrap resamples tallied while the run judged (summary-tally.ts); the summaries check them before use. */
  tallies?: { of(rubric: string, criterion: string): { alpha?: CoincidenceTally; mean?: SumTally } | undefined };
  /** Set for a pairwise run. */
  pairwise?: {
    names: { base: string; candidate: string };
    orders: 'both' | 'one' | 'imported';
    seed: number;
    lengthsOf?: (item: string) => NonNullable<ItemResult['lengths']>;
  };
}

/** Journal records held in memory, by call key, as a source of verdicts (merges, imports, tests). */
export function recordSource(records: ReadonlyMap<string, JournalRecord>, units: readonly Unit[]): VerdictSource {
  const verdict = (unitIndex: number, judge: string, sample: number) => records.get(callKey(units[unitIndex]!.key, judge, sample))?.verdict;
  return {
    outcome: (unitIndex, judge, sample) => {
      const v = verdict(unitIndex, judge, sample);
      return v === undefined ? undefined : v.status === 'scored' ? { status: 'scored', score: v.score } : { status: 'failed' };
    },
    verdict,
  };
}

/** The whole report in memory. Pure: same input, same report. Runs write theirs item by item (write.ts). */
export function buildReport(input: ReportInput): Report {
  return { ...reportHead(input), items: [...reportItems(input)] };
}

/** The report without its items: criteria summaries, agreement, judge errors. Reads scores only. */
export function reportHead(input: ReportInput): ReportHead {
  const judges = sortedJudges(input);
  const criteria = criteriaByKey(input.rubrics);
  const perCriterion = new Map<string, Bucket>();
  let planned = 0;
  const judgeCounts = new Map(judges.map((j) => [j.id, { verdicts: 0, failed: 0 }]));

  input.units.forEach((unit, unitIndex) => {
    const criterion = criterionOf(criteria, unit);
    const key = `${unit.rubric}/${unit.criterion}`;
    const bucket = perCriterion.get(key) ?? emptyBucket(criterion);
    perCriterion.set(key, bucket);
    const { perJudge, panel } = unitScores(input, judges, criterion, unitIndex);
    const judgeScores: (Score | null)[] = [];
    const ratings: (Score | null)[] = [];
    judges.forEach((judge, j) => {
      const { samples, verdicts, failed, combined, rating } = perJudge[j]!;
      const counts = judgeCounts.get(judge.id)!;
      planned += judge.samples;
      counts.verdicts += verdicts;
      counts.failed += failed;
      bucket.failed += failed;
      for (const score of samples) bucket.distribution[String(score)] = (bucket.distribution[String(score)] ?? 0) + 1;
      judgeScores.push(combined);
      ratings.push(rating);
      if (judge.samples > 1) {
        const list = bucket.samples.get(judge.id);
        if (list) list.push(samples);
        else bucket.samples.set(judge.id, [samples]);
      }
      if (combined !== null) {
        const list = bucket.judgeScores.get(judge.id);
        if (list) list.push(combined);
        else bucket.judgeScores.set(judge.id, [combined]);
      }
    });
    bucket.units++;
    if (panel.status === 'scored') {
      bucket.scored.push(panel.score);
      bucket.scoredConversations.push(unit.item);
      // A panel short of a judge: its mean is not comparable with a full panel's (a lenient judge missing moves it).
      if (judgeScores.some((s) => s === null)) bucket.partial.push(unit.item);
      else bucket.complete.push(Number(panel.score));
      if (panel.spread > 0) bucket.disputed.push({ item: unit.item, turn: unit.turn, spread: panel.spread });
    }
    bucket.table.push(ratings);
    bucket.conversations.push(unit.item);
  });

  const summaries: CriterionSummary[] = [];
  for (const rubric of input.rubrics) {
    for (const criterion of rubric.criteria) {
      const bucket = perCriterion.get(`${rubric.id}/${criterion.id}`) ?? emptyBucket(criterion);
      const numeric = isNumericScale(criterion.scale);
      const tallied = input.tallies?.of(rubric.id, criterion.id);
      const summary: CriterionSummary = {
        rubric: rubric.id,
        criterion: criterion.id,
        scale: criterion.scale,
        weight: criterion.weight,
        units: bucket.units,
        scored: bucket.scored.length,
        unscored: bucket.units - bucket.scored.length,
        mean: numeric ? mean(bucket.scored.map(Number)) : null,
        // Per-turn units are resampled by conversation (a cluster bootstrap); one unit per item is unchanged.
        mean_ci: numeric ? meanWithInterval(bucket.scored, bucket.scoredConversations, input.aggregation.resamples, tallied?.mean).ci : null,
        agreement: criterionAgreement(bucket.table, judges.map((j) => j.id), criterion.scale, bucket.conversations, input.aggregation.resamples, judges.some((j) => j.score_mode), tallied?.alpha),
        most_disputed: mostDisputed(bucket.disputed),
        distribution: bucket.distribution,
        judge_means: Object.fromEntries(judges.map((j) => [j.id, numeric ? mean((bucket.judgeScores.get(j.id) ?? []).map(Number)) : null])),
        failed_verdicts: bucket.failed,
      };
      if (criterion.better === 'lower') summary.better = 'lower';
      if (numeric && bucket.partial.length) {
        summary.partial_panels = { units: bucket.partial.length, items: [...new Set(bucket.partial)].sort(compareIds).slice(0, 10), complete_units: bucket.complete.length, complete_mean: mean(bucket.complete) };
      }
      if (bucket.samples.size) summary.test_retest = Object.fromEntries([...bucket.samples].map(([judge, units]) => [judge, testRetest(units, criterion.scale)]));
      if (!numeric) {
        summary.panel_distribution = Object.fromEntries(scalePoints(criterion.scale).map((p) => [String(p), bucket.scored.filter((s) => s === p).length]));
      }
      summaries.push(summary);
    }
  }

  const simulated = judges.some((j) => j.simulated);
  const judgeErrors: Report['judge_errors'] = {};
  for (const [id, { verdicts, failed }] of judgeCounts) judgeErrors[id] = { verdicts, failed, error_rate: verdicts ? failed / verdicts : 0 };
  const missing = planned - Object.values(judgeErrors).reduce((n, j) => n + j.verdicts, 0);
  return {
    format: REPORT_FORMAT.format,
    version: input.pairwise ? REPORT_FORMAT.version : POINTWISE_REPORT_VERSION,
    simulated,
    ...(simulated ? { notice: SIMULATED_NOTICE } : {}),
    ...(missing > 0 ? { incomplete: { missing_verdicts: missing, resume: input.resumeHint ?? 'jury run --resume <run folder>' } } : {}),
    judge_errors: judgeErrors,
    run: {
      label: input.label,
      config_hash: input.configHash,
      aggregation: input.aggregation,
      rubrics: input.rubrics.map((r) => ({ id: r.id, version: r.version, title: r.title, scope: r.scope })).sort((a, b) => compareIds(a.id, b.id)),
      judges: judges.map((j) => ({ id: j.id, provider: j.provider, model: j.model, samples: j.samples, simulated: j.simulated, ...(j.score_mode ? { score_mode: j.score_mode } : {}) })),
    },
    criteria: summaries.sort((a, b) => compareIds(`${a.rubric}/${a.criterion}`, `${b.rubric}/${b.criterion}`)),
    ...(input.pairwise ? { pairwise: pairwiseReport(input, judges) } : {}),
  };
}

function pairwiseReport(input: ReportInput, judges: readonly ReportJudge[]): PairwiseReport {
  const { names, orders, seed, lengthsOf } = input.pairwise!;
  const summary = pairwiseSummary({ units: input.units, rubrics: input.rubrics, judges, verdicts: input.verdicts, quorum: input.aggregation.quorum, ...(input.aggregation.resamples ? { resamples: input.aggregation.resamples } : {}), ...(orders === 'imported' ? { positionUnknown: true } : {}), ...(lengthsOf ? { messagesOf: (item: string) => { const l = lengthsOf(item); return { base: l.base.messages, candidate: l.candidate.messages }; } } : {}) });
  return { base: names.base, candidate: names.candidate, orders, seed, ...summary };
}

/**
 * The report's items, one at a time, in id order, from the `from`-th on; each unit with its panel score and
 * every verdict with its reasoning. Only one item's verdicts are in memory at once.
 */
export function* reportItems(input: ReportInput, from = 0): Generator<ItemResult> {
  const order = itemOrder(input);
  const render = itemRenderer(input);
  for (let at = from; at < order.length; at++) yield render(order[at]!.id, order[at]!.units);
}

/** The report's items in id order, each with its units' indexes in the plan. */
export function itemOrder(input: Pick<ReportInput, 'units'>): { id: string; units: number[] }[] {
  const unitsByItem = new Map<string, number[]>();
  input.units.forEach((unit, i) => {
    const list = unitsByItem.get(unit.item);
    if (list) list.push(i);
    else unitsByItem.set(unit.item, [i]);
  });
  return [...unitsByItem.keys()].sort(compareIds).map((id) => ({ id, units: unitsByItem.get(id)! }));
}

/** Makes one item of the report from its units' verdicts (read from `input.verdicts` when called). */
export function itemRenderer(input: ReportInput): (id: string, unitIndexes: readonly number[]) => ItemResult {
  const judges = sortedJudges(input);
  const criteria = criteriaByKey(input.rubrics);
  return (id, unitIndexes) => {
    const results: UnitResult[] = unitIndexes.map((unitIndex) => {
      const unit = input.units[unitIndex]!;
      const criterion = criterionOf(criteria, unit);
      const verdicts: ReportVerdict[] = [];
      const judgeScores: (Score | null)[] = [];
      for (const judge of judges) {
        const samples: Score[] = [];
        for (let sample = 0; sample < judge.samples; sample++) {
          const v = input.verdicts.verdict(unitIndex, judge.id, sample);
          if (!v) continue;
          if (v.status === 'scored') {
            samples.push(v.score);
            verdicts.push({ judge: judge.id, sample, status: 'scored', score: v.score, reasoning: v.reasoning, cited_turns: v.citedTurns, ...logprobFields(v.weighted) });
          } else {
            verdicts.push({ judge: judge.id, sample, status: 'failed', cause: v.cause });
          }
        }
        judgeScores.push(samples.length ? combine(samples, input.aggregation.method, criterion.scale) : null);
      }
      const panel = panelOf(judgeScores, judges.length, input.aggregation, criterion);
      return { rubric: unit.rubric, criterion: unit.criterion, ...(unit.turn === undefined ? {} : { turn: unit.turn }), ...(unit.order === undefined ? {} : { order: unit.order }), panel, verdicts };
    });
    const metadata = input.metadataOf?.(id);
    const lengths = input.pairwise?.lengthsOf?.(id);
    const preferences = input.pairwise ? itemPreferences(unitIndexes, { units: input.units, rubrics: input.rubrics, judges, verdicts: input.verdicts, quorum: input.aggregation.quorum }) : undefined;
    return { id, ...(metadata && Object.keys(metadata).length ? { metadata } : {}), ...(lengths ? { lengths } : {}), ...(preferences ? { preferences } : {}), results };
  };
}

/** One unit's scores: per judge (in `judges`' order) what it returned, its combined score and its rating for agreement; the panel's result. */
export function unitScores(input: Pick<ReportInput, 'verdicts' | 'aggregation'>, judges: readonly ReportJudge[], criterion: Criterion, unitIndex: number): { perJudge: JudgeScores[]; panel: PanelResult } {
  const perJudge = judges.map((judge): JudgeScores => {
    const samples: Score[] = [];
    let verdicts = 0;
    let failed = 0;
    for (let sample = 0; sample < judge.samples; sample++) {
      const outcome = input.verdicts.outcome(unitIndex, judge.id, sample);
      if (!outcome) continue;
      verdicts++;
      if (outcome.status === 'scored') samples.push(outcome.score);
      else failed++;
    }
    const combined = samples.length ? combine(samples, input.aggregation.method, criterion.scale) : null;
    // Agreement counts each judge once, by one of its own ratings (never an off-scale mean of samples).
    return { samples, verdicts, failed, combined, rating: samples.length ? representativeSample(samples, criterion.scale) : null };
  });
  return { perJudge, panel: panelOf(perJudge.map((j) => j.combined), judges.length, input.aggregation, criterion) };
}

interface JudgeScores {
  samples: Score[];
  verdicts: number;
  failed: number;
  combined: Score | null;
  rating: Score | null;
}

export function sortedJudges(input: Pick<ReportInput, 'judges'>): ReportJudge[] {
  return [...input.judges].sort((a, b) => compareIds(a.id, b.id));
}

export function criteriaByKey(rubrics: readonly Rubric[]): Map<string, Criterion> {
  return new Map(rubrics.flatMap((rubric) => rubric.criteria.map((c) => [`${rubric.id}/${c.id}`, c] as const)));
}

function criterionOf(criteria: ReadonlyMap<string, Criterion>, unit: Unit): Criterion {
  const criterion = criteria.get(`${unit.rubric}/${unit.criterion}`);
  if (!criterion) throw new Error(`unit ${unit.key} names an unknown criterion`);
  return criterion;
}

function panelOf(judgeScores: readonly (Score | null)[], panelSize: number, aggregation: ReportInput['aggregation'], criterion: Criterion): PanelResult {
  return panelScore(judgeScores.filter((s): s is Score => s !== null), panelSize, aggregation.method, aggregation.quorum, criterion.scale);
}

/** What the summary of one criterion needs, accumulated unit by unit. */
interface Bucket {
  units: number;
  /** Panel scores of the scored units. */
  scored: Score[];
  /** Panel scores of the units every judge scored, and the items of the scored units some judge missed. */
  complete: number[];
  partial: string[];
  /** Per judge that samples several times: its scored samples on each unit, for test–retest reliability. */
  samples: Map<string, Score[][]>;
  /** The item (conversation) of each scored unit: per-turn units are resampled by conversation. */
  scoredConversations: string[];
  disputed: { item: string; turn?: number; spread: number }[];
  /** Units × judges: each judge's rating (one of its samples: representativeSample), null when it returned none. */
  table: (Score | null)[][];
  /** The item of each row of `table`. */
  conversations: string[];
  judgeScores: Map<string, Score[]>;
  /** Scored verdicts per scale point, over every judge and sample. */
  distribution: Record<string, number>;
  failed: number;
}

function emptyBucket(criterion: Criterion): Bucket {
  return { units: 0, scored: [], complete: [], partial: [], samples: new Map(), scoredConversations: [], disputed: [], table: [], conversations: [], judgeScores: new Map(), distribution: Object.fromEntries(scalePoints(criterion.scale).map((p) => [String(p), 0])), failed: 0 };
}

function mostDisputed(disputed: Bucket['disputed']): CriterionSummary['most_disputed'] {
  return [...disputed]
    .sort((a, b) => b.spread - a.spread || compareIds(a.item, b.item) || (a.turn ?? 0) - (b.turn ?? 0))
    .slice(0, 5)
    .map(({ item, turn, spread }) => (turn === undefined ? { item, spread } : { item, turn, spread }));
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}

function logprobFields(weighted: WeightedNote | undefined): LogprobFields {
  if (!weighted) return {};
  return 'fallback' in weighted ? { score_note: `the score written: ${weighted.fallback}` } : { sampled_score: weighted.sampled, logprob_mass: weighted.mass };
}
