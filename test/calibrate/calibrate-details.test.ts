import { describe, expect, it } from 'vitest';
import { calibrate, DROP_BELOW_ALPHA, moreUnitsToDecide } from '../../src/calibrate/calibrate.js';
import { compareAgainstPeople } from '../../src/calibrate/compare.js';
import { consensus } from '../../src/calibrate/consensus.js';
import { nearestPoint } from '../../src/rubric/rubric.js';
import type { HumanLabel } from '../../src/labels/labels.js';
import type { Report } from '../../src/report/report.js';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { spearman } from '../../src/stats/correlation.js';
import { cohenKappa } from '../../src/stats/kappa.js';
import { holm, wilcoxonSignedRank } from '../../src/stats/paired.js';
import { directBca, leaveOneOut, replicates } from '../support/bca.js';
import { seededRng } from '../../src/stats/rng.js';
import type { Estimate } from '../../src/stats/types.js';
import { withSecondRubric } from '../support/second-rubric.js';
import { syntheticReport } from '../support/synthetic-report.js';

// Each number calibrate reports, recomputed here from its definition on a small table, with the same seed.
const ids = (k: number) => Array.from({ length: k }, (_, i) => `item-${String(i).padStart(2, '0')}`);
const n = (item: string) => Number(item.slice(-2));
const likert = { type: 'likert' as const, min: 1, max: 5 };
// calibrate's intervals are BCa: recomputed from the definition over the same seeded draws (to 1e-10: the
// normal quantile is found by bisection in both, to slightly different depths).
const ci = (units: number, f: (sel: number[]) => Estimate, seed: number, resamples: number) => {
  const stat = (sel: number[]) => f(sel).value;
  const all = Array.from({ length: units }, (_, i) => i);
  const bca = directBca(replicates(units, resamples, seededRng(seed), stat), stat(all)!, leaveOneOut(units, stat));
  return { low: bca.low, high: bca.high };
};
const expectStat = (actual: { value: number | null; ci: { low: number; high: number } | null }, expected: { value: number | null; ci: { low: number; high: number } | null }) => {
  expect(actual.value).toBe(expected.value);
  expect(actual.ci!.low).toBeCloseTo(expected.ci!.low, 10);
  expect(actual.ci!.high).toBeCloseTo(expected.ci!.high, 10);
};

describe('one judge against people, number by number', () => {
  // Human: one annotator, score h(i); the judge: h(i) + offset(i).
  const human = (i: number) => 1 + (i % 5);
  const judgeScore = (i: number) => Math.max(1, Math.min(5, human(i) + [0, 1, -1, 0, 2, 0][i % 6]!));
  const report = syntheticReport({ items: 24, criteria: ['c1'], judges: ['j'], score: (_, item) => judgeScore(n(item)) });
  const labels: HumanLabel[] = ids(24).map((item) => ({ item, criterion: 'c1', annotator: 'p', score: human(n(item)) }));

  it('alpha, kappa, exact, within-one, Spearman and bias, each with its seeded interval', () => {
    const [c] = calibrate(report, labels, { seed: 7, resamples: 150 }).criteria;
    const j = c!.raters.find((r) => r.rater === 'j')!;
    const h = ids(24).map((_, i) => human(i));
    const r = ids(24).map((_, i) => judgeScore(i));
    const at = (sel: number[]) => ({ h: sel.map((i) => h[i]!), r: sel.map((i) => r[i]!) });
    const all = ids(24).map((_, i) => i);
    const stat = (f: (x: { h: number[]; r: number[] }) => Estimate) => ({ value: f(at(all)).value, ci: ci(24, (sel) => f(at(sel)), 7, 150) });
    expect(j.units).toBe(24);
    expectStat(j.alpha, stat(({ h, r }) => krippendorffAlpha(r.map((x, i) => [x, h[i]!]), 'ordinal')));
    expectStat(j.kappa, stat(({ h, r }) => cohenKappa(r, h, 'quadratic')));
    expect(j.kappa.weights).toBe('quadratic');
    expectStat(j.exact, stat(({ h, r }) => ({ value: r.filter((x, i) => x === h[i]).length / r.length })));
    expectStat(j.within_one!, stat(({ h, r }) => ({ value: r.filter((x, i) => Math.abs(x - h[i]!) <= 1).length / r.length })));
    expectStat(j.spearman!, stat(({ h, r }) => spearman(r, h)));
    expectStat(j.bias!, stat(({ h, r }) => ({ value: r.reduce((s, x, i) => s + x - h[i]!, 0) / r.length })));
    // Rows are the people, columns the judge.
    const counts = [1, 2, 3, 4, 5].map((row) => [1, 2, 3, 4, 5].map((col) => all.filter((i) => h[i] === row && r[i] === col).length));
    expect(j.confusion).toEqual({ points: ['1', '2', '3', '4', '5'], counts });
    expect(c!.human_alpha).toBeNull();
    expect(c!.annotators).toBe(1);
  });

  it('the seed moves every interval; the default seed is 1 and the default resamples 1000', () => {
    const a = calibrate(report, labels, { seed: 1, resamples: 150 }).criteria[0]!.raters[0]!;
    const b = calibrate(report, labels, { seed: 2, resamples: 150 }).criteria[0]!.raters[0]!;
    expect(a.alpha.value).toBe(b.alpha.value);
    expect(a.alpha.ci).not.toEqual(b.alpha.ci);
    expect(a.bias!.ci).not.toEqual(b.bias!.ci);
    const defaults = calibrate(report, labels).criteria[0]!.raters[0]!;
    expect(defaults.alpha).toEqual(calibrate(report, labels, { seed: 1, resamples: 1000 }).criteria[0]!.raters[0]!.alpha);
  });
});

describe('categorical criteria', () => {
  const scales = { kind: { type: 'categorical' as const, labels: ['pop', 'jazz', 'rock'] } };
  it('nominal alpha, unweighted kappa, no Spearman, bias or within-one; a judge’s samples combine by majority', () => {
    const report = syntheticReport({ items: 12, criteria: ['kind'], judges: ['j'], samples: 3, scales, score: (_, item, __, ___, s) => (n(item) % 3 === 0 && s === 0 ? 'rock' : ['pop', 'jazz'][n(item) % 2]!), aggregation: { method: 'majority', quorum: 'majority' } });
    const labels: HumanLabel[] = ids(12).map((item) => ({ item, criterion: 'kind', annotator: 'p', score: ['pop', 'jazz'][n(item) % 2]! }));
    const [c] = calibrate(report, labels, { resamples: 100 }).criteria;
    expect(c!.level).toBe('nominal');
    const j = c!.raters.find((r) => r.rater === 'j')!;
    expect(j.exact.value).toBe(1);
    expect(j.kappa.weights).toBe('none');
    expect(j.spearman).toBeUndefined();
    expect(j.bias).toBeUndefined();
    expect(j.within_one).toBeUndefined();
    expect(j.confusion.points).toEqual(['pop', 'jazz', 'rock']);
    expect(j.confusion.counts).toEqual([[6, 0, 0], [0, 6, 0], [0, 0, 0]]);
  });
});

describe('advice', () => {
  const truth = (item: string) => 1 + (n(item) % 5);
  const people = (k: number): HumanLabel[] => ids(k).flatMap((item) => [{ item, criterion: 'c1', annotator: 'a', score: truth(item) }, { item, criterion: 'c1', annotator: 'b', score: truth(item) }]);

  it('a harsh judge is noted with its bias and interval; a bias under half a point is not', () => {
    const report = syntheticReport({ items: 30, criteria: ['c1'], judges: ['harsh', 'close', 'exact'], score: (j, item) => (j === 'harsh' ? Math.max(1, truth(item) - 1) : j === 'close' && n(item) % 3 === 0 ? Math.min(5, truth(item) + 1) : truth(item)) });
    const c = calibrate(report, people(30), { resamples: 200 }).criteria[0]!;
    const harsh = c.raters.find((r) => r.rater === 'harsh')!.bias!;
    expect(harsh.value).toBeLessThan(-0.5);
    expect(c.recommendation.notes).toContain(`harsh is harsh: ${harsh.value!.toFixed(2)} points against people on average (95% CI ${harsh.ci!.low.toFixed(2)}–${harsh.ci!.high.toFixed(2)})`);
    expect(c.recommendation.notes.some((x) => x.startsWith('close is'))).toBe(false);
    expect(c.recommendation.notes.some((x) => x.startsWith('exact is'))).toBe(false);
    // Weights ∝ alpha with people, over the judges kept; they sum to one.
    const w = c.recommendation.weights!;
    const alpha = (id: string) => c.raters.find((r) => r.rater === id)!.alpha.value!;
    const total = alpha('harsh') + alpha('close') + alpha('exact');
    expect(w.exact).toBeCloseTo(alpha('exact') / total, 12);
    expect(w.harsh).toBeCloseTo(alpha('harsh') / total, 12);
    expect(w.exact! + w.harsh! + w.close!).toBeCloseTo(1, 12);
  });

  it('a judge dropped is named with its alpha and interval, and weighs nothing', () => {
    const report = syntheticReport({ items: 30, criteria: ['c1'], judges: ['good', 'anti'], score: (j, item) => (j === 'good' ? truth(item) : 6 - truth(item)) });
    const c = calibrate(report, people(30), { resamples: 200 }).criteria[0]!;
    const anti = c.raters.find((r) => r.rater === 'anti')!.alpha;
    expect(anti.ci!.high).toBeLessThan(DROP_BELOW_ALPHA);
    expect(c.recommendation.drop).toEqual([{ judge: 'anti', why: `alpha with the human consensus is ${anti.value!.toFixed(2)} (95% CI ${anti.ci!.low.toFixed(2)}–${anti.ci!.high.toFixed(2)}), all below 0.3` }]);
    expect(c.recommendation.weights).toEqual({ good: 1, anti: 0 });
  });

  it('a logprob-weighted judge is matched per vote at its nearest point, and its agreement read at the interval level', () => {
    // The judge's weighted scores sit 0.4 off a's score (3.6 for 4, 1.4 for 1): nearest points are a's scores exactly.
    const off = (item: string) => truth(item) + (truth(item) === 5 ? -0.4 : 0.4);
    const report = syntheticReport({ items: 80, criteria: ['c1'], judges: ['j'], score: (_, item) => off(item) });
    report.run.judges[0]!.score_mode = 'logprob';
    const labels: HumanLabel[] = ids(80).flatMap((item) => [{ item, criterion: 'c1', annotator: 'a', score: truth(item) }, { item, criterion: 'c1', annotator: 'b', score: truth(item) }]);
    const c = calibrate(report, labels, { resamples: 200 }).criteria[0]!;
    expect(c.level).toBe('interval');
    const j = c.raters.find((r) => r.rater === 'j')!;
    expect(j.per_vote!.with_ties).toMatchObject({ value: 1, pairs: 160 });
    // Alpha reads the continuous scores as they are: against the consensus, interval alpha of the pairs.
    const pairs = ids(80).map((item) => [off(item), truth(item)]);
    expect(j.alpha.value).toBeCloseTo(krippendorffAlpha(pairs, 'interval').value!, 10);
    report.run.judges[0]!.score_mode = undefined;
    expect(calibrate(report, labels, { resamples: 200 }).criteria[0]!.level).toBe('ordinal');
  });

  it('the ceiling is like for like: a judge per vote against people per pair of votes, never against a consensus', () => {
    // Two people who differ by one on the odd items (40 of 80): they match in 40 of 80 pairs. The judge gives a's
    // score everywhere: it matches a in 80 votes and b in 40, 120 of 160.
    const report = syntheticReport({ items: 80, criteria: ['c1'], judges: ['j'], score: (_, item) => truth(item) });
    const labels: HumanLabel[] = ids(80).flatMap((item) => [{ item, criterion: 'c1', annotator: 'a', score: truth(item) }, { item, criterion: 'c1', annotator: 'b', score: n(item) % 2 ? (truth(item) === 5 ? 4 : truth(item) + 1) : truth(item) }]);
    const c = calibrate(report, labels, { resamples: 200 }).criteria[0]!;
    const j = c.raters.find((r) => r.rater === 'j')!;
    expect(j.per_vote!.with_ties).toMatchObject({ value: 120 / 160, pairs: 160 });
    expect(j.per_vote!.per_annotator).toEqual([{ annotator: 'a', pairs: 80, agreement: 1 }, { annotator: 'b', pairs: 80, agreement: 0.5 }]);
    expect(c.human_pairs!.with_ties).toMatchObject({ value: 0.5, pairs: 80 });
    expect(c.human_pairs!.persons).toBe(2);
    expect(c.human_pairs!.average_person).toBe(0.5);
    // The odd items tie (a median between two points): left out of the consensus figures and counted.
    expect(c.consensus).toEqual({ method: 'default', ties: 40, adjudicated: 0 });
    expect(c.labelled_units).toBe(40);
    expect(j.exact.value).toBe(1);
    const jv = j.per_vote!.with_ties.ci!;
    const pp = c.human_pairs!.with_ties.ci!;
    expect(jv.low).toBeGreaterThan(pp.high);
    const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
    expect(c.recommendation.notes).toContain(`j agrees with people more than people agree with each other, per vote: 75.0% of its verdicts match a person's vote (95% CI ${pct(jv.low)}–${pct(jv.high)}); people match each other in 50.0% of pairs (${pct(pp.low)}–${pct(pp.high)})`);
    // No judge-vs-consensus figure is ever set against the people's alpha.
    expect(c.recommendation.notes.some((x) => x.includes('consensus more than'))).toBe(false);
    expect(c.annotators).toBe(2);
  });

  it('the panel and its best judge: apart one way, apart the other, or not told apart', () => {
    const report = syntheticReport({ items: 40, criteria: ['c1'], judges: ['good', 'bad1', 'bad2'], score: (j, item) => (j === 'good' ? truth(item) : 1 + ((n(item) * (j === 'bad1' ? 7 : 3)) % 5)) });
    const c = calibrate(report, people(40), { resamples: 200 }).criteria[0]!;
    const good = c.raters.find((r) => r.rater === 'good')!.alpha.ci!;
    const panel = c.raters.find((r) => r.rater === 'panel')!.alpha.ci!;
    const expected = good.low > panel.high ? 'good alone agrees with people better than the panel (intervals apart)' : panel.low >= good.high ? 'the panel agrees with people better than any one of its judges (intervals apart)' : 'the panel and good, its best judge, cannot be told apart on 40 labelled units (their intervals overlap)';
    expect(c.recommendation.notes).toContain(expected);
    const same = syntheticReport({ items: 40, criteria: ['c1'], judges: ['a', 'b'], score: (_, item) => truth(item) });
    expect(calibrate(same, people(40), { resamples: 100 }).criteria[0]!.recommendation.notes).toContain('the panel and a, its best judge, cannot be told apart on 40 labelled units (their intervals overlap)');
  });

  it('a panel whose judges err on different items agrees with people better than any one of them', () => {
    // 90 items; each judge is two points off on its own third of them, right elsewhere (alpha 0.63 each, intervals
    // up to 0.77); the panel's mean is never more than 2/3 off (alpha 0.87, interval from 0.80).
    const off = (j: string, item: string) => n(item) % 3 === ['a', 'b', 'c'].indexOf(j);
    const report = syntheticReport({ items: 90, criteria: ['c1'], judges: ['a', 'b', 'c'], score: (j, item) => (off(j, item) ? (truth(item) <= 3 ? truth(item) + 2 : truth(item) - 2) : truth(item)) });
    const labels: HumanLabel[] = ids(90).map((item) => ({ item, criterion: 'c1', annotator: 'p', score: truth(item) }));
    const c = calibrate(report, labels, { resamples: 200 }).criteria[0]!;
    expect(c.raters.find((r) => r.rater === 'panel')!.alpha.ci!.low).toBeGreaterThan(Math.max(...['a', 'b', 'c'].map((j) => c.raters.find((r) => r.rater === j)!.alpha.ci!.high)));
    expect(c.recommendation.notes).toContain('the panel agrees with people better than any one of its judges (intervals apart)');
  });

  it('no weights when every judge kept may be at chance, whatever happened to the dropped ones', () => {
    // weak: alpha 0.41 on 12 units, its interval from below zero to 0.88; anti: dropped.
    const weak = (item: string) => (n(item) % 3 === 0 ? truth(item) : 1 + ((n(item) * 7 + 3) % 5));
    // gone: no verdict at all, so no alpha: it cannot vouch for weights either.
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['weak', 'anti', 'gone'], score: (j, item) => (j === 'weak' ? weak(item) : 6 - truth(item)), failed: (j) => j === 'gone' });
    const c = calibrate(report, people(12), { resamples: 100 }).criteria[0]!;
    expect(c.raters.find((r) => r.rater === 'weak')!.alpha.ci!.low).toBeLessThanOrEqual(0);
    expect(c.recommendation.drop.map((d) => d.judge)).toEqual(['anti']);
    expect(c.recommendation.weights).toBeNull();
    expect(c.recommendation.notes).toContain('no weights: no judge agrees with people reliably above chance on these labels');
  });

  it('a dropped judge weighs nothing even where its alpha is above zero, and the kept ones share all the weight', () => {
    // poor: right on every eighth item, a fixed wrong pattern elsewhere (alpha about 0.1); 200 units make its interval narrow.
    const ids200 = Array.from({ length: 200 }, (_, i) => `item-${String(i).padStart(3, '0')}`);
    const index = (item: string) => Number(item.slice(5));
    const t = (item: string) => 1 + (index(item) % 5);
    const poor = (item: string) => (index(item) % 8 === 0 ? t(item) : 1 + ((index(item) * 7 + 3) % 5));
    const report = syntheticReport({ items: 200, criteria: ['c1'], judges: ['good', 'poor'], ids: (i) => ids200[i]!, score: (j, item) => (j === 'good' ? t(item) : poor(item)) });
    const labels: HumanLabel[] = ids200.map((item) => ({ item, criterion: 'c1', annotator: 'a', score: t(item) }));
    const c = calibrate(report, labels, { resamples: 100 }).criteria[0]!;
    const alpha = c.raters.find((r) => r.rater === 'poor')!.alpha;
    expect(alpha.value!).toBeGreaterThan(0);
    expect(alpha.ci!.high).toBeLessThan(DROP_BELOW_ALPHA);
    expect(c.recommendation.drop.map((d) => d.judge)).toEqual(['poor']);
    expect(c.recommendation.weights).toEqual({ good: 1, poor: 0 });
  });

  it('a judge with no verdict on the labelled units gets no advice, and no weight', () => {
    const report = syntheticReport({ items: 20, criteria: ['c1'], judges: ['good', 'also', 'gone'], score: (_, item) => truth(item), failed: (j) => j === 'gone' });
    const c = calibrate(report, people(20), { resamples: 100 }).criteria[0]!;
    const gone = c.raters.find((r) => r.rater === 'gone')!;
    expect(gone.alpha.value).toBeNull();
    expect(gone.units).toBe(0);
    // Every note, in order: the best judge is the first of the best (also, good: both 1), never the one with no
    // alpha; a judge and people both at alpha 1 (intervals [1, 1]) do not make the judge "more than people" (the
    // intervals touch, they are not apart).
    expect(c.recommendation.notes).toEqual([
      `gone: its agreement with people is undefined (${gone.alpha.reason}); no advice`,
      'the panel and also, its best judge, cannot be told apart on 20 labelled units (their intervals overlap)',
      ...['also', 'good'].map((j) => `${j} agrees with people about as well as people agree with each other, per vote: 100.0% of its verdicts match a person's vote (95% CI 100.0%–100.0%); people match each other in 100.0% of pairs (100.0%–100.0%)`),
    ]);
    expect(c.recommendation.weights).toEqual({ good: 0.5, also: 0.5, gone: 0 });
  });

  it('one labelled unit is said in the singular', () => {
    const report = syntheticReport({ items: 3, criteria: ['c1'], judges: ['a'], score: () => 3 });
    expect(calibrate(report, people(1), { resamples: 50 }).criteria[0]!.recommendation.notes).toEqual(['only 1 labelled unit: no advice (at least 10 are needed before intervals mean anything)']);
  });

  it('moreUnitsToDecide never divides by a distance under 0.02', () => {
    expect(moreUnitsToDecide(10, { low: 0.1, high: 0.5 }, DROP_BELOW_ALPHA)).toBe(Math.ceil(10 * (0.2 / 0.02) ** 2 - 1e-9) - 10);
    expect(moreUnitsToDecide(10, { low: 0.2, high: 0.4 }, 0.2)).toBe(Math.ceil(10 * (0.1 / 0.1) ** 2 - 1e-9) - 10 || 1);
  });
});

describe('consensus', () => {
  it('the median on numeric scales, the mean of the middle two for an even count', () => {
    expect(consensus([], likert)).toBeUndefined();
    expect(consensus([5, 1, 3], likert)).toBe(3);
    expect(consensus([4, 1, 2, 5], likert)).toBe(3);
    expect(consensus([2, 3], likert)).toBe(2.5);
  });

  it('the most frequent label on categorical scales; a tie is no consensus, whatever the order of the labels', () => {
    const scale = { type: 'categorical' as const, labels: ['b', 'a', 'c'] };
    expect(consensus(['a', 'c', 'c'], scale)).toBe('c');
    expect(consensus(['a', 'b'], scale)).toBeUndefined();
    expect(consensus(['c', 'a'], scale)).toBeUndefined();
    expect(consensus(['c', 'a', 'a', 'c', 'b'], scale)).toBeUndefined();
    expect(consensus(['c'], scale)).toBe('c');
  });

  it('the nearest point of the scale, ties going down; labels unchanged', () => {
    expect(nearestPoint(2.5, likert)).toBe(2);
    expect(nearestPoint(2.6, likert)).toBe(3);
    expect(nearestPoint(0, likert)).toBe(1);
    expect(nearestPoint(9, likert)).toBe(5);
    expect(nearestPoint('x', { type: 'categorical', labels: ['x', 'y'] })).toBe('x');
    // Only a number on a numeric scale moves: anything else is kept as it is.
    expect(nearestPoint(2, { type: 'categorical', labels: ['x', 'y'] })).toBe(2);
    expect(nearestPoint('x', likert)).toBe('x');
  });
});

describe('compareAgainstPeople', () => {
  const truth = (item: string) => 1 + (n(item) % 5);
  const labels: HumanLabel[] = ids(20).map((item) => ({ item, criterion: 'c1', annotator: 'p', score: truth(item) }));

  it('per criterion: paired absolute errors, their means, the signed-rank p and Holm across criteria', () => {
    const a = syntheticReport({ items: 20, criteria: ['c1', 'c2'], judges: ['x'], label: 'a', score: (_, item, c) => (c === 'c1' ? Math.min(5, truth(item) + 1) : 3) });
    const b = syntheticReport({ items: 20, criteria: ['c1', 'c2'], judges: ['x'], label: 'b', score: (_, item, c) => (c === 'c1' ? truth(item) : 3) });
    const two = [...labels, ...ids(20).map((item) => ({ item, criterion: 'r/c2', annotator: 'p', score: 3 }))];
    const rows = compareAgainstPeople(a, b, two);
    const errA = ids(20).map((item) => Math.abs(Math.min(5, truth(item) + 1) - truth(item)));
    const p1 = wilcoxonSignedRank(errA.map((e) => e - 0)).p_value;
    const p2 = wilcoxonSignedRank(ids(20).map(() => 0)).p_value;
    const [h1, h2] = holm([p1, p2]);
    expect(rows).toEqual([
      { rubric: 'r', criterion: 'c1', units: 20, error_a: errA.reduce((s, e) => s + e, 0) / 20, error_b: 0, p_value: p1, p_holm: h1, better: 'b' },
      { rubric: 'r', criterion: 'c2', units: 20, error_a: 0, error_b: 0, p_value: p2, p_holm: h2, better: 'neither' },
    ]);
    expect(compareAgainstPeople(b, a, two)[0]!.better).toBe('a');
    // At a stricter level the same difference is not called.
    expect(compareAgainstPeople(a, b, two, h1! / 2)[0]!.better).toBe('neither');
  });

  it('leaves out categorical criteria, criteria or items missing from the other report, unscored units and unlabelled ones', () => {
    const scales = { kind: { type: 'categorical' as const, labels: ['a', 'b'] } };
    const a = syntheticReport({ items: 20, criteria: ['c1', 'kind', 'c3'], judges: ['x'], scales, label: 'a', score: (_, item, c) => (c === 'kind' ? 'a' : truth(item)) });
    const b = syntheticReport({ items: 12, criteria: ['c1', 'kind'], judges: ['x'], scales, label: 'b', score: (_, item, c) => (c === 'kind' ? 'a' : truth(item)), failed: (_, item) => n(item) < 2 });
    // People's labels on the categorical criterion are numbers here (a label file's "1" is read as 1): still left out.
    const kindLabels = ids(20).map((item) => ({ item, criterion: 'kind', annotator: 'p', score: 1 }));
    const rows = compareAgainstPeople(a, b, [...labels.filter((l) => n(l.item) !== 5), { item: 'item-06', criterion: 'c1', annotator: 'q', score: 'many' }, ...kindLabels]);
    // c1: items 0–11 in both, 0 and 1 unscored in b, 5 unlabelled: 9 units. 'many' is not a number: item 6 keeps p's label only.
    expect(rows.map((r) => [r.criterion, r.units, r.error_a, r.error_b, r.better])).toEqual([['c1', 9, 0, 0, 'neither']]);
    expect(compareAgainstPeople(a, b, [])).toEqual([]);
  });
});

describe('calibrate corners', () => {
  const truth = (item: string) => 1 + (n(item) % 5);
  const labelsOf = (k: number, criterion = 'c1'): HumanLabel[] => ids(k).map((item) => ({ item, criterion, annotator: 'a', score: truth(item) }));

  it('each criterion only from its own units; a criterion with no labels is left out; off-scale labels never count as labelled', () => {
    const report = syntheticReport({ items: 12, criteria: ['c1', 'c2', 'c3'], judges: ['j'], score: (_, item, c) => (c === 'c2' ? 6 - truth(item) : truth(item)) });
    const labels = [...labelsOf(12, 'c1'), ...labelsOf(12, 'r/c2'), { item: 'item-00', criterion: 'c3', annotator: 'a', score: 9 }];
    const result = calibrate(report, labels, { resamples: 50 });
    expect(result.criteria.map((c) => [c.criterion, c.labelled_units])).toEqual([['c1', 12], ['c2', 12]]);
    expect(result.criteria[0]!.raters[0]!.exact.value).toBe(1);
    expect(result.criteria[1]!.raters[0]!.exact.value).toBeLessThan(1);
  });

  it('a judge’s samples are averaged before comparing; an unscored panel is left out of the panel’s row', () => {
    const report = syntheticReport({ items: 10, criteria: ['c1'], judges: ['j', 'k', 'm'], samples: 2, score: (j, item, _, __, s) => (j === 'j' ? truth(item) + (s === 0 ? -1 : 1) : truth(item)), failed: (j, item) => j !== 'j' && n(item) === 0 });
    const c = calibrate(report, labelsOf(10), { resamples: 50 }).criteria[0]!;
    expect(c.raters.find((r) => r.rater === 'j')!.exact.value).toBe(1);
    expect(c.raters.find((r) => r.rater === 'panel')!.units).toBe(9);
    expect(c.raters.find((r) => r.rater === 'k')!.units).toBe(9);
  });

  it('people are compared with each other over every annotator of a unit, however many labelled it', () => {
    const report = syntheticReport({ items: 6, criteria: ['c1'], judges: ['j'], score: (_, item) => truth(item) });
    const labels: HumanLabel[] = ids(6).flatMap((item, i) => ['a', 'b', 'c'].slice(0, 1 + (i % 3)).map((annotator, k) => ({ item, criterion: 'c1', annotator, score: Math.min(5, truth(item) + (k === 2 ? 1 : 0)) })));
    const c = calibrate(report, labels, { resamples: 50, seed: 3 }).criteria[0]!;
    const table = ids(6).map((item, i) => [0, 1, 2].map((k) => (k <= i % 3 ? Math.min(5, truth(item) + (k === 2 ? 1 : 0)) : null)));
    expect(c.human_alpha!.value).toBeCloseTo(krippendorffAlpha(table, 'ordinal').value!, 12);
    expect(c.annotators).toBe(3);
  });

  it('keeps five examples of unusable labels; a label naming the rubric but no unit is "no unit"', () => {
    const report = syntheticReport({ items: 2, criteria: ['c1'], judges: ['j'], score: () => 3 });
    const bad: HumanLabel[] = Array.from({ length: 7 }, (_, i) => ({ item: `ghost-${i}`, criterion: 'r/c1', annotator: 'a', score: 3 }));
    const dropped = calibrate(report, bad, { resamples: 10 }).dropped;
    expect(dropped).toMatchObject({ no_unit: 7, unknown_criterion: 0, off_scale: 0 });
    expect(dropped.examples).toEqual(bad.slice(0, 5).map((l) => `${l.item} / r/c1: no unit of the report has this item`));
  });

  it('an undefined agreement carries its reason', () => {
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j', 'k', 'gone'], score: (_, item) => truth(item), failed: (j) => j === 'gone' });
    const gone = calibrate(report, labelsOf(12), { resamples: 50 }).criteria[0]!.raters.find((r) => r.rater === 'gone')!;
    expect(gone.alpha).toEqual({ value: null, ci: null, reason: 'no unit has two or more ratings' });
    expect(gone.exact).toEqual({ value: null, ci: null, reason: 'no labelled unit' });
    expect(gone.bias).toEqual({ value: null, ci: null, reason: 'no labelled unit' });
  });

  it('a judge below the drop line with no interval is neither dropped nor doubted, and weighs nothing', () => {
    // Eleven items where judge and person both say 3, one where the judge says 5 and the person 1: alpha is far
    // below zero, and most resamples (all 3s) leave it undefined, so there is no interval to act on.
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j'], score: (_, item) => (item === 'item-00' ? 5 : 3) });
    const labels: HumanLabel[] = ids(12).map((item) => ({ item, criterion: 'c1', annotator: 'a', score: item === 'item-00' ? 1 : 3 }));
    const c = calibrate(report, labels, { resamples: 200 }).criteria[0]!;
    const j = c.raters.find((r) => r.rater === 'j')!;
    expect(j.alpha.value!).toBeLessThan(0);
    expect(j.alpha.ci).toBeNull();
    expect(c.recommendation.drop).toEqual([]);
    expect(c.recommendation.weights).toBeNull();
    expect(c.recommendation.notes).toEqual(['no weights: no judge agrees with people reliably above chance on these labels']);
  });

  it('each rubric is calibrated on its own units when two rubrics share a criterion name', () => {
    const report = withSecondRubric(syntheticReport({ items: 12, criteria: ['c1'], judges: ['j'], score: (_, item) => truth(item) }), 'q', 1);
    const labels: HumanLabel[] = [...labelsOf(12, 'r/c1'), ...labelsOf(12, 'q/c1')];
    const result = calibrate(report, labels, { resamples: 50 });
    expect(result.criteria.map((c) => [c.rubric, c.labelled_units])).toEqual([['r', 12], ['q', 12]]);
  });

  it('three samples of a judge on a numeric scale are averaged, not taken by their median', () => {
    // Samples 1, 1, 4 on every item: the mean 2 is the judge's score (the median would be 1).
    const report = syntheticReport({ items: 10, criteria: ['c1'], judges: ['j'], samples: 3, score: (_, __, ___, ____, s) => (s === 2 ? 4 : 1) });
    const labels: HumanLabel[] = ids(10).map((item) => ({ item, criterion: 'c1', annotator: 'a', score: 2 }));
    const j = calibrate(report, labels, { resamples: 50 }).criteria[0]!.raters.find((r) => r.rater === 'j')!;
    expect(j.exact.value).toBe(1);
    expect(j.bias!.value).toBe(0);
  });

  it('a harsh bias whose interval reaches zero from below is not noted', () => {
    // Two items of ten four points too low: bias −0.8, and a tenth of the resamples miss both (high end 0).
    const report = syntheticReport({ items: 10, criteria: ['c1'], judges: ['odd', 'same'], score: (j, item) => (j === 'odd' && truth(item) === 5 ? 1 : truth(item)) });
    const labels: HumanLabel[] = ids(10).map((item) => ({ item, criterion: 'c1', annotator: 'a', score: truth(item) }));
    const c = calibrate(report, labels, { resamples: 200 }).criteria[0]!;
    const bias = c.raters.find((r) => r.rater === 'odd')!.bias!;
    expect(bias.value).toBeCloseTo(-0.8, 12);
    expect(bias.ci!.high).toBe(0);
    expect(c.recommendation.notes.some((x) => x.startsWith('odd is'))).toBe(false);
  });

  it('an agreement whose interval cannot be drawn keeps its value and has no interval', () => {
    // Eleven items at 3 and one at 1, judge and person alike: alpha is 1, but about a third of the resamples
    // miss the one item that varies, more than the tenth of undefined draws an interval allows.
    const score = (item: string) => (item === 'item-00' ? 1 : 3);
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j'], score: (_, item) => score(item) });
    const labels: HumanLabel[] = ids(12).map((item) => ({ item, criterion: 'c1', annotator: 'a', score: score(item) }));
    const j = calibrate(report, labels, { resamples: 200 }).criteria[0]!.raters.find((r) => r.rater === 'j')!;
    expect(j.alpha).toEqual({ value: 1, ci: null });
  });

  it('a bias of exactly half a point is noted, with its sign; one whose interval reaches zero is not', () => {
    const low = (item: string) => 1 + (n(item) % 4);
    const labels: HumanLabel[] = ids(20).map((item) => ({ item, criterion: 'c1', annotator: 'a', score: low(item) }));
    const half = syntheticReport({ items: 20, criteria: ['c1'], judges: ['up', 'same'], score: (j, item) => (j === 'up' && n(item) % 2 === 0 ? low(item) + 1 : low(item)) });
    const c = calibrate(half, labels, { resamples: 200 }).criteria[0]!;
    const bias = c.raters.find((r) => r.rater === 'up')!.bias!;
    expect(bias.value).toBe(0.5);
    expect(c.recommendation.notes).toContain(`up is lenient: +0.50 points against people on average (95% CI ${bias.ci!.low.toFixed(2)}–${bias.ci!.high.toFixed(2)})`);
    // Two items four points too high, the rest right: a bias of 0.8 whose interval starts at zero.
    const rare = syntheticReport({ items: 10, criteria: ['c1'], judges: ['odd', 'same'], score: (j, item) => (j === 'odd' && (item === 'item-00' || item === 'item-05') ? 5 : truth(item)) });
    const r = calibrate(rare, labelsOf(10), { resamples: 200 }).criteria[0]!;
    const oddBias = r.raters.find((x) => x.rater === 'odd')!.bias!;
    expect(oddBias.value).toBeCloseTo(0.8, 12);
    expect(oddBias.ci!.low).toBe(0);
    expect(r.recommendation.notes.some((x) => x.startsWith('odd is'))).toBe(false);
  });

  it('a judge above the drop line gets no "may or may not" note, however wide its interval', () => {
    const weak = (item: string) => (n(item) % 3 === 0 ? truth(item) : 1 + ((n(item) * 7 + 3) % 5));
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['weak'], score: (_, item) => weak(item) });
    const c = calibrate(report, labelsOf(12), { resamples: 100 }).criteria[0]!;
    const alpha = c.raters[0]!.alpha;
    expect(alpha.value!).toBeGreaterThan(DROP_BELOW_ALPHA);
    expect(alpha.ci!.low).toBeLessThan(DROP_BELOW_ALPHA);
    expect(c.recommendation.notes.some((x) => x.startsWith('weak: alpha'))).toBe(false);
  });
});

describe('compareAgainstPeople corners', () => {
  const truth = (item: string) => 1 + (n(item) % 5);
  const labels: HumanLabel[] = ids(30).map((item) => ({ item, criterion: 'c1', annotator: 'p', score: truth(item) }));
  it('tests the paired differences of errors, a minus b, and calls nothing at exactly the significance level', () => {
    // a is off by 2 on a third of the items; b is off by 1 on the others.
    const off = (item: string) => n(item) % 3 === 0;
    const a = syntheticReport({ items: 30, criteria: ['c1'], judges: ['x'], label: 'a', score: (_, item) => (off(item) ? (truth(item) > 2 ? truth(item) - 2 : truth(item) + 2) : truth(item)) });
    const b = syntheticReport({ items: 30, criteria: ['c1'], judges: ['x'], label: 'b', score: (_, item) => (off(item) ? truth(item) : truth(item) > 1 ? truth(item) - 1 : 2) });
    const [row] = compareAgainstPeople(a, b, labels);
    const differences = ids(30).map((item) => (off(item) ? 2 : -1));
    expect(row!.p_value).toBe(wilcoxonSignedRank(differences).p_value);
    expect(row!.error_a).toBeCloseTo(20 / 30, 12);
    expect(row!.error_b).toBeCloseTo(20 / 30, 12);
    expect(row!.better).toBe('neither');
    const clear = syntheticReport({ items: 30, criteria: ['c1'], judges: ['x'], label: 'c', score: (_, item) => truth(item) });
    const [sure] = compareAgainstPeople(a, clear, labels);
    expect(sure!.better).toBe('b');
    expect(compareAgainstPeople(a, clear, labels, sure!.p_holm!)[0]!.better).toBe('neither');
  });
});

describe('compareAgainstPeople: which units are paired', () => {
  const truth = (item: string) => 1 + (n(item) % 5);

  it('a unit is paired with the same rubric, criterion and turn; labels of another rubric or turn never mix in', () => {
    // Two rubrics share the criterion name c1: rubric q is a copy of r whose scores are 1 up in a, 1 down in b. Per turn: turn 2 is exact, turn 4 off.
    const withRubricQ = (report: Report, shift: number): Report => withSecondRubric(report, 'q', shift);
    const score = (_: string, item: string, __: string, turn?: number) => (turn === 4 ? Math.min(5, truth(item) + 1) : truth(item));
    const a = withRubricQ(syntheticReport({ items: 12, criteria: ['c1'], judges: ['x'], turns: 2, label: 'a', score }), 1);
    const b = withRubricQ(syntheticReport({ items: 12, criteria: ['c1'], judges: ['x'], turns: 2, label: 'b', score, failed: (_, item) => n(item) === 0 }), -1);
    const labels: HumanLabel[] = ids(12).flatMap((item) => [2, 4].flatMap((turn) => ['r/c1', 'q/c1'].map((criterion) => ({ item, criterion, turn, annotator: 'p', score: truth(item) }))));
    const rows = compareAgainstPeople(a, b, labels);
    const err = (turn: number, item: string, shift: number) => Math.abs(Math.max(1, Math.min(5, (turn === 4 ? Math.min(5, truth(item) + 1) : truth(item)) + shift)) - truth(item));
    const units = ids(12).slice(1).flatMap((item) => [2, 4].map((turn) => ({ item, turn })));
    const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(rows.map((r) => [r.rubric, r.units, r.error_a, r.error_b])).toEqual([
      ['r', 22, mean(units.map((u) => err(u.turn, u.item, 0))), mean(units.map((u) => err(u.turn, u.item, 0)))],
      ['q', 22, mean(units.map((u) => err(u.turn, u.item, 1))), mean(units.map((u) => err(u.turn, u.item, -1)))],
    ]);
    // Swapped, item-00 is unscored in the first report and is left out the same way.
    expect(compareAgainstPeople(b, a, labels).map((r) => r.units)).toEqual([22, 22]);
  });

  it('errors equal on average are "neither", even when the test finds the pairs differ', () => {
    // 100 items: a is 4 off on the 20 with truth 1, b is 1 off on the other 80. Mean error 0.8 each.
    const labels: HumanLabel[] = ids(100).map((item) => ({ item, criterion: 'c1', annotator: 'p', score: truth(item) }));
    const a = syntheticReport({ items: 100, criteria: ['c1'], judges: ['x'], label: 'a', score: (_, item) => (truth(item) === 1 ? 5 : truth(item)) });
    const b = syntheticReport({ items: 100, criteria: ['c1'], judges: ['x'], label: 'b', score: (_, item) => (truth(item) === 1 ? 1 : truth(item) - 1) });
    const [row] = compareAgainstPeople(a, b, labels);
    expect(row!.error_a).toBe(0.8);
    expect(row!.error_b).toBe(0.8);
    expect(row!.p_holm!).toBeLessThan(0.05);
    expect(row!.better).toBe('neither');
  });
});
