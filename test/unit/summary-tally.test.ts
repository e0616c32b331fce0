import { describe, expect, it, vi } from 'vitest';
import type { JournalRecord } from '../../src/journal/journal.js';
import { buildPlan, planCalls, planItems, type Plan, type PlannedCall } from '../../src/plan/plan.js';
import { recordSource, reportHead, type ReportInput } from '../../src/report/build.js';
import { SummaryTally } from '../../src/report/summary-tally.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import type { Verdict } from '../../src/judges/verdict.js';

const anchors = { '1': 'a', '2': 'b', '3': 'c', '4': 'd', '5': 'e' };
const rubricOf = (scope: 'conversation' | 'assistant_turn', id = 'r'): Rubric => ({
  id, version: '1', title: 'R', scope, mode: 'per_criterion', file: `${id}.yaml`,
  criteria: ['c1', 'c2'].map((c) => ({ id: c, question: 'q', scale: { type: 'likert' as const, min: 1, max: 5 }, anchors, weight: 1, examples: [] })),
});
const transcripts = Array.from({ length: 60 }, (_, i) => ({
  id: `item-${String(i).padStart(2, '0')}`,
  messages: [{ role: 'user' as const, content: 'x' }, { role: 'assistant' as const, content: 'y' }, { role: 'user' as const, content: 'x' }, { role: 'assistant' as const, content: 'z' }],
}));
const JUDGES = ['a', 'b', 'c'];

function verdictOf(call: PlannedCall): Verdict {
  const score = 1 + ((call.judge.charCodeAt(0) * 7 + Number(call.unit.item.slice(5)) * 3 + call.unit.criterion.charCodeAt(1)) % 5);
  return { status: 'scored', score, reasoning: 'r', citedTurns: [] };
}

function recordOf(call: PlannedCall, verdict = verdictOf(call)): JournalRecord {
  return { key: call.key, judge: call.judge, item: call.unit.item, rubric: call.unit.rubric, criterion: call.unit.criterion, sample: call.sample, verdict, attempts: 1, usage: { inputTokens: 1, outputTokens: 1, cachedInputTokens: 0 }, latency_ms: 1, source: 'provider' };
}

/** A run as api/run.ts wires it: records arrive in a shuffled order, each noted by the tally as it is journaled. */
function run(rubrics: Rubric[], options: { before?: number; method?: 'mean' | 'median'; verdict?: (call: PlannedCall) => Verdict; replace?: PlannedCall } = {}) {
  const plan: Plan = buildPlan(planItems(transcripts), rubrics, JUDGES.map((id) => ({ id, samples: 1 })));
  const calls = [...planCalls(plan)];
  const records = new Map<string, JournalRecord>();
  const input: ReportInput = {
    label: 't', configHash: 'h', aggregation: { method: options.method ?? 'median', quorum: 'majority' }, rubrics,
    judges: JUDGES.map((id) => ({ id, provider: 'openai', model: `m-${id}`, samples: 1, simulated: false })),
    units: plan.units, verdicts: recordSource(records, plan.units),
  };
  const order = calls.map((call, i) => ({ call, at: (i * 7919) % calls.length })).sort((x, y) => x.at - y.at).map((x) => x.call);
  const before = options.before ?? 0;
  for (const call of order.slice(0, before)) records.set(call.key, recordOf(call, options.verdict?.(call)));
  const tally = new SummaryTally(input, plan, (slot) => records.has(calls[slot]!.key));
  for (const call of order.slice(before)) {
    records.set(call.key, recordOf(call, options.verdict?.(call)));
    tally.note(call.slot, false);
  }
  if (options.replace) {
    const call = options.replace;
    const before = verdictOf(call);
    records.set(call.key, recordOf(call, before.status === 'scored' ? { ...before, score: before.score === 5 ? 1 : 5 } : before));
    tally.note(call.slot, true);
  }
  return { input, tally, plan, calls };
}

/** Spies on both criteria's alpha tallies. */
function spies(tally: SummaryTally) {
  return ['c1', 'c2'].map((c) => vi.spyOn(tally.of('r', c)!.alpha!, 'coincidencesIfMatches'));
}

describe('SummaryTally: the summaries tallied while judging', () => {
  it('gives the very report head resampling gives, with the tallies used', () => {
    for (const method of ['mean', 'median'] as const) {
      const { input, tally } = run([rubricOf('conversation')], { method });
      const used = spies(tally);
      const withTallies = reportHead({ ...input, tallies: tally });
      for (const spy of used) expect(spy).toHaveReturnedWith(expect.any(Array));
      expect(withTallies).toEqual(reportHead(input));
      expect(withTallies.criteria[0]!.agreement.alpha.ci).not.toBeNull();
    }
  });

  it('tallies the panel scores for the mean where they sum exactly (a median of integers), not otherwise', () => {
    const median = run([rubricOf('conversation')]);
    const sums = vi.spyOn(median.tally.of('r', 'c2')!.mean!, 'sumsIfMatches');
    reportHead({ ...median.input, tallies: median.tally });
    expect(sums).toHaveReturnedWith(expect.any(Float64Array));
    // Three judges' mean is in thirds: the sums would round, so the tally gives up and the end resamples.
    const mean = run([rubricOf('conversation')], { method: 'mean' });
    const none = vi.spyOn(mean.tally.of('r', 'c2')!.mean!, 'sumsIfMatches');
    reportHead({ ...mean.input, tallies: mean.tally });
    expect(none).toHaveReturnedWith(undefined);
  });

  it('counts units complete before the run (a resumed run) as well as those completed during it', () => {
    const { input, tally, calls } = run([rubricOf('conversation')], { before: 200 });
    expect(calls.length).toBe(360);
    const used = spies(tally);
    expect(reportHead({ ...input, tallies: tally })).toEqual(reportHead(input));
    for (const spy of used) expect(spy).toHaveReturnedWith(expect.any(Array));
  });

  it('falls back to resampling after a failed verdict or a replaced one, with the same report', () => {
    // Two of item-07's three judges fail: its row drops out of alpha and the unit has no panel score.
    const failed = { status: 'failed', cause: 'malformed', message: 'x', attempts: 1 } as unknown as Verdict;
    const failing = run([rubricOf('conversation')], { verdict: (call) => (call.unit.item === 'item-07' && call.judge !== 'c' ? failed : verdictOf(call)) });
    const skipped = vi.spyOn(failing.tally.of('r', 'c1')!.alpha!, 'coincidencesIfMatches');
    const head = reportHead({ ...failing.input, tallies: failing.tally });
    expect(head).toEqual(reportHead(failing.input));
    expect(head.criteria[0]!.scored).toBe(59);
    expect(skipped).not.toHaveBeenCalled();
    const plan = buildPlan(planItems(transcripts), [rubricOf('conversation')], JUDGES.map((id) => ({ id, samples: 1 })));
    const target = [...planCalls(plan)].find((c) => c.unit.item === 'item-03' && c.unit.criterion === 'c1' && c.judge === 'a')!;
    const replaced = run([rubricOf('conversation')], { replace: target });
    const check = vi.spyOn(replaced.tally.of('r', 'c1')!.alpha!, 'coincidencesIfMatches');
    expect(reportHead({ ...replaced.input, tallies: replaced.tally })).toEqual(reportHead(replaced.input));
    expect(check).toHaveReturnedWith(undefined);
  });

  it('tallies a row with one judge missing (two ratings: its own coincidences), and a categorical criterion without a mean', () => {
    const failed = { status: 'failed', cause: 'malformed', message: 'x', attempts: 1 } as unknown as Verdict;
    const oneMissing = run([rubricOf('conversation')], { verdict: (call) => (call.unit.item === 'item-07' && call.judge === 'b' ? failed : verdictOf(call)) });
    const used = spies(oneMissing.tally);
    expect(reportHead({ ...oneMissing.input, tallies: oneMissing.tally })).toEqual(reportHead(oneMissing.input));
    for (const spy of used) expect(spy).toHaveReturnedWith(expect.any(Array));
    const categorical: Rubric = { ...rubricOf('conversation', 'k'), criteria: [{ id: 'c1', question: 'q', scale: { type: 'categorical', labels: ['yes', 'no', 'unsure'] }, anchors: {}, weight: 1, examples: [] }] } as unknown as Rubric;
    const labels = ['yes', 'no', 'unsure'];
    const labelled = run([categorical], { verdict: (call) => ({ status: 'scored', score: labels[(call.judge.charCodeAt(0) + Number(call.unit.item.slice(5))) % 3]!, reasoning: 'r', citedTurns: [] }) as Verdict });
    expect(labelled.tally.of('k', 'c1')!.mean).toBeUndefined();
    const alpha = vi.spyOn(labelled.tally.of('k', 'c1')!.alpha!, 'coincidencesIfMatches');
    const head = reportHead({ ...labelled.input, tallies: labelled.tally });
    expect(head).toEqual(reportHead(labelled.input));
    expect(head.criteria[0]!.agreement.alpha.ci).not.toBeNull();
    expect(alpha).toHaveReturnedWith(expect.any(Array));
  });

  it('keeps no tally for a criterion of a single unit (nothing to resample)', () => {
    const plan = buildPlan(planItems(transcripts.slice(0, 1)), [rubricOf('conversation')], JUDGES.map((id) => ({ id, samples: 1 })));
    const records = new Map<string, JournalRecord>();
    const input: ReportInput = { label: 't', configHash: 'h', aggregation: { method: 'median', quorum: 'majority' }, rubrics: [rubricOf('conversation')], judges: JUDGES.map((id) => ({ id, provider: 'openai', model: id, samples: 1, simulated: false })), units: plan.units, verdicts: recordSource(records, plan.units) };
    const tally = new SummaryTally(input, plan, (slot) => slot < 0);
    expect(tally.of('r', 'c1')).toBeUndefined();
    for (const call of planCalls(plan)) {
      records.set(call.key, recordOf(call));
      tally.note(call.slot, false);
    }
    expect(reportHead({ ...input, tallies: tally })).toEqual(reportHead(input));
  });

  it('keeps no tally for per-turn criteria (resampled by conversation at the end)', () => {
    const { input, tally } = run([rubricOf('assistant_turn', 't'), rubricOf('conversation')]);
    expect(tally.of('t', 'c1')).toBeUndefined();
    expect(tally.of('r', 'c1')).toBeDefined();
    expect(reportHead({ ...input, tallies: tally })).toEqual(reportHead(input));
  });
});
