import type { Report, UnitResult } from '../report/report.js';
import { isNumericScale, scalePoints, type Scale, type Score } from '../rubric/rubric.js';
import { withCi, type Stat } from '../stats/stat.js';
import { modelFamily } from '../aggregate/model-family.js';
import { representativeSample, testRetest, type TestRetest } from '../aggregate/samples.js';
import { pairwiseBias, type PairwiseBias, type SideVote } from './pairwise-bias.js';

/** How one judge uses one criterion, and whether it leans: against the rest of the panel, and towards its own kind. */
export interface JudgeBias {
  judge: string;
  model: string;
  family: string | null;
  /** Scored verdicts, every sample counted. */
  verdicts: number;
  /** Share of the judge's verdicts per scale point, and how many of the scale's points it used. */
  distribution: Record<string, number>;
  scale_used: { points: number; of: number };
  /** Shannon entropy of that distribution in bits: 0 when one point takes every verdict, log2(points) at most. */
  entropy: number | null;
  /** Numeric scales: mean over units of (this judge − the mean of the other judges); above zero is lenient. */
  leniency?: Stat & { units: number };
  /** With samples > 1: the judge's agreement with itself across samples. */
  test_retest?: TestRetest;
  /**
   * Numeric scales, where transcripts say which model produced them (`metadata.agent_model`): the judge's
   * leniency on conversations of its own family minus its leniency on the others.
   */
  self_preference?: Stat & { own_units: number; other_units: number };
}

export interface CriterionBias {
  rubric: string;
  criterion: string;
  scale: Scale;
  judges: JudgeBias[];
}

export interface BiasAudit {
  label: string;
  simulated: boolean;
  seed: number;
  resamples: number;
  criteria: CriterionBias[];
  /** Pairwise runs: each judge's position and length bias. */
  pairwise?: PairwiseBias;
}

/** The model behind a transcript: `metadata.agent_model` (or `model`), as the transcript states it. */
export function agentModel(metadata: Record<string, unknown> | undefined): string | undefined {
  const value = metadata?.agent_model ?? metadata?.model;
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

/** Every criterion's judges audited from a report alone. Pure and seeded. */
export function auditBias(report: Report, options: { seed?: number; resamples?: number; criteria?: (rubric: string, criterion: string) => boolean; votes?: readonly SideVote[] } = {}): BiasAudit {
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 1000;
  const criteria = report.criteria.filter((c) => options.criteria?.(c.rubric, c.criterion) ?? true).map((summary) => {
    const units: { item: string; family: string | null; result: UnitResult }[] = [];
    for (const item of report.items) {
      const model = agentModel(item.metadata);
      for (const result of item.results) {
        if (result.rubric === summary.rubric && result.criterion === summary.criterion) units.push({ item: item.id, family: model ? modelFamily(model) : null, result });
      }
    }
    const judges = report.run.judges.map((judge) => judgeBias(judge, units, summary.scale, { seed, resamples }));
    return { rubric: summary.rubric, criterion: summary.criterion, scale: summary.scale, judges };
  });
  const pairwise = pairwiseBias(report, { seed, resamples }, options.votes);
  return { label: report.run.label, simulated: report.simulated, seed, resamples, criteria, ...(pairwise ? { pairwise } : {}) };
}

type AuditUnit = { item: string; family: string | null; result: UnitResult };

function judgeBias(judge: Report['run']['judges'][number], units: readonly AuditUnit[], scale: Scale, boot: { seed: number; resamples: number }): JudgeBias {
  const points = scalePoints(scale).map(String);
  const counts = new Map(points.map((p) => [p, 0]));
  let verdicts = 0;
  const samples: Score[][] = [];
  for (const { result } of units) {
    const mine = scoresOf(result, judge.id);
    for (const s of mine) counts.set(String(s), (counts.get(String(s)) ?? 0) + 1);
    verdicts += mine.length;
    if (mine.length) samples.push(mine);
  }
  const family = modelFamily(judge.model);
  const out: JudgeBias = {
    judge: judge.id,
    model: judge.model,
    family,
    verdicts,
    distribution: Object.fromEntries(points.map((p) => [p, verdicts ? counts.get(p)! / verdicts : 0])),
    scale_used: { points: points.filter((p) => counts.get(p)! > 0).length, of: points.length },
    entropy: verdicts ? entropy([...counts.values()], verdicts) : null,
  };
  if (judge.samples > 1) out.test_retest = testRetest(samples, scale);
  if (!isNumericScale(scale)) return out;
  // Per unit the judge and at least one other judge scored: the judge's score minus the others' mean.
  const gaps: { item: string; family: string | null; gap: number }[] = [];
  for (const { item, family: agent, result } of units) {
    const mine = scoresOf(result, judge.id);
    if (mine.length === 0) continue;
    const others = [...new Set(result.verdicts.filter((v) => v.judge !== judge.id && v.status === 'scored').map((v) => v.judge))].map((other) => Number(representativeSample(scoresOf(result, other), scale)));
    if (others.length === 0) continue;
    gaps.push({ item, family: agent, gap: Number(representativeSample(mine, scale)) - others.reduce((a, b) => a + b, 0) / others.length });
  }
  const items = gaps.map((g) => g.item);
  const mean = (sel: ArrayLike<number>) => {
    if (sel.length === 0) return { value: null, reason: 'no unit scored by this judge and another' };
    let sum = 0;
    for (let k = 0; k < sel.length; k++) sum += gaps[sel[k]!]!.gap;
    return { value: sum / sel.length };
  };
  out.leniency = { ...withCi(gaps.length, mean, boot.seed, boot.resamples, items), units: gaps.length };
  out.self_preference = selfPreference(gaps, family, items, boot);
  return out;
}

function selfPreference(gaps: readonly { family: string | null; gap: number }[], family: string | null, items: readonly string[], boot: { seed: number; resamples: number }): JudgeBias['self_preference'] {
  const known = gaps.filter((g) => g.family !== null).length;
  const own = gaps.filter((g) => family !== null && g.family === family).length;
  const other = known - own;
  const counts = { own_units: own, other_units: other };
  if (family === null) return { value: null, ci: null, reason: "the judge's model names no family jury knows", ...counts };
  if (known === 0) return { value: null, ci: null, reason: 'no transcript says which model produced it (metadata.agent_model)', ...counts };
  const a = /^[aeiou]/.test(family) ? 'an' : 'a';
  if (own === 0) return { value: null, ci: null, reason: `no conversation here was produced by ${a} ${family} model`, ...counts };
  if (other === 0) return { value: null, ci: null, reason: `every conversation here was produced by ${a} ${family} model: nothing to compare with`, ...counts };
  const lift = (sel: ArrayLike<number>) => {
    let ownSum = 0;
    let ownN = 0;
    let otherSum = 0;
    let otherN = 0;
    for (let k = 0; k < sel.length; k++) {
      const g = gaps[sel[k]!]!;
      if (g.family === null) continue;
      if (g.family === family) {
        ownSum += g.gap;
        ownN++;
      } else {
        otherSum += g.gap;
        otherN++;
      }
    }
    return ownN && otherN ? { value: ownSum / ownN - otherSum / otherN } : { value: null, reason: 'a resample without conversations of both kinds' };
  };
  return { ...withCi(gaps.length, lift, boot.seed, boot.resamples, items), ...counts };
}

/** A judge's scored samples on a unit. */
function scoresOf(result: UnitResult, judge: string): Score[] {
  const out: Score[] = [];
  for (const v of result.verdicts) if (v.judge === judge && v.status === 'scored') out.push(v.score);
  return out;
}

function entropy(counts: readonly number[], total: number): number {
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h === 0 ? 0 : h;
}
