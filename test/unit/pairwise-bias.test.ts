import { describe, expect, it } from 'vitest';
import { pairwiseBias } from '../../src/calibrate/pairwise-bias.js';
import type { Report } from '../../src/report/report.js';
import { renderBias } from '../../src/render/bias.js';
import { auditBias } from '../../src/calibrate/bias.js';

const len = (chars: number) => ({ messages: 2, assistant_chars: chars });
const verdict = (judge: string, score: string) => ({ judge, sample: 0, status: 'scored' as const, score, reasoning: 'r', cited_turns: [] });
const unit = (order: 'ab' | 'ba', ...verdicts: ReturnType<typeof verdict>[]) => ({ rubric: 'r', criterion: 'c', order, panel: { status: 'unscored' as const, reason: 'x', judges: 0 }, verdicts });

/** A pairwise report of the fields the length audit reads. */
function report(items: Report['items']): Report {
  return {
    format: 'jury.report', version: 1, simulated: false, judge_errors: {},
    run: { label: 'x', config_hash: 'h', aggregation: { method: 'mean', quorum: 'majority' }, rubrics: [], judges: [{ id: 'j', provider: 'mock', model: 'm', samples: 1, simulated: false }, { id: 'k', provider: 'mock', model: 'm', samples: 1, simulated: false }] },
    criteria: [],
    pairwise: { base: 'v1', candidate: 'v2', orders: 'both', seed: 0, criteria: [], position: [] },
    items,
  };
}

describe('length bias of pairwise judges', () => {
  it('counts decisive verdicts on pairs of unequal length, by the side each prefers', () => {
    const r = report([
      // Candidate longer. ab: B = candidate (longer); ba: A = candidate (longer), B = base.
      { id: 'p1', lengths: { base: len(10), candidate: len(50) }, results: [unit('ab', verdict('j', 'B'), verdict('k', 'tie')), unit('ba', verdict('j', 'A'), verdict('k', 'B'))] },
      // Base longer. ab: A = base (longer); ba: B = base (longer).
      { id: 'p2', lengths: { base: len(90), candidate: len(20) }, results: [unit('ab', verdict('j', 'A'), verdict('k', 'B')), unit('ba', verdict('j', 'A'), verdict('k', 'B'))] },
      // Equal lengths: left out, whatever the verdicts.
      { id: 'p3', lengths: { base: len(30), candidate: len(30) }, results: [unit('ab', verdict('j', 'B'), verdict('k', 'A'))] },
    ]);
    const bias = pairwiseBias(r, { seed: 1, resamples: 200 })!;
    const j = bias.length.find((l) => l.judge === 'j')!.longer_preferred;
    const k = bias.length.find((l) => l.judge === 'k')!.longer_preferred;
    // j: p1 B (longer), A (longer); p2 A (longer), A (= candidate, shorter) → 3 of 4.
    expect([j.value, j.decisive]).toEqual([0.75, 4]);
    // k: p1 tie (left out), B (base, shorter); p2 B (candidate, shorter), B (base, longer) → 1 of 3.
    expect(k.decisive).toBe(3);
    expect(k.value).toBeCloseTo(1 / 3, 12);
    expect([bias.unequal_pairs, bias.candidate_longer]).toEqual([2, 0.5]);
  });

  it("sets people's votes beside the judges: their decisive votes on pairs of unequal length that picked the longer", () => {
    const r = report([
      { id: 'p1', lengths: { base: len(10), candidate: len(50) }, results: [unit('ab', verdict('j', 'B'))] },
      { id: 'p2', lengths: { base: len(90), candidate: len(20) }, results: [unit('ab', verdict('j', 'A'))] },
      { id: 'p3', lengths: { base: len(30), candidate: len(30) }, results: [unit('ab', verdict('j', 'A'))] },
    ]);
    const votes = [
      { item: 'p1', side: 'candidate' as const }, // longer
      { item: 'p1', side: 'tie' as const }, // left out: no side
      { item: 'p2', side: 'candidate' as const }, // shorter
      { item: 'p2', side: 'base' as const }, // longer
      { item: 'p3', side: 'base' as const }, // left out: equal lengths
      { item: 'gone', side: 'base' as const }, // left out: no such pair
    ];
    const people = pairwiseBias(r, { seed: 1, resamples: 200 }, votes)!.people!;
    expect([people.value, people.decisive]).toEqual([2 / 3, 3]);
    expect(pairwiseBias(r, { seed: 1, resamples: 200 })!.people).toBeUndefined();
    expect(pairwiseBias(r, { seed: 1, resamples: 200 }, [{ item: 'p3', side: 'base' }])!.people).toMatchObject({ value: null, decisive: 0, reason: 'no decisive vote on a pair of unequal length' });
    const text = renderBias(auditBias(r, { votes }), 'table');
    expect(text).toContain('people picked the longer conversation in 67% of their 3 decisive votes on pairs of unequal length');
  });

  it('says when length cannot be measured, and is absent for pointwise reports', () => {
    const r = report([{ id: 'p', lengths: { base: len(5), candidate: len(5) }, results: [unit('ab', verdict('j', 'A'))] }]);
    const bias = pairwiseBias(r, { seed: 1, resamples: 200 })!;
    expect(bias.length[0]!.longer_preferred).toMatchObject({ value: null, decisive: 0, reason: 'no decisive verdict on a pair of unequal length' });
    expect(bias.candidate_longer).toBeNull();
    const text = renderBias(auditBias(r), 'table');
    expect(text).toContain('every pair has conversations of equal length: length bias cannot be measured.');
    expect(pairwiseBias({ ...r, pairwise: undefined }, { seed: 1, resamples: 200 })).toBeUndefined();
  });
});
