import type { JournalRecord } from '../../src/journal/journal.js';
import { buildPlan, planCalls, planItems } from '../../src/plan/plan.js';
import { buildReport, recordSource } from '../../src/report/build.js';
import type { Report } from '../../src/report/report.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import type { Transcript } from '../../src/transcript/transcript.js';

const anchors = { '1': 'a', '2': 'b', '3': 'c', '4': 'd', '5': 'e' };

/**
 * A report built by jury's own pipeline (plan → journal records → buildReport) from scores a test chooses:
 * `score(judge, item, criterion)`. Items are item-00 …; criteria c1 … on a 1–5 scale.
 */
export function syntheticReport(options: { items: number; criteria: string[]; judges: string[]; label?: string; score: (judge: string, item: string, criterion: string) => number; missing?: (judge: string, item: string, criterion: string) => boolean; ids?: (i: number) => string; simulated?: boolean; metadata?: (item: string) => Record<string, unknown> | undefined; reasoning?: (judge: string, item: string, criterion: string) => string; cited?: (judge: string, item: string, criterion: string) => number[] }): Report {
  const rubric: Rubric = {
    id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml',
    criteria: options.criteria.map((id) => ({ id, question: 'q', scale: { type: 'likert' as const, min: 1, max: 5 }, anchors, weight: 1, examples: [] })),
  };
  const transcripts: Transcript[] = Array.from({ length: options.items }, (_, i) => ({ id: options.ids?.(i) ?? `item-${String(i).padStart(2, '0')}`, file: 't', messages: [{ role: 'user', content: 'x' }, { role: 'assistant', content: 'y' }] }));
  const plan = buildPlan(planItems(transcripts), [rubric], options.judges.map((id) => ({ id, samples: 1 })));
  const records = new Map<string, JournalRecord>();
  for (const call of planCalls(plan)) {
    if (options.missing?.(call.judge, call.unit.item, call.unit.criterion)) continue;
    records.set(call.key, {
      key: call.key, judge: call.judge, item: call.unit.item, rubric: call.unit.rubric, criterion: call.unit.criterion, sample: 0,
      verdict: { status: 'scored', score: options.score(call.judge, call.unit.item, call.unit.criterion), reasoning: options.reasoning?.(call.judge, call.unit.item, call.unit.criterion) ?? 'r', citedTurns: options.cited?.(call.judge, call.unit.item, call.unit.criterion) ?? [] }, attempts: 1,
      usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latency_ms: 0, source: 'provider',
    });
  }
  return buildReport({
    label: options.label ?? 'synthetic', configHash: 'h', aggregation: { method: 'mean', quorum: 'majority' }, rubrics: [rubric],
    judges: options.judges.map((id) => ({ id, provider: 'openai', model: `m-${id}`, samples: 1, simulated: options.simulated ?? false })),
    units: plan.units, verdicts: recordSource(records, plan.units), ...(options.metadata ? { metadataOf: options.metadata } : {}),
  });
}
