import type { Quorum } from './panel.js';
import { requiredQuorum } from './panel.js';
import { criterionAgreement, REPORT_RESAMPLES, REPORT_SEED, type CriterionAgreement } from './criterion-agreement.js';
import { outcomeOf, pairPreference, sideOf, type Side } from './pairwise-rule.js';
import type { VerdictSource } from '../judges/verdict.js';
import type { PairOrder, Unit } from '../plan/plan.js';
import { isPairwiseRubric, labelPreference } from '../rubric/pairwise.js';
import type { Rubric, Scale } from '../rubric/rubric.js';
import { holm } from '../stats/paired.js';
import { signTest } from '../stats/sign-test.js';
import { withCi, type Stat } from '../stats/stat.js';
import { compareIds } from '../format/compare-ids.js';

// A pairwise run's results: per criterion the candidate's wins, ties and losses with a win rate, its interval and
// a sign test (Holm across criteria); per judge how its verdicts depend on the order shown.

export interface PairwiseJudge {
  id: string;
  samples: number;
}

export interface PairwiseCriterion {
  rubric: string;
  criterion: string;
  levels: 3 | 5;
  /** Pairs with a panel preference, and those without one (quorum not met, a verdict missing). */
  pairs: number;
  unscored: number;
  /** The candidate's, by the panel's preference on each pair. */
  wins: number;
  ties: number;
  losses: number;
  /** (wins + ties / 2) / pairs, with a 95% BCa bootstrap interval over pairs. */
  win_rate: Stat;
  /** Exact two-sided sign test of wins against losses (ties left out); `p_holm` adjusted across the criteria. */
  sign_test: { p: number | null; p_holm: number | null; reason?: string };
  /** Judges' agreement on each pair's combined verdict (candidate / tie / base), nominal. */
  agreement: CriterionAgreement;
  /** Pairs the candidate lost most clearly (lowest panel preference), at most five, with what each judge said. */
  largest_losses: PairwiseLoss[];
}

export interface PairwiseLoss {
  item: string;
  preference: number;
  /** `cited`: the turns the judge cited, in each conversation's own numbering (B's turns are numbered on from A's in the prompt). */
  verdicts: { judge: string; sample: number; order: PairOrder; label: string; prefers: Side; reasoning: string; cited: { base: number[]; candidate: number[] } }[];
}

/** How one judge's verdicts depend on position, over every pairwise criterion. */
export interface PositionBias {
  judge: string;
  /** Pair × criterion × sample judged in both orders: the share with the same winner (or tie) both times. */
  consistency: Stat & { pairs: number };
  /** Verdicts that picked a side: the share that picked the conversation shown first (½ when position does not matter). */
  first_preference: Stat & { decisive: number };
}

export interface PairwiseSummary {
  criteria: PairwiseCriterion[];
  position: PositionBias[];
}

export interface PairwiseInput {
  units: readonly Unit[];
  rubrics: readonly Rubric[];
  judges: readonly PairwiseJudge[];
  verdicts: VerdictSource;
  quorum: Quorum;
  resamples?: number;
  /** Verdicts imported already combined: the order shown is unknown, so position cannot be measured. */
  positionUnknown?: boolean;
  /** Messages in each side's conversation, to read cited turns per conversation (absent: all read as the first's). */
  messagesOf?: (item: string) => { base: number; candidate: number } | undefined;
}

const OUTCOME_SCALE: Scale = { type: 'categorical', labels: ['base', 'tie', 'candidate'], tie: 'tie' };

export function pairwiseSummary(input: PairwiseInput): PairwiseSummary {
  const resamples = input.resamples ?? REPORT_RESAMPLES;
  const judges = [...input.judges].sort((a, b) => compareIds(a.id, b.id));
  const groups = groupUnits(input.units);
  const levelsOf = new Map<string, 3 | 5>(input.rubrics.flatMap((r) => (isPairwiseRubric(r) ? r.criteria.map((c) => [`${r.id}/${c.id}`, r.compares.levels] as const) : [])));
  const criteria: PairwiseCriterion[] = [];
  for (const [key, pairs] of groups) {
    const [rubric, criterion] = key.split('/') as [string, string];
    criteria.push(criterionResult(rubric, criterion, levelsOf.get(key) ?? 3, pairs, judges, input, resamples));
  }
  criteria.sort((a, b) => compareIds(`${a.rubric}/${a.criterion}`, `${b.rubric}/${b.criterion}`));
  // Holm over the criteria that have a test: one with every pair a tie tests nothing and does not widen the family.
  const tested = criteria.filter((c) => c.sign_test.p !== null);
  const adjusted = holm(tested.map((c) => c.sign_test.p!));
  tested.forEach((c, i) => {
    c.sign_test.p_holm = adjusted[i]!;
  });
  const unknown = (reason: string) => ({ value: null, ci: null, reason });
  const position = input.positionUnknown
    ? judges.map((j) => ({ judge: j.id, consistency: { ...unknown('the verdicts were imported already combined: the order each pair was shown in is not known'), pairs: 0 }, first_preference: { ...unknown('the verdicts were imported already combined: the order each pair was shown in is not known'), decisive: 0 } }))
    : judges.map((j) => positionBias(j, groups, input, resamples));
  return { criteria, position };
}

/** A pair on one criterion: the plan's unit index for each order judged. */
export interface PairUnits {
  item: string;
  units: { order: PairOrder; index: number }[];
}

/** Units grouped by `rubric/criterion`, then by item, in plan order. */
function groupUnits(units: readonly Unit[]): Map<string, PairUnits[]> {
  const out = new Map<string, Map<string, PairUnits>>();
  units.forEach((unit, index) => {
    if (!unit.order) return;
    const key = `${unit.rubric}/${unit.criterion}`;
    const byItem = out.get(key) ?? new Map<string, PairUnits>();
    out.set(key, byItem);
    const pair = byItem.get(unit.item) ?? { item: unit.item, units: [] };
    byItem.set(unit.item, pair);
    pair.units.push({ order: unit.order, index });
  });
  return new Map([...out].map(([key, byItem]) => [key, [...byItem.values()]]));
}

/** One judge's preference on one pair: the mean over its samples of each sample's combined verdict. */
function judgePreference(pair: PairUnits, judge: PairwiseJudge, input: Pick<PairwiseInput, 'verdicts'>, levels: 3 | 5): { preference: number | null; side: Side | null } {
  const values: number[] = [];
  for (let sample = 0; sample < judge.samples; sample++) {
    const verdicts: { label: string; order: PairOrder }[] = [];
    for (const u of pair.units) {
      const outcome = input.verdicts.outcome(u.index, judge.id, sample);
      if (outcome?.status === 'scored') verdicts.push({ label: String(outcome.score), order: u.order });
    }
    // Both orders were asked: the rule needs both (one alone would let position decide).
    if (verdicts.length < pair.units.length) continue;
    const value = pairPreference(verdicts, levels);
    if (value !== null) values.push(value);
  }
  if (values.length === 0) return { preference: null, side: null };
  const preference = values.reduce((a, b) => a + b, 0) / values.length;
  return { preference, side: outcomeOf(preference) };
}

/**
 * The panel's preference on a pair: the mean of the judges' preferences, once the quorum of judges has one (null
 * before). Each judge's side is returned too, for agreement.
 */
export function panelPreference(pair: PairUnits, judges: readonly PairwiseJudge[], input: Pick<PairwiseInput, 'verdicts' | 'quorum'>, levels: 3 | 5): { preference: number | null; sides: (Side | null)[] } {
  const perJudge = judges.map((j) => judgePreference(pair, j, input, levels));
  const present = perJudge.filter((p) => p.preference !== null).map((p) => p.preference!);
  const enough = present.length > 0 && present.length >= requiredQuorum(input.quorum, judges.length);
  return { preference: enough ? present.reduce((a, b) => a + b, 0) / present.length : null, sides: perJudge.map((p) => p.side) };
}

function criterionResult(rubric: string, criterion: string, levels: 3 | 5, pairs: readonly PairUnits[], judges: readonly PairwiseJudge[], input: PairwiseInput, resamples: number): PairwiseCriterion {
  const scored: { item: string; preference: number; pair: PairUnits }[] = [];
  const table: (string | null)[][] = [];
  for (const pair of pairs) {
    const { preference, sides } = panelPreference(pair, judges, input, levels);
    table.push(sides);
    if (preference !== null) scored.push({ item: pair.item, preference, pair });
  }
  const outcomes = scored.map((s) => outcomeOf(s.preference));
  const values: number[] = outcomes.map((o) => (o === 'candidate' ? 1 : o === 'base' ? 0 : 0.5));
  const wins = outcomes.filter((o) => o === 'candidate').length;
  const losses = outcomes.filter((o) => o === 'base').length;
  const winRate = withCi(values.length, (sel) => (sel.length ? { value: Array.from(sel, (i) => values[i]!).reduce((a, b) => a + b, 0) / sel.length } : { value: null, reason: 'no pair' }), REPORT_SEED, resamples);
  const test = signTest(wins, losses);
  return {
    rubric,
    criterion,
    levels,
    pairs: scored.length,
    unscored: pairs.length - scored.length,
    wins,
    ties: outcomes.length - wins - losses,
    losses,
    win_rate: scored.length ? winRate : { value: null, ci: null, reason: 'no pair has a panel verdict' },
    sign_test: test.p === null ? { p: null, p_holm: null, reason: test.reason } : { p: test.p, p_holm: null },
    agreement: criterionAgreement(table, judges.map((j) => j.id), OUTCOME_SCALE, pairs.map((p) => p.item), resamples),
    largest_losses: largestLosses(scored, judges, input),
  };
}

function largestLosses(scored: readonly { item: string; preference: number; pair: PairUnits }[], judges: readonly PairwiseJudge[], input: PairwiseInput): PairwiseLoss[] {
  return scored
    .filter((s) => outcomeOf(s.preference) === 'base')
    .sort((a, b) => a.preference - b.preference || compareIds(a.item, b.item))
    .slice(0, 5)
    .map(({ item, preference, pair }) => ({
      item,
      preference,
      verdicts: judges.flatMap((j) => Array.from({ length: j.samples }, (_, sample) => pair.units.flatMap((u) => {
        const v = input.verdicts.verdict(u.index, j.id, sample);
        return v?.status === 'scored' ? [{ judge: j.id, sample, order: u.order, label: String(v.score), prefers: sideOf(String(v.score), u.order), reasoning: v.reasoning, cited: citedPerSide(v.citedTurns, u.order, input.messagesOf?.(item)) }] : [];
      })).flat()),
    }));
}

function positionBias(judge: PairwiseJudge, groups: ReadonlyMap<string, PairUnits[]>, input: PairwiseInput, resamples: number): PositionBias {
  // One row per (pair, criterion, sample) with both orders scored: 1 when the same side won both times.
  const same: number[] = [];
  const sameItems: string[] = [];
  // One row per decisive verdict: 1 when it picked the conversation shown first.
  const first: number[] = [];
  const firstItems: string[] = [];
  for (const pairs of groups.values()) {
    for (const pair of pairs) {
      for (let sample = 0; sample < judge.samples; sample++) {
        const sides: Side[] = [];
        for (const u of pair.units) {
          const outcome = input.verdicts.outcome(u.index, judge.id, sample);
          if (outcome?.status !== 'scored') continue;
          const label = String(outcome.score);
          sides.push(sideOf(label, u.order));
          const { prefers } = labelPreference(label);
          if (prefers !== 'tie') {
            first.push(prefers === 'A' ? 1 : 0);
            firstItems.push(pair.item);
          }
        }
        if (pair.units.length === 2 && sides.length === 2) {
          same.push(sides[0] === sides[1] ? 1 : 0);
          sameItems.push(pair.item);
        }
      }
    }
  }
  // Rows of one item (its criteria, samples, orders) are resampled together: they are not independent.
  const share = (rows: readonly number[], none: string) => (sel: ArrayLike<number>) => (sel.length ? { value: Array.from(sel, (i) => rows[i]!).reduce((a, b) => a + b, 0) / sel.length } : { value: null, reason: none });
  const consistency = same.length ? withCi(same.length, share(same, 'no pair judged in both orders'), REPORT_SEED, resamples, sameItems) : { value: null, ci: null, reason: 'no pair was judged in both orders' };
  const preference = first.length ? withCi(first.length, share(first, 'no decisive verdict'), REPORT_SEED, resamples, firstItems) : { value: null, ci: null, reason: 'every verdict was a tie' };
  return { judge: judge.id, consistency: { ...consistency, pairs: same.length }, first_preference: { ...preference, decisive: first.length } };
}

/** Each pairwise criterion of one item (its units by plan index): the panel's preference and what it means. */
export function itemPreferences(unitIndexes: readonly number[], input: Omit<PairwiseInput, 'resamples'>): { rubric: string; criterion: string; preference: number | null; winner: Side | null }[] {
  const levelsOf = new Map<string, 3 | 5>(input.rubrics.flatMap((r) => (isPairwiseRubric(r) ? r.criteria.map((c) => [`${r.id}/${c.id}`, r.compares.levels] as const) : [])));
  const byCriterion = new Map<string, PairUnits>();
  for (const index of unitIndexes) {
    const unit = input.units[index]!;
    if (!unit.order) continue;
    const key = `${unit.rubric}/${unit.criterion}`;
    const pair = byCriterion.get(key) ?? { item: unit.item, units: [] };
    byCriterion.set(key, pair);
    pair.units.push({ order: unit.order, index });
  }
  const judges = [...input.judges].sort((a, b) => compareIds(a.id, b.id));
  return [...byCriterion].map(([key, pair]) => {
    const [rubric, criterion] = key.split('/') as [string, string];
    const { preference } = panelPreference(pair, judges, input, levelsOf.get(key) ?? 3);
    return { rubric, criterion, preference, winner: preference === null ? null : outcomeOf(preference) };
  });
}

/**
 * Cited turns in each conversation's own numbering: the prompt numbers the first conversation's messages 1..n and
 * the second's n+1.. (judges/pairwise-request.ts).
 */
export function citedPerSide(turns: readonly number[], order: PairOrder, messages: { base: number; candidate: number } | undefined): { base: number[]; candidate: number[] } {
  const first = order === 'ab' ? 'base' : 'candidate';
  const second = order === 'ab' ? 'candidate' : 'base';
  const out = { base: [] as number[], candidate: [] as number[] };
  const n = messages ? messages[first] : Infinity;
  for (const t of turns) {
    if (t <= n) out[first].push(t);
    else out[second].push(t - n);
  }
  return out;
}
