import { describe, expect, it } from 'vitest';
import { labelSource } from '../support/label-source.js';
import { citedPerSide, pairwiseSummary } from '../../src/aggregate/pairwise.js';
import { outcomeOf, pairPreference, sideOf, STRONG_WEIGHT } from '../../src/aggregate/pairwise-rule.js';
import { defaultNames } from '../../src/config/load.js';
import { buildPlan, seededOrder, slotFinder, unitKey } from '../../src/plan/plan.js';
import { toPairwise, labelPreference, PAIRWISE_LABELS } from '../../src/rubric/pairwise.js';
import type { Rubric } from '../../src/rubric/rubric.js';

const RUBRIC: Rubric = {
  id: 'r', version: '1', title: 'R', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml',
  criteria: [
    { id: 'c1', question: 'Q1?', scale: { type: 'likert', min: 1, max: 3 }, anchors: { 1: 'bad', 2: 'ok', 3: 'good' }, weight: 1, examples: [{ transcript: 't', score: 2, reasoning: 'x' }] },
    { id: 'c2', question: 'Q2?', scale: { type: 'binary' }, anchors: { 0: 'no', 1: 'yes' }, weight: 1, examples: [] },
  ],
};

describe('the combination rule', () => {
  it('reads a positional label as the agent it prefers, by the order shown', () => {
    expect(sideOf('A', 'ab')).toBe('base');
    expect(sideOf('B', 'ab')).toBe('candidate');
    expect(sideOf('A', 'ba')).toBe('candidate');
    expect(sideOf('B', 'ba')).toBe('base');
    expect(sideOf('tie', 'ba')).toBe('tie');
    expect(sideOf('A>>B', 'ba')).toBe('candidate');
    expect(sideOf('B>A', 'ba')).toBe('base');
    expect(sideOf('A=B', 'ab')).toBe('tie');
    expect(labelPreference('B>>A')).toEqual({ prefers: 'B', strength: 2 });
    expect(labelPreference('A>B')).toEqual({ prefers: 'A', strength: 1 });
  });

  it("three levels follow MT-Bench's rule: the same winner in both orders wins, disagreement is a tie", () => {
    expect(pairPreference([{ label: 'B', order: 'ab' }, { label: 'A', order: 'ba' }], 3)).toBe(1);
    expect(pairPreference([{ label: 'A', order: 'ab' }, { label: 'B', order: 'ba' }], 3)).toBe(0);
    // Position won both times (A, then A): inconsistent, a tie.
    expect(pairPreference([{ label: 'A', order: 'ab' }, { label: 'A', order: 'ba' }], 3)).toBe(0.5);
    // A win and a tie disagree too.
    expect(pairPreference([{ label: 'B', order: 'ab' }, { label: 'tie', order: 'ba' }], 3)).toBe(0.5);
    expect(pairPreference([{ label: 'tie', order: 'ab' }, { label: 'tie', order: 'ba' }], 3)).toBe(0.5);
    // One order only: that verdict.
    expect(pairPreference([{ label: 'A', order: 'ba' }], 3)).toBe(1);
    expect(pairPreference([], 3)).toBeNull();
  });

  it("five levels follow Arena-Hard's weighting: a strong verdict is three battles, the preference the candidate's share", () => {
    expect(STRONG_WEIGHT).toBe(3);
    // ab: a tie (one tie battle); ba: A>>B, the candidate strongly (three won): (3 + ½) / 4.
    expect(pairPreference([{ label: 'A=B', order: 'ab' }, { label: 'A>>B', order: 'ba' }], 5)).toBe(0.875);
    // ab: B>>A, the candidate strongly (3 won); ba: B>A, the base (1 lost): 3 / 4.
    expect(pairPreference([{ label: 'B>>A', order: 'ab' }, { label: 'B>A', order: 'ba' }], 5)).toBe(0.75);
    expect(pairPreference([{ label: 'A>>B', order: 'ab' }, { label: 'B>A', order: 'ba' }], 5)).toBe(0);
    expect(pairPreference([{ label: 'A>B', order: 'ab' }, { label: 'A>B', order: 'ba' }], 5)).toBe(0.5);
  });

  it('calls a preference a tie only within 1e-9 of a half', () => {
    expect(outcomeOf(0.5)).toBe('tie');
    expect(outcomeOf(0.5 + 1e-10)).toBe('tie');
    expect(outcomeOf(0.5 + 1e-8)).toBe('candidate');
    expect(outcomeOf(0.5 - 1e-8)).toBe('base');
    expect(outcomeOf(1 / 3 + 1 / 6)).toBe('tie');
  });
});

describe('cited turns per conversation', () => {
  it('reads the prompt\'s numbering (B numbered on from A) back into each side\'s own', () => {
    expect(citedPerSide([2, 5, 10], 'ab', { base: 4, candidate: 6 })).toEqual({ base: [2], candidate: [1, 6] });
    expect(citedPerSide([2, 5, 10], 'ba', { base: 4, candidate: 6 })).toEqual({ base: [4], candidate: [2, 5] });
    // The last turn of A and the first of B, at the boundary.
    expect(citedPerSide([4, 5], 'ab', { base: 4, candidate: 6 })).toEqual({ base: [4], candidate: [1] });
    expect(citedPerSide([3], 'ba', undefined)).toEqual({ base: [], candidate: [3] });
  });
});

describe('pairwise plans and rubrics', () => {
  it('asks every criterion in both orders, or in one order per item chosen by the seed', () => {
    const items = [{ id: 'x', turns: [] }, { id: 'y', turns: [] }];
    const both = buildPlan(items, [RUBRIC], [{ id: 'j', samples: 1 }], { orders: 'both', seed: 0 });
    expect(both.units.map((u) => u.key)).toEqual(['x|r/c1|ab', 'x|r/c1|ba', 'x|r/c2|ab', 'x|r/c2|ba', 'y|r/c1|ab', 'y|r/c1|ba', 'y|r/c2|ab', 'y|r/c2|ba']);
    const one = buildPlan(items, [RUBRIC], [{ id: 'j', samples: 1 }], { orders: 'one', seed: 3 });
    expect(one.units).toHaveLength(4);
    expect(one.units.filter((u) => u.item === 'x').every((u) => u.order === seededOrder('x', 3))).toBe(true);
    const find = slotFinder(both);
    expect(find({ item: 'y', rubric: 'r', criterion: 'c1', order: 'ba', judge: 'j', sample: 0 })).toBe(5);
    expect(find({ item: 'y', rubric: 'r', criterion: 'c1', judge: 'j', sample: 0 })).toBeUndefined();
    expect(unitKey('x', 'r', 'c1', undefined, 'ab')).toBe('x|r/c1|ab');
  });

  it('chooses single orders by seed and id, about half each way', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `item-${i}`);
    const ab = ids.filter((id) => seededOrder(id, 0) === 'ab').length;
    expect(ab).toBeGreaterThan(160);
    expect(ab).toBeLessThan(240);
    expect(ids.filter((id) => seededOrder(id, 0) !== seededOrder(id, 1)).length).toBeGreaterThan(100);
  });

  it('turns each criterion into a comparison on the three- or five-level scale, keeping its own anchors as guidance', () => {
    const p = toPairwise(RUBRIC);
    expect(p.criteria[0]!.scale).toEqual({ type: 'categorical', labels: ['A', 'B', 'tie'], tie: 'tie' });
    expect(Object.keys(p.criteria[0]!.anchors)).toEqual(['A', 'B', 'tie']);
    expect(p.criteria[0]!.examples).toEqual([]);
    expect(p.compares.criteria.c1!.anchors).toEqual({ 1: 'bad', 2: 'ok', 3: 'good' });
    const five = toPairwise({ ...RUBRIC, pairwise_levels: 5 });
    expect(five.criteria[1]!.scale).toEqual({ type: 'categorical', labels: [...PAIRWISE_LABELS[5]], tie: 'A=B' });
  });

  it('names the sides after their files, falling back to base and candidate', () => {
    expect(defaultNames('datasets/music-recs/v1.jsonl', 'datasets/music-recs/v2.jsonl')).toEqual({ base: 'v1', candidate: 'v2' });
    expect(defaultNames('runs/v1/*.jsonl', 'runs/v2/*.jsonl.gz')).toEqual({ base: 'v1', candidate: 'v2' });
    expect(defaultNames('a/x.jsonl.gz', 'b/y.json')).toEqual({ base: 'x', candidate: 'y' });
    expect(defaultNames('a/same.jsonl', 'b/same.jsonl')).toEqual({ base: 'base', candidate: 'candidate' });
  });
});

const source = labelSource;

describe('pairwise results', () => {
  const one = { ...RUBRIC, criteria: [RUBRIC.criteria[0]!] };
  const rubric = toPairwise(one);
  const ids = Array.from({ length: 12 }, (_, i) => `i${String(i).padStart(2, '0')}`);
  const plan = buildPlan(ids.map((id) => ({ id, turns: [] })), [rubric], [{ id: 'j1', samples: 1 }, { id: 'j2', samples: 1 }], { orders: 'both', seed: 0 });

  it('counts wins, ties and losses from the combined verdicts, with the sign test and win rate they give', () => {
    // i00–i08: both judges prefer the candidate in both orders (wins); i09: j1 inconsistent, j2 a candidate win →
    // mean ¾, a win; i10: both prefer the base (loss); i11: both tie.
    const labels: Record<string, string> = {};
    const set = (id: string, judge: string, ab: string, ba: string) => {
      labels[`${id}|r/c1|ab|${judge}|0`] = ab;
      labels[`${id}|r/c1|ba|${judge}|0`] = ba;
    };
    for (const id of ids.slice(0, 9)) for (const j of ['j1', 'j2']) set(id, j, 'B', 'A');
    set('i09', 'j1', 'A', 'A');
    set('i09', 'j2', 'B', 'A');
    for (const j of ['j1', 'j2']) set('i10', j, 'A', 'B');
    for (const j of ['j1', 'j2']) set('i11', j, 'tie', 'tie');
    const s = pairwiseSummary({ units: plan.units, rubrics: [rubric], judges: [{ id: 'j1', samples: 1 }, { id: 'j2', samples: 1 }], verdicts: source(plan.units, labels), quorum: 'majority', resamples: 200 });
    const c = s.criteria[0]!;
    expect([c.wins, c.ties, c.losses, c.pairs, c.unscored]).toEqual([10, 1, 1, 12, 0]);
    expect(c.win_rate.value).toBeCloseTo(10.5 / 12, 12);
    expect(c.win_rate.ci!.low).toBeLessThanOrEqual(10.5 / 12);
    expect(c.win_rate.ci!.high).toBeGreaterThanOrEqual(10.5 / 12);
    // Exact binomial: 2 · P(X ≤ 1), X ~ Bin(11, ½) = 2 · 12 / 2048.
    expect(c.sign_test.p).toBeCloseTo(24 / 2048, 14);
    expect(c.sign_test.p_holm).toBeCloseTo(24 / 2048, 14);
    expect(c.largest_losses.map((l) => l.item)).toEqual(['i10']);
    expect(c.largest_losses[0]!.verdicts).toHaveLength(4);
    expect(c.largest_losses[0]!.verdicts.every((v) => v.prefers === 'base')).toBe(true);
    // j1: consistent on 11 of 12 pairs; j2 on all 12. First shown picked: j1 10 of 22 decisive (9 + A, A + … ).
    const j1 = s.position.find((p) => p.judge === 'j1')!;
    const j2 = s.position.find((p) => p.judge === 'j2')!;
    expect(j1.consistency.value).toBeCloseTo(11 / 12, 12);
    expect(j1.consistency.pairs).toBe(12);
    expect(j2.consistency.value).toBe(1);
    // j1's decisive verdicts: 9 pairs × (B, A) + (A, A) + (A, B) = 22; "A" (first shown) in 9 + 2 + 1 = 12.
    expect(j1.first_preference.decisive).toBe(22);
    expect(j1.first_preference.value).toBeCloseTo(12 / 22, 12);
    expect(j2.first_preference.value).toBeCloseTo(11 / 22, 12);
  });

  it('needs both orders of a judge, and the quorum of judges, before a pair counts', () => {
    const labels: Record<string, string> = {};
    for (const id of ids) {
      labels[`${id}|r/c1|ab|j1|0`] = 'B';
      labels[`${id}|r/c1|ba|j1|0`] = 'A';
    }
    // j2 answered only one order on every pair: no combined verdict of its own.
    for (const id of ids) labels[`${id}|r/c1|ab|j2|0`] = 'A';
    const judges = [{ id: 'j1', samples: 1 }, { id: 'j2', samples: 1 }];
    const all = pairwiseSummary({ units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, labels), quorum: 'all', resamples: 200 }).criteria[0]!;
    expect([all.pairs, all.unscored]).toEqual([0, 12]);
    expect(all.win_rate.value).toBeNull();
    expect(all.sign_test.p).toBeNull();
    const one = pairwiseSummary({ units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, labels), quorum: 1, resamples: 200 }).criteria[0]!;
    // j2's lone "A" in order ab (the base) does not drag the pair down: only j1 counts.
    expect([one.pairs, one.wins]).toEqual([12, 12]);
  });

  it('adjusts the sign tests across criteria by Holm', () => {
    const two = toPairwise(RUBRIC);
    const p2 = buildPlan(ids.map((id) => ({ id, turns: [] })), [two], [{ id: 'j1', samples: 1 }], { orders: 'one', seed: 1 });
    const labels: Record<string, string> = {};
    for (const u of p2.units) {
      // c1: the candidate wins all 12; c2: 6 wins, 6 losses.
      const cand = u.order === 'ab' ? 'B' : 'A';
      const base = u.order === 'ab' ? 'A' : 'B';
      labels[`${u.key}|j1|0`] = u.criterion === 'c1' || Number(u.item.slice(1)) % 2 === 0 ? cand : base;
    }
    const s = pairwiseSummary({ units: p2.units, rubrics: [two], judges: [{ id: 'j1', samples: 1 }], verdicts: source(p2.units, labels), quorum: 'majority', resamples: 200 });
    const [c1, c2] = s.criteria;
    expect(c1!.sign_test.p).toBeCloseTo(2 / 4096, 15);
    expect(c1!.sign_test.p_holm).toBeCloseTo(4 / 4096, 15);
    expect(c2!.sign_test.p).toBe(1);
    expect(c2!.sign_test.p_holm).toBe(1);
    // Single-order runs have no swapped pairs: consistency is undefined and says why.
    expect(s.position[0]!.consistency.value).toBeNull();
    expect(s.position[0]!.consistency.pairs).toBe(0);
  });
});
