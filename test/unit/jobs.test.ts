import { beforeEach, describe, expect, it } from 'vitest';
import { groupJobs, judgeJobs, parseJob } from '../../src/engine/jobs.js';
import type { JudgeRequest } from '../../src/judges/request.js';
import { buildPlan, planCalls, type PlannedCall } from '../../src/plan/plan.js';
import type { Rubric } from '../../src/rubric/rubric.js';

const likert = { type: 'likert' as const, min: 1, max: 5 };
const rubric = (id: string, criteria: string[], scope: Rubric['scope'] = 'conversation'): Rubric => ({
  id, version: '1', title: id, scope, mode: 'combined', file: `${id}.yaml`,
  criteria: criteria.map((c) => ({ id: c, question: 'q', scale: likert, anchors: { '1': 'a', '5': 'b' }, weight: 1, examples: [] })),
});
const plan = buildPlan([{ id: 'a', turns: [1, 3] }, { id: 'b', turns: [1] }], [rubric('r', ['c1', 'c2']), rubric('t', ['x'], 'assistant_turn')], [{ id: 'j', samples: 2 }, { id: 'k', samples: 1 }]);
const keys = (jobs: PlannedCall[][]) => jobs.map((job) => job.map((c) => `${c.unit.item}/${c.unit.rubric}/${c.unit.criterion}${c.unit.turn ? `@${c.unit.turn}` : ''}#${c.sample}`));
// A combined rubric's criteria for one item (turn), judge and sample share a request.
const combined = (c: PlannedCall) => (c.unit.rubric === 'r' ? `${c.unit.item}|${c.unit.turn ?? ''}|${c.unit.rubric}|${c.judge}|${c.sample}` : undefined);

describe('groupJobs', () => {
  it('one call a job without a group; calls of a group together, in the order first seen', () => {
    const calls = [...planCalls(plan, 'j')];
    expect(keys(groupJobs(calls))).toEqual(calls.map((c) => [`${c.unit.item}/${c.unit.rubric}/${c.unit.criterion}${c.unit.turn ? `@${c.unit.turn}` : ''}#${c.sample}`]));
    expect(keys(groupJobs(calls, combined))).toEqual([
      ['a/r/c1#0', 'a/r/c2#0'], ['a/r/c1#1', 'a/r/c2#1'], ['a/t/x@2#0'], ['a/t/x@2#1'], ['a/t/x@4#0'], ['a/t/x@4#1'],
      ['b/r/c1#0', 'b/r/c2#0'], ['b/r/c1#1', 'b/r/c2#1'], ['b/t/x@2#0'], ['b/t/x@2#1'],
    ]);
    expect(groupJobs([])).toEqual([]);
  });
});

describe('judgeJobs', () => {
  it('gives the jobs groupJobs gives over the judge’s whole plan, block by block', () => {
    for (const judge of ['j', 'k']) expect(keys([...judgeJobs(plan, judge, () => false, combined)])).toEqual(keys(groupJobs([...planCalls(plan, judge)], combined)));
    expect(keys([...judgeJobs(plan, 'k', () => false, combined)])).toHaveLength(5);
  });

  it('leaves out the calls already done, and a block left empty', () => {
    const done = (c: PlannedCall) => c.unit.item === 'a' && (c.unit.criterion === 'c1' || c.unit.rubric === 't');
    expect(keys([...judgeJobs(plan, 'j', done, combined)])).toEqual([['a/r/c2#0'], ['a/r/c2#1'], ['b/r/c1#0', 'b/r/c2#0'], ['b/r/c1#1', 'b/r/c2#1'], ['b/t/x@2#0'], ['b/t/x@2#1']]);
    expect([...judgeJobs(plan, 'j', () => true, combined)]).toEqual([]);
  });

  it('never joins a group across blocks, even when the group key would', () => {
    const sloppy = (c: PlannedCall) => `${c.judge}|${c.sample}`;
    const jobs = keys([...judgeJobs(plan, 'k', () => false, sloppy)]);
    expect(jobs).toEqual([['a/r/c1#0', 'a/r/c2#0'], ['a/t/x@2#0'], ['a/t/x@4#0'], ['b/r/c1#0', 'b/r/c2#0'], ['b/t/x@2#0']]);
  });
});

describe('parseJob', () => {
  const request = (criteria?: JudgeRequest['criteria']): JudgeRequest => ({ system: 's', transcript: 't', criterion: 'c', schema: {}, scale: likert, maxTurn: 4, sample: 0, ...(criteria ? { criteria } : {}) });
  // Made inside each test, not at collection: a broken groupJobs must fail tests, not stop the file from loading
  // (Stryker counts a file that fails to load as no test failing).
  let calls: PlannedCall[] = [];
  beforeEach(() => {
    calls = groupJobs([...planCalls(plan, 'k')], combined)[0]!;
  });

  it('under score_mode logprob: the weighted score with the one written beside it, or the rule for none', () => {
    const text = '{"reasoning":"fine","score":4,"cited_turns":[2]}';
    const logprob = { mode: 'logprob' as const, fallback: 'fail' as const, minMass: 0.5 };
    const weighted = parseJob({ text, scoreProbabilities: { probabilities: { '4': 0.6, '5': 0.2 }, mass: 0.8 } }, request(), calls.slice(0, 1), logprob);
    expect(weighted.get(calls[0]!.key)).toEqual({ ok: true, score: (2.4 + 1) / 0.8, reasoning: 'fine', citedTurns: [2], weighted: { sampled: 4, mass: 0.8 } });
    expect(parseJob({ text }, request(), calls.slice(0, 1), logprob).get(calls[0]!.key)).toEqual({ ok: false, cause: 'no_logprobs', message: 'no logprob-weighted score: the endpoint returned no logprobs' });
    expect(parseJob({ text, scoreProbabilities: { problem: 'p' } }, request(), calls.slice(0, 1), { ...logprob, fallback: 'sampled' }).get(calls[0]!.key)).toEqual({ ok: true, score: 4, reasoning: 'fine', citedTurns: [2], weighted: { fallback: 'p' } });
    // Without the mode the probabilities are ignored; a categorical criterion keeps its label under it.
    expect(parseJob({ text, scoreProbabilities: { probabilities: { '5': 1 }, mass: 1 } }, request(), calls.slice(0, 1)).get(calls[0]!.key)).toMatchObject({ score: 4 });
    const combined = JSON.stringify({ verdicts: { c1: { reasoning: 'r1', score: 'yes', cited_turns: [] }, c2: { reasoning: 'r2', score: 3, cited_turns: [] } } });
    const out = parseJob({ text: combined, scoreProbabilities: { problem: 'combined' } }, request([{ id: 'c1', scale: { type: 'categorical', labels: ['yes', 'no'] } }, { id: 'c2', scale: likert }]), calls, logprob);
    expect(out.get(calls[0]!.key)).toEqual({ ok: true, score: 'yes', reasoning: 'r1', citedTurns: [] });
    expect(out.get(calls[1]!.key)).toEqual({ ok: false, cause: 'no_logprobs', message: 'no logprob-weighted score: combined' });
  });

  it('one criterion: the reply is its verdict', () => {
    const out = parseJob({ text: '{"reasoning":"fine","score":4,"cited_turns":[2]}' }, request(), calls.slice(0, 1));
    expect([...out]).toEqual([[calls[0]!.key, { ok: true, score: 4, reasoning: 'fine', citedTurns: [2] }]]);
  });

  it('a combined rubric: each call gets its criterion’s verdict; one missing is unparseable, and says which', () => {
    const text = JSON.stringify({ verdicts: { c1: { reasoning: 'r1', score: 2, cited_turns: [] } } });
    const out = parseJob({ text }, request([{ id: 'c1', scale: likert }, { id: 'c2', scale: likert }]), calls);
    expect(out.get(calls[0]!.key)).toEqual({ ok: true, score: 2, reasoning: 'r1', citedTurns: [] });
    expect(out.get(calls[1]!.key)).toMatchObject({ ok: false, cause: 'unparseable', message: 'no verdict for criterion `c2`' });
    expect(out.size).toBe(2);
  });
});
