import { criterionAgreement, meanWithInterval } from '../aggregate/criterion-agreement.js';
import { combine, panelScore, type Method, type Quorum } from '../aggregate/panel.js';
import type { JournalRecord } from '../journal/journal.js';
import { callKey, type Unit } from '../plan/plan.js';
import { isNumericScale, scalePoints, type Rubric, type Score } from '../rubric/rubric.js';
import { compareIds } from '../transcript/load.js';
import { REPORT_FORMAT, SIMULATED_NOTICE, type CriterionSummary, type ItemResult, type Report, type ReportVerdict, type UnitResult } from './report.js';

export interface ReportJudge {
  id: string;
  provider: string;
  model: string;
  samples: number;
  simulated: boolean;
}

export interface ReportInput {
  label: string;
  configHash: string;
  aggregation: { method: Method; quorum: Quorum };
  rubrics: readonly Rubric[];
  judges: readonly ReportJudge[];
  units: readonly Unit[];
  /** Journal records by call key; a missing key is a verdict not obtained (an interrupted run). */
  records: ReadonlyMap<string, JournalRecord>;
  /** How to finish an interrupted run, shown in the report when verdicts are missing. */
  resumeHint?: string;
}

/** Builds the report from the plan and the journal. Pure: same input, same report. */
export function buildReport(input: ReportInput): Report {
  const judges = [...input.judges].sort((a, b) => compareIds(a.id, b.id));
  const criteria = new Map(input.rubrics.flatMap((rubric) => rubric.criteria.map((c) => [`${rubric.id}/${c.id}`, c] as const)));
  const items = new Map<string, ItemResult>();
  const perCriterion = new Map<string, Bucket>();

  for (const unit of input.units) {
    const criterion = criteria.get(`${unit.rubric}/${unit.criterion}`);
    if (!criterion) throw new Error(`unit ${unit.key} names an unknown criterion`);
    const verdicts: ReportVerdict[] = [];
    const judgeScores: { judge: string; score: Score }[] = [];
    for (const judge of judges) {
      const samples: Score[] = [];
      for (let sample = 0; sample < judge.samples; sample++) {
        const record = input.records.get(callKey(unit.key, judge.id, sample));
        if (!record) continue;
        const v = record.verdict;
        if (v.status === 'scored') {
          samples.push(v.score);
          verdicts.push({ judge: judge.id, sample, status: 'scored', score: v.score, reasoning: v.reasoning, cited_turns: v.citedTurns });
        } else {
          verdicts.push({ judge: judge.id, sample, status: 'failed' });
        }
      }
      if (samples.length) judgeScores.push({ judge: judge.id, score: combine(samples, input.aggregation.method, criterion.scale) });
    }
    const panel = panelScore(judgeScores.map((j) => j.score), judges.length, input.aggregation.method, input.aggregation.quorum, criterion.scale);
    const result: UnitResult = { rubric: unit.rubric, criterion: unit.criterion, ...(unit.turn === undefined ? {} : { turn: unit.turn }), panel, verdicts };
    const item = items.get(unit.item) ?? { id: unit.item, results: [] };
    item.results.push(result);
    items.set(unit.item, item);
    const key = `${unit.rubric}/${unit.criterion}`;
    const bucket = perCriterion.get(key) ?? emptyBucket();
    bucket.units.push(result);
    bucket.items.push({ item: unit.item, turn: unit.turn });
    bucket.table.push(judges.map((j) => judgeScores.find((s) => s.judge === j.id)?.score ?? null));
    for (const { judge, score } of judgeScores) bucket.judgeScores.set(judge, [...(bucket.judgeScores.get(judge) ?? []), score]);
    perCriterion.set(key, bucket);
  }

  const summaries: CriterionSummary[] = [];
  for (const rubric of input.rubrics) {
    for (const criterion of rubric.criteria) {
      const bucket = perCriterion.get(`${rubric.id}/${criterion.id}`) ?? emptyBucket();
      const numeric = isNumericScale(criterion.scale);
      const scored = bucket.units.flatMap((u) => (u.panel.status === 'scored' ? [u.panel.score] : []));
      const distribution = Object.fromEntries(scalePoints(criterion.scale).map((p) => [String(p), 0]));
      let failed = 0;
      for (const unit of bucket.units) {
        for (const verdict of unit.verdicts) {
          if (verdict.status === 'scored') distribution[String(verdict.score)] = (distribution[String(verdict.score)] ?? 0) + 1;
          else failed++;
        }
      }
      const summary: CriterionSummary = {
        rubric: rubric.id,
        criterion: criterion.id,
        scale: criterion.scale,
        weight: criterion.weight,
        units: bucket.units.length,
        scored: scored.length,
        unscored: bucket.units.length - scored.length,
        mean: numeric ? mean(scored.map(Number)) : null,
        mean_ci: numeric ? meanWithInterval(scored).ci : null,
        agreement: criterionAgreement(bucket.table, judges.map((j) => j.id), criterion.scale),
        most_disputed: mostDisputed(bucket),
        distribution,
        judge_means: Object.fromEntries(judges.map((j) => [j.id, numeric ? mean((bucket.judgeScores.get(j.id) ?? []).map(Number)) : null])),
        failed_verdicts: failed,
      };
      if (!numeric) {
        summary.panel_distribution = Object.fromEntries(scalePoints(criterion.scale).map((p) => [String(p), scored.filter((s) => s === p).length]));
      }
      summaries.push(summary);
    }
  }

  const simulated = judges.some((j) => j.simulated);
  const judgeErrors: Report['judge_errors'] = {};
  let planned = 0;
  for (const judge of judges) {
    let verdicts = 0;
    let failedCount = 0;
    for (const unit of input.units) {
      for (let sample = 0; sample < judge.samples; sample++) {
        planned++;
        const record = input.records.get(callKey(unit.key, judge.id, sample));
        if (!record) continue;
        verdicts++;
        if (record.verdict.status === 'failed') failedCount++;
      }
    }
    judgeErrors[judge.id] = { verdicts, failed: failedCount, error_rate: verdicts ? failedCount / verdicts : 0 };
  }
  const missing = planned - Object.values(judgeErrors).reduce((n, j) => n + j.verdicts, 0);
  return {
    ...REPORT_FORMAT,
    simulated,
    ...(simulated ? { notice: SIMULATED_NOTICE } : {}),
    ...(missing > 0 ? { incomplete: { missing_verdicts: missing, resume: input.resumeHint ?? 'jury run --resume <run folder>' } } : {}),
    judge_errors: judgeErrors,
    run: {
      label: input.label,
      config_hash: input.configHash,
      aggregation: input.aggregation,
      rubrics: input.rubrics.map((r) => ({ id: r.id, version: r.version, title: r.title, scope: r.scope })).sort((a, b) => compareIds(a.id, b.id)),
      judges: judges.map((j) => ({ id: j.id, provider: j.provider, model: j.model, samples: j.samples, simulated: j.simulated })),
    },
    criteria: summaries.sort((a, b) => compareIds(`${a.rubric}/${a.criterion}`, `${b.rubric}/${b.criterion}`)),
    items: [...items.values()].sort((a, b) => compareIds(a.id, b.id)),
  };
}

interface Bucket {
  units: UnitResult[];
  items: { item: string; turn?: number }[];
  /** Units × judges: each judge's (sample-combined) score, null when it returned none. */
  table: (Score | null)[][];
  judgeScores: Map<string, Score[]>;
}

function emptyBucket(): Bucket {
  return { units: [], items: [], table: [], judgeScores: new Map() };
}

function mostDisputed(bucket: Bucket): CriterionSummary['most_disputed'] {
  return bucket.units
    .map((u, i) => ({ ...bucket.items[i]!, spread: u.panel.status === 'scored' ? u.panel.spread : 0 }))
    .filter((u) => u.spread > 0)
    .sort((a, b) => b.spread - a.spread || compareIds(a.item, b.item) || (a.turn ?? 0) - (b.turn ?? 0))
    .slice(0, 5)
    .map(({ item, turn, spread }) => (turn === undefined ? { item, spread } : { item, turn, spread }));
}

function mean(values: readonly number[]): number | null {
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
}
