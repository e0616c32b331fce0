import type { JournalRecord } from '../../src/journal/journal.js';
import { buildPlan, planCalls, planItems } from '../../src/plan/plan.js';
import { buildReport, recordSource, type ReportInput } from '../../src/report/build.js';
import type { Report } from '../../src/report/report.js';
import type { Rubric, Scale } from '../../src/rubric/rubric.js';
import type { Transcript } from '../../src/transcript/transcript.js';

const anchors = { '1': 'a', '2': 'b', '3': 'c', '4': 'd', '5': 'e' };

type ReportInputAggregation = ReportInput['aggregation'];
type Of<T> = (judge: string, item: string, criterion: string, turn?: number, sample?: number) => T;

/**
 * A report built by jury's own pipeline (plan → journal records → buildReport) from scores a test chooses:
 * `score(judge, item, criterion, turn)`. Items are item-00 …; criteria c1 … on a 1–5 scale unless `scales` says
 * otherwise; `turns` > 0 makes the rubric per-turn with that many assistant turns per item (turns 2, 4, …).
 */
export function syntheticReport(options: SyntheticOptions): Report {
  return buildReport(syntheticInput(options));
}

export interface SyntheticOptions { items: number; criteria: string[]; judges: string[]; label?: string; score: Of<number | string>; missing?: Of<boolean>; failed?: Of<boolean>; ids?: (i: number) => string; simulated?: boolean; metadata?: (item: string) => Record<string, unknown> | undefined; reasoning?: Of<string>; cited?: Of<number[]>; scales?: Record<string, Scale>; turns?: number; rubricVersion?: string; model?: (judge: string) => string; samples?: number; aggregation?: ReportInputAggregation }

/** What buildReport is given for syntheticReport(options): for tests of the head and the item stream. */
export function syntheticInput(options: SyntheticOptions): ReportInput {
  const rubric: Rubric = {
    id: 'r', version: options.rubricVersion ?? '1', title: 'R', scope: options.turns ? 'assistant_turn' : 'conversation', mode: 'per_criterion', file: 'r.yaml',
    criteria: options.criteria.map((id) => {
      const scale = options.scales?.[id] ?? { type: 'likert' as const, min: 1, max: 5 };
      const points = scale.type === 'categorical' ? Object.fromEntries(scale.labels.map((l) => [l, l])) : scale.type === 'binary' ? { '0': 'no', '1': 'yes' } : anchors;
      return { id, question: 'q', scale, anchors: points, weight: 1, examples: [] };
    }),
  };
  const messages = options.turns ? Array.from({ length: options.turns }, () => [{ role: 'user' as const, content: 'x' }, { role: 'assistant' as const, content: 'y' }]).flat() : [{ role: 'user' as const, content: 'x' }, { role: 'assistant' as const, content: 'y' }];
  const transcripts: Transcript[] = Array.from({ length: options.items }, (_, i) => ({ id: options.ids?.(i) ?? `item-${String(i).padStart(2, '0')}`, file: 't', messages }));
  const plan = buildPlan(planItems(transcripts), [rubric], options.judges.map((id) => ({ id, samples: options.samples ?? 1 })));
  const records = new Map<string, JournalRecord>();
  for (const call of planCalls(plan)) {
    const at = [call.judge, call.unit.item, call.unit.criterion, call.unit.turn, call.sample] as const;
    if (options.missing?.(...at)) continue;
    records.set(call.key, {
      key: call.key, judge: call.judge, item: call.unit.item, rubric: call.unit.rubric, criterion: call.unit.criterion, sample: call.sample, ...(call.unit.turn === undefined ? {} : { turn: call.unit.turn }),
      verdict: options.failed?.(...at) ? { status: 'failed', cause: 'unparseable', message: 'no verdict' } : { status: 'scored', score: options.score(...at), reasoning: options.reasoning?.(...at) ?? 'r', citedTurns: options.cited?.(...at) ?? [] }, attempts: 1,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latency_ms: 0, source: 'provider',
    });
  }
  return {
    label: options.label ?? 'synthetic', configHash: 'h', aggregation: options.aggregation ?? { method: 'mean', quorum: 'majority' }, rubrics: [rubric],
    judges: options.judges.map((id) => ({ id, provider: 'openai', model: options.model?.(id) ?? `m-${id}`, samples: options.samples ?? 1, simulated: options.simulated ?? false })),
    units: plan.units, verdicts: recordSource(records, plan.units), ...(options.metadata ? { metadataOf: options.metadata } : {}),
  };
}
