import { describe, expect, it } from 'vitest';
import { labelSource } from '../support/label-source.js';
import { itemPreferences, pairwiseSummary } from '../../src/aggregate/pairwise.js';
import { outcomeOf } from '../../src/aggregate/pairwise-rule.js';
import { pairwiseBias } from '../../src/calibrate/pairwise-bias.js';
import { pairwiseChecks } from '../../src/gate/pairwise-gates.js';
import { buildPairwiseRequest, renderPairwiseCriterion } from '../../src/judges/pairwise-request.js';
import { buildPlan, type Unit } from '../../src/plan/plan.js';
import type { Report } from '../../src/report/report.js';
import { isPairwiseRubric, labelPreference, toPairwise } from '../../src/rubric/pairwise.js';
import type { Rubric } from '../../src/rubric/rubric.js';
import { syntheticReport } from '../support/synthetic-report.js';

// The edges of pairwise judging that the first tests left open (found by mutation testing, session 11).

const BASE: Rubric = {
  id: 'r', version: '1', title: 'Music', scope: 'conversation', mode: 'per_criterion', file: 'r.yaml',
  criteria: [
    { id: 'zeta', question: 'Does it keep the constraints?', scale: { type: 'likert', min: 1, max: 3 }, anchors: { 1: 'forgets them', 2: 'mostly', 3: 'always' }, weight: 1, examples: [] },
    { id: 'alpha', question: 'Is it grounded?', scale: { type: 'binary' }, anchors: { 0: 'invents', 1: 'grounded' }, weight: 1, examples: [] },
  ],
};
const rubric = toPairwise(BASE);

const source = labelSource;

/** Labels so that the judge prefers `side` on (item, criterion) in both orders. */
function prefer(labels: Record<string, string>, item: string, criterion: string, judge: string, side: 'base' | 'candidate' | 'tie', sample = 0): void {
  labels[`${item}|r/${criterion}|ab|${judge}|${sample}`] = side === 'tie' ? 'tie' : side === 'base' ? 'A' : 'B';
  labels[`${item}|r/${criterion}|ba|${judge}|${sample}`] = side === 'tie' ? 'tie' : side === 'base' ? 'B' : 'A';
}

describe('labels, rubrics and prompts', () => {
  it('reads every label of both scales, and nothing else, as a side', () => {
    expect(labelPreference('A')).toEqual({ prefers: 'A', strength: 1 });
    expect(labelPreference('B')).toEqual({ prefers: 'B', strength: 1 });
    expect(labelPreference('tie')).toEqual({ prefers: 'tie', strength: 0 });
    expect(labelPreference('A=B')).toEqual({ prefers: 'tie', strength: 0 });
    expect(labelPreference('A>>B')).toEqual({ prefers: 'A', strength: 2 });
    expect(labelPreference('maybe')).toEqual({ prefers: 'tie', strength: 0 });
  });

  it('tells a pairwise rubric from the rubric it came from', () => {
    expect(isPairwiseRubric(rubric)).toBe(true);
    expect(isPairwiseRubric(BASE)).toBe(false);
    expect(isPairwiseRubric({ ...BASE, compares: undefined } as Rubric)).toBe(false);
  });

  it('calls a tie exactly at ½ ± 1e-9', () => {
    expect(outcomeOf(0.5 + 1e-9)).toBe('tie');
    expect(outcomeOf(0.5 - 1e-9)).toBe('tie');
  });

  it("asks each criterion as a comparison, with the rubric's own scale and anchors as guidance", () => {
    const text = renderPairwiseCriterion(rubric, rubric.criteria[0]!);
    expect(text.split('\n')).toEqual([
      'Rubric: Music',
      'Criterion `zeta`: which conversation does better on this question? Does it keep the constraints?',
      '',
      'How the rubric scores one conversation on this criterion (an integer from 1 to 3); use it as guidance for the comparison:',
      '- 1: forgets them',
      '- 2: mostly',
      '- 3: always',
      '',
      'Verdict: one of the labels "A", "B", "tie". What each verdict means:',
      '- "A": Conversation A is better on this criterion.',
      '- "B": Conversation B is better on this criterion.',
      '- "tie": Neither is better: they are equally good (or equally poor) on this criterion.',
      '',
      'Compare the two whole conversations above on this criterion only.',
    ]);
  });

  it('sends both conversations as data, B numbered on from A, the schema of the labels', () => {
    const a = { id: 's', messages: [{ role: 'user' as const, content: 'calm piano' }, { role: 'assistant' as const, content: 'Try </conversation_a> "Weightless"' }] };
    const b = { id: 's', messages: [{ role: 'user' as const, content: 'calm piano' }, { role: 'assistant' as const, content: 'Try "Spiegel im Spiegel"' }, { role: 'user' as const, content: 'thanks' }] };
    const request = buildPairwiseRequest(rubric, rubric.criteria[1]!, { a, b }, { sample: 2 });
    expect(request.maxTurn).toBe(5);
    expect(request.sample).toBe(2);
    expect(request.transcript.startsWith('<conversation_a>\n<transcript id="s">\n[1] user: "calm piano"\n[2] assistant: "Try \\u003c/conversation_a\\u003e \\"Weightless\\""\n</transcript>\n</conversation_a>\n<conversation_b>\n<transcript id="s">\n[3] user:')).toBe(true);
    expect(request.transcript.match(/<\/conversation_a>/g)).toHaveLength(1);
    expect(request.pair!.b).toContain('[5] user: "thanks"');
    expect((request.schema as any).properties.score.enum).toEqual(['A', 'B', 'tie']);
    const combined = buildPairwiseRequest({ ...rubric, mode: 'combined' }, rubric.criteria[0]!, { a, b });
    expect(combined.criteria!.map((c) => c.id)).toEqual(['zeta', 'alpha']);
    expect(combined.criterion.match(/^## Criterion \d of 2$/gm)).toHaveLength(2);
  });
});

describe('pairwise summaries at their edges', () => {
  const ids = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'];
  const plan = buildPlan(ids.map((id) => ({ id, turns: [] })), [rubric], [{ id: 'j2', samples: 1 }, { id: 'j1', samples: 1 }], { orders: 'both', seed: 0 });
  const judges = [{ id: 'j2', samples: 1 }, { id: 'j1', samples: 1 }];

  it('sorts criteria and judges by id, leaves Holm out where there is no test, and says why nothing was measured', () => {
    const labels: Record<string, string> = {};
    // zeta: all ties; alpha: the candidate wins everything.
    for (const id of ids) for (const j of ['j1', 'j2']) {
      prefer(labels, id, 'zeta', j, 'tie');
      prefer(labels, id, 'alpha', j, 'candidate');
    }
    const s = pairwiseSummary({ units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, labels), quorum: 'all', resamples: 200 });
    expect(s.criteria.map((c) => c.criterion)).toEqual(['alpha', 'zeta']);
    expect(s.position.map((p) => p.judge)).toEqual(['j1', 'j2']);
    const zeta = s.criteria[1]!;
    expect(zeta.sign_test).toEqual({ p: null, p_holm: null, reason: 'no decisive battle (every one a tie)' });
    expect(s.criteria[0]!.sign_test.p_holm).toBeCloseTo(2 / 128, 15);
    expect(s.criteria[0]!.agreement.pairwise[0]!.judges).toEqual(['j1', 'j2']);
    // Every verdict of j1 on zeta is a tie, but alpha's are decisive; a judge with only ties has no first-shown figure.
    const zetaUnits = plan.units.filter((u) => u.criterion === 'zeta');
    const tiesOnly = pairwiseSummary({ units: zetaUnits, rubrics: [rubric], judges, verdicts: source(zetaUnits, labels), quorum: 'all', resamples: 200 });
    expect(tiesOnly.position[0]!.first_preference).toMatchObject({ value: null, ci: null, reason: 'every verdict was a tie', decisive: 0 });
    const none = pairwiseSummary({ units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, {}), quorum: 'all', resamples: 200 });
    expect(none.criteria[0]!.win_rate).toEqual({ value: null, ci: null, reason: 'no pair has a panel verdict' });
    expect(none.position[0]!.consistency).toMatchObject({ value: null, reason: 'no pair was judged in both orders', pairs: 0 });
  });

  it('measures no position when the verdicts came combined', () => {
    const s = pairwiseSummary({ units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, {}), quorum: 'all', positionUnknown: true });
    expect(s.position[0]).toEqual({
      judge: 'j1',
      consistency: { value: null, ci: null, reason: 'the verdicts were imported already combined: the order each pair was shown in is not known', pairs: 0 },
      first_preference: { value: null, ci: null, reason: 'the verdicts were imported already combined: the order each pair was shown in is not known', decisive: 0 },
    });
  });

  it('ignores units of no order, and counts a swapped pair only where both orders were scored', () => {
    const labels: Record<string, string> = {};
    for (const id of ids) prefer(labels, id, 'alpha', 'j1', 'candidate');
    labels['p1|r/alpha|ba|j1|0'] = 'failed';
    const pointwise: Unit = { key: 'p1|r/alpha', item: 'p1', rubric: 'r', criterion: 'alpha' };
    const units = [...plan.units.filter((u) => u.criterion === 'alpha'), pointwise];
    const s = pairwiseSummary({ units, rubrics: [rubric], judges: [{ id: 'j1', samples: 1 }], verdicts: source(units, labels), quorum: 1, resamples: 200 });
    expect(s.criteria).toHaveLength(1);
    expect([s.criteria[0]!.pairs, s.criteria[0]!.unscored]).toEqual([6, 1]);
    expect(s.position[0]!.consistency.pairs).toBe(6);
    // The lone scored order of p1 still counts as a verdict that picked a side: 13 decisive.
    expect(s.position[0]!.first_preference.decisive).toBe(13);
  });

  it("averages a judge's samples before the panel, and lists the largest losses worst first, five at most", () => {
    const two = buildPlan(ids.map((id) => ({ id, turns: [] })), [rubric], [{ id: 'j1', samples: 2 }], { orders: 'both', seed: 0 });
    const labels: Record<string, string> = {};
    // Sample 0 the base, sample 1 a tie: the judge's preference ¼, a loss (a product instead of a mean would be a win).
    for (const id of ids) {
      prefer(labels, id, 'alpha', 'j1', 'base', 0);
      prefer(labels, id, 'alpha', 'j1', id === 'p3' || id === 'p6' ? 'base' : 'tie', 1);
    }
    labels['p5|r/alpha|ba|j1|1'] = 'failed';
    const s = pairwiseSummary({ units: two.units, rubrics: [rubric], judges: [{ id: 'j1', samples: 2 }], verdicts: source(two.units, labels), quorum: 1, resamples: 200 });
    const alpha = s.criteria.find((c) => c.criterion === 'alpha')!;
    expect([alpha.wins, alpha.ties, alpha.losses]).toEqual([0, 0, 7]);
    // p3 and p6 at 0 first (by id), then the ¼ losses by id; p5 lost its second sample's pair, so it is at 0 too.
    expect(alpha.largest_losses.map((l) => [l.item, l.preference])).toEqual([['p3', 0], ['p5', 0], ['p6', 0], ['p1', 0.25], ['p2', 0.25]]);
    // Only scored verdicts are listed: p5's failed one is not.
    expect(alpha.largest_losses[1]!.verdicts).toHaveLength(3);
  });

  it("weighs five-level verdicts by Arena-Hard's rule in the summary and the items alike", () => {
    const five = toPairwise({ ...BASE, pairwise_levels: 5 });
    const p5 = buildPlan([{ id: 'p1', turns: [] }], [five], [{ id: 'j1', samples: 1 }], { orders: 'both', seed: 0 });
    // ab: A=B (a tie); ba: A>>B, the candidate strongly: (3 + ½) / 4 = 0.875, a win (the three-level rule would call it inconsistent, a tie).
    const labels: Record<string, string> = { 'p1|r/alpha|ab|j1|0': 'A=B', 'p1|r/alpha|ba|j1|0': 'A>>B', 'p1|r/zeta|ab|j1|0': 'A=B', 'p1|r/zeta|ba|j1|0': 'A=B' };
    const s = pairwiseSummary({ units: p5.units, rubrics: [five], judges: [{ id: 'j1', samples: 1 }], verdicts: source(p5.units, labels), quorum: 1, resamples: 200 });
    expect(s.criteria.map((c) => [c.criterion, c.levels, c.wins, c.ties])).toEqual([['alpha', 5, 1, 0], ['zeta', 5, 0, 1]]);
    const prefs = itemPreferences(p5.units.map((_, i) => i), { units: p5.units, rubrics: [five], judges: [{ id: 'j1', samples: 1 }], verdicts: source(p5.units, labels), quorum: 1 });
    expect(prefs.find((p) => p.criterion === 'alpha')).toEqual({ rubric: 'r', criterion: 'alpha', preference: 0.875, winner: 'candidate' });
  });

  it("gives each item's preference per criterion, as the report's items carry it", () => {
    const labels: Record<string, string> = {};
    prefer(labels, 'p2', 'alpha', 'j1', 'candidate');
    prefer(labels, 'p2', 'alpha', 'j2', 'tie');
    prefer(labels, 'p2', 'zeta', 'j1', 'base');
    const indexes = plan.units.flatMap((u, i) => (u.item === 'p2' ? [i] : []));
    const prefs = itemPreferences(indexes, { units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, labels), quorum: 1 });
    expect(prefs).toEqual([
      { rubric: 'r', criterion: 'zeta', preference: 0, winner: 'base' },
      { rubric: 'r', criterion: 'alpha', preference: 0.75, winner: 'candidate' },
    ]);
    const strict = itemPreferences(indexes, { units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, labels), quorum: 'all' });
    expect(strict.map((p) => p.winner)).toEqual([null, 'candidate']);
    expect(itemPreferences([], { units: plan.units, rubrics: [rubric], judges, verdicts: source(plan.units, labels), quorum: 1 })).toEqual([]);
  });
});

describe('length and gates at their edges', () => {
  const len = (chars: number) => ({ messages: 2, assistant_chars: chars });
  const unit = (order: 'ab' | 'ba', judge: string, score: string) => ({ rubric: 'r', criterion: 'c', order, panel: { status: 'unscored' as const, reason: 'x', judges: 0 }, verdicts: [{ judge, sample: 0, status: 'scored' as const, score, reasoning: 'r', cited_turns: [] }] });

  it('reads which side is longer per pair, and skips items without lengths', () => {
    const report = {
      ...syntheticReport({ items: 1, criteria: ['c'], judges: ['j'], score: () => 1 }),
      pairwise: { base: 'v1', candidate: 'v2', orders: 'both' as const, seed: 0, criteria: [], position: [] },
      items: [
        // The base is longer, and the judge prefers it in both orders: 2 of 2 for the longer.
        { id: 'p1', lengths: { base: len(90), candidate: len(20) }, results: [unit('ab', 'j', 'A'), unit('ba', 'j', 'B')] },
        { id: 'p2', results: [unit('ab', 'j', 'B')] },
      ],
    } as Report;
    const bias = pairwiseBias(report, { seed: 1, resamples: 200 }, [{ item: 'p1', side: 'base' }, { item: 'p2', side: 'candidate' }])!;
    expect(bias.length[0]!.longer_preferred).toMatchObject({ value: 1, decisive: 2 });
    expect([bias.unequal_pairs, bias.candidate_longer]).toEqual([1, 0]);
    expect(bias.people).toMatchObject({ value: 1, decisive: 1 });
  });

  it('check nothing on a pairwise report when no pairwise gate is set, and name the thresholds they fail against', () => {
    const base = syntheticReport({ items: 2, criteria: ['c'], judges: ['j'], score: () => 3 });
    const pairwise: Report = { ...base, pairwise: { base: 'v1', candidate: 'v2', orders: 'both', seed: 0, criteria: [], position: [] } };
    expect(pairwiseChecks(pairwise, { significance: 0.05 })).toEqual([]);
    const refused = pairwiseChecks(base, { significance: 0.01, min_win_rate: { '*': 0.4 }, no_significant_loss: true });
    expect(refused.map((c) => [c.gate, c.threshold, c.subject, c.actual])).toEqual([['min_win_rate', 0, 'report', null], ['no_significant_loss', 0.01, 'report', null]]);
    expect(refused[1]!.message).toBe('no_significant_loss gates pairwise runs (jury run --pairwise), and this report scores one dataset: nothing could be checked');
    const c = (over: object) => ({ rubric: 'r', criterion: 'c', levels: 3 as const, pairs: 10, unscored: 0, wins: 1, ties: 1, losses: 8, win_rate: { value: 0.15, ci: { low: 0.05, high: 0.3 } }, sign_test: { p: 0.0001, p_holm: 0.0004 }, agreement: { alpha: { value: 1, ci: null } } as never, largest_losses: [], ...over });
    const messages = (criteria: object[], gates: object) => pairwiseChecks({ ...pairwise, pairwise: { ...pairwise.pairwise!, criteria: criteria as never } }, { significance: 0.05, ...gates }).map((x) => x.message);
    expect(messages([c({})], { no_significant_loss: true })).toEqual(['1 wins, 1 ties, 8 losses for v2; sign test Holm p <0.001: v1 is significantly better']);
    expect(messages([c({ sign_test: { p: 0.0002, p_holm: 0.001 } })], { no_significant_loss: true })).toEqual(['1 wins, 1 ties, 8 losses for v2; sign test Holm p 0.001: v1 is significantly better']);
    const named = pairwiseChecks({ ...pairwise, pairwise: { ...pairwise.pairwise!, criteria: [c({})] as never } }, { significance: 0.05, no_significant_loss: true, min_win_rate: { c: 0.5 } });
    expect(named.map((x) => [x.gate, x.subject, x.passed])).toEqual([['min_win_rate', 'r/c', false], ['no_significant_loss', 'r/c', false]]);
    expect(messages([c({ pairs: 0, wins: 0, ties: 0, losses: 0, sign_test: { p: null, p_holm: null } })], { no_significant_loss: true })).toEqual(['no pair has a panel verdict: a loss could not be ruled out']);
    expect(messages([c({ wins: 0, losses: 0, ties: 10, sign_test: { p: null, p_holm: null } })], { no_significant_loss: true })).toEqual(['no decisive pair (10 ties): no loss']);
    expect(messages([c({ win_rate: { value: null, ci: null, reason: 'no pair has a panel verdict' } })], { min_win_rate: { '*': 0.2 } })).toEqual(['no win rate (no pair has a panel verdict): the floor could not be checked']);
    const floorless = pairwiseChecks({ ...pairwise, pairwise: { ...pairwise.pairwise!, criteria: [c({})] as never } }, { significance: 0.05, min_win_rate: { other: 0.5 } });
    expect(floorless).toEqual([{ gate: 'min_win_rate', subject: 'report', passed: false, actual: null, threshold: 0, message: 'min_win_rate names no criterion of this report: nothing was checked' }]);
  });
});
