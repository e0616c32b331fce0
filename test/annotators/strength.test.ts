import { describe, expect, it } from 'vitest';
import { auditCriterion } from '../../src/annotators/audit.js';
import { fitModel, unitConsensus } from '../../src/annotators/consensus.js';
import { contestedItems } from '../../src/annotators/items.js';
import { judgeLabels, reportScales } from '../../src/annotators/judges.js';
import { labelTables } from '../../src/annotators/table.js';
import { calibrate } from '../../src/calibrate/calibrate.js';
import type { HumanLabel } from '../../src/labels/labels.js';
import { leastCertain, selectForReview } from '../../src/review/select.js';
import { bootstrapInterval } from '../../src/stats/bootstrap.js';
import { dawidSkene } from '../../src/stats/dawid-skene.js';
import { cohenKappa } from '../../src/stats/kappa.js';
import { seededRng } from '../../src/stats/rng.js';
import { wilsonInterval } from '../../src/stats/proportion.js';
import { directBca, leaveOneOut, replicates } from '../support/bca.js';
import { syntheticReport } from '../support/synthetic-report.js';

// Each test here pins a behaviour a planted bug once got past (npm run mutate, group "people").
const label = (item: string, annotator: string, score: number | string, extra: Partial<HumanLabel> = {}): HumanLabel => ({ item, criterion: 'c', annotator, score, ...extra });
const ids = (n: number) => Array.from({ length: n }, (_, i) => `i${String(i).padStart(2, '0')}`);

/** Three annotators on p/q over 20 items; `w` agrees with the truth only every other item. */
function three(): HumanLabel[] {
  return ids(20).flatMap((item, i) => {
    const truth = i % 3 ? 'p' : 'q';
    return [label(item, 'u', truth), label(item, 'v', i === 4 ? 'q' : truth), label(item, 'w', i % 2 ? truth : truth === 'p' ? 'q' : 'p')];
  });
}

describe('audit defaults and intervals', () => {
  it('defaults to seed 1, 1,000 resamples and a 0.7 gold threshold', () => {
    const gold = ids(20).map((item, i) => label(item, 'g', i % 3 ? 'p' : 'q'));
    const [table] = labelTables(three(), { gold });
    expect(JSON.stringify(auditCriterion(table!))).toBe(JSON.stringify(auditCriterion(table!, { seed: 1, resamples: 1000, minGoldAccuracy: 0.7 })));
  });

  it("an annotator's kappa interval is the BCa bootstrap of their pairs, recomputed here", () => {
    const [table] = labelTables(three());
    const w = auditCriterion(table!, { resamples: 300, seed: 4 }).annotators!.find((r) => r.annotator === 'w')!;
    // w against the others' majority: u and v agree except on item 4, where they tie (left out).
    const labels = three();
    const pairs = ids(20).flatMap((item, i) => (i === 4 ? [] : [[String(labels.find((l) => l.item === item && l.annotator === 'w')!.score), String(labels.find((l) => l.item === item && l.annotator === 'u')!.score)]]));
    const f = (sel: readonly number[]) => cohenKappa(sel.map((i) => pairs[i]![0]!), sel.map((i) => pairs[i]![1]!)).value;
    const all = pairs.map((_, i) => i);
    const expected = directBca(replicates(pairs.length, 300, seededRng(4), f), f(all)!, leaveOneOut(pairs.length, f));
    expect(w.compared).toBe(19);
    expect(w.kappa.ci!.method).toBe('bca');
    expect(w.kappa.ci!.skipped).toBe(0);
    expect(w.kappa.ci!.low).toBeCloseTo(expected.low, 12);
    expect(w.kappa.ci!.high).toBeCloseTo(expected.high, 12);
    // Not the percentile interval of the same replicates.
    const percentile = bootstrapInterval(pairs.length, (sel) => cohenKappa(Array.from(sel, (i) => pairs[i]![0]!), Array.from(sel, (i) => pairs[i]![1]!)), seededRng(4), { resamples: 300 });
    expect([w.kappa.ci!.low, w.kappa.ci!.high]).not.toEqual([percentile.low, percentile.high]);
  });

  it('resamples the turns of one conversation together: per-turn labels are bootstrapped by item', () => {
    // Four turns per item; w disagrees with u and v on every turn of every third item.
    const labels = ids(12).flatMap((item, i) => [1, 2, 3, 4].flatMap((turn) => {
      const truth = turn % 2 ? 'p' : 'q';
      const wrong = truth === 'p' ? 'q' : 'p';
      return [label(item, 'u', truth, { turn }), label(item, 'v', truth, { turn }), label(item, 'w', i % 3 ? truth : wrong, { turn })];
    }));
    const [table] = labelTables(labels);
    const w = auditCriterion(table!, { resamples: 200, seed: 9 }).annotators!.find((r) => r.annotator === 'w')!;
    expect(w.compared).toBe(48);
    // Units in id order: item k holds units 4k..4k+3. Drawing 12 items, each bringing its four turns.
    const first = labels.filter((l) => l.annotator === 'w').map((l) => l.score);
    const second = labels.filter((l) => l.annotator === 'u').map((l) => l.score);
    const expand = (sel: readonly number[]) => sel.flatMap((c) => [0, 1, 2, 3].map((t) => 4 * c + t));
    const f = (sel: readonly number[]) => cohenKappa(expand(sel).map((i) => String(first[i])), expand(sel).map((i) => String(second[i]))).value;
    const clusters = ids(12).map((_, i) => i);
    const expected = directBca(replicates(12, 200, seededRng(9), f), f(clusters)!, leaveOneOut(12, f));
    expect(w.kappa.ci!.low).toBeCloseTo(expected.low, 12);
    expect(w.kappa.ci!.high).toBeCloseTo(expected.high, 12);
  });

  it('an undefined agreement is null with its reason and no interval; the pool is the median of the defined ones', () => {
    // x labelled one item only: one pair, no alpha.
    const [table] = labelTables([...three(), label('i00', 'x', 'q')]);
    const out = auditCriterion(table!, { resamples: 100 });
    const x = out.annotators!.find((r) => r.annotator === 'x')!;
    expect(x.alpha).toEqual({ value: null, ci: null, reason: expect.stringMatching(/\w/) });
    expect(x.units).toBe(1);
    const defined = out.annotators!.filter((r) => r.alpha.value !== null).map((r) => r.alpha.value!).sort((a, b) => a - b);
    expect(defined).toHaveLength(3);
    expect(out.pool_alpha).toBe(defined[1]);
  });

  it('says "gold unit" for one, and flags by the threshold given', () => {
    const [table] = labelTables(three(), { gold: [label('i01', 'g', 'q')] });
    const out = auditCriterion(table!, { resamples: 100, minGoldAccuracy: 0.9 });
    const u = out.annotators!.find((r) => r.annotator === 'u')!;
    expect(u.gold).toEqual({ units: 1, correct: 0, accuracy: 0, ci: wilsonInterval(0, 1) });
    expect(u.flags).toContain(`gold accuracy 0.00 (95% CI 0.00–${wilsonInterval(0, 1)!.high.toFixed(2)}) on 1 gold unit, below 0.9`);
    expect(auditCriterion(table!, { resamples: 100, minGoldAccuracy: 0.5 }).annotators!.find((r) => r.annotator === 'u')!.flags).toEqual([]);
  });

  it('keeps the model\'s priors by point, and no consensus_vs_gold or gold row without gold', () => {
    const [table] = labelTables(three());
    const out = auditCriterion(table!, { resamples: 100 });
    const fit = fitModel(table!).fit;
    expect(out.model!.priors).toEqual({ p: fit.priors[0], q: fit.priors[1] });
    expect(out.model!.log_likelihood).toBe(fit.logLikelihood);
    expect(out.consensus_vs_gold).toBeUndefined();
    expect(out.annotators!.every((r) => r.gold === undefined)).toBe(true);
    expect(out.annotators!.find((r) => r.annotator === 'w')!.model!.confusion).toEqual(fit.confusion[2]);
  });

  it('counts only the units an annotator labelled, and lists the points they used in scale order', () => {
    const labels = [label('a', 'x', 3), label('a', 'y', 3), label('b', 'y', 1), label('c', 'y', 2), label('c', 'x', 1), label('d', 'x', 2)];
    const [table] = labelTables(labels, { scales: new Map([['c', { level: 'ordinal', points: [1, 2, 3] }]]) });
    const out = auditCriterion(table!, { resamples: 100 });
    const x = out.annotators!.find((r) => r.annotator === 'x')!;
    expect(x.units).toBe(3);
    expect(x.scale_used).toEqual({ points: ['1', '2', '3'], share: 1 });
    expect(out.annotators!.find((r) => r.annotator === 'y')!.scale_used).toEqual({ points: ['1', '2', '3'], share: 1 });
  });

  it('an ordinal annotator whose own repeated votes split between two points has no value there', () => {
    const labels = [label('a', 'x', 2), label('a', 'x', 3), label('a', 'y', 2), label('b', 'x', 2), label('b', 'y', 2)];
    const [table] = labelTables(labels, { scales: new Map([['c', { level: 'ordinal', points: [1, 2, 3] }]]) });
    const x = auditCriterion(table!, { resamples: 100 }).annotators!.find((r) => r.annotator === 'x')!;
    expect(x.compared).toBe(1);
    expect(x.mean_shift!.value).toBe(0);
    const lonely = labelTables([label('a', 'x', 2), label('a', 'x', 3), label('a', 'y', 1)], { scales: new Map([['c', { level: 'ordinal', points: [1, 2, 3] }]]) })[0]!;
    expect(auditCriterion(lonely, { resamples: 100 }).annotators!.find((r) => r.annotator === 'x')!.mean_shift).toEqual({ value: null, ci: null, reason: 'no unit to compare' });
  });
});

describe('consensus against gold', () => {
  it('counts units with votes only, leaves ties undecided, and scores wrong answers as wrong', () => {
    // a: p p q → p (gold q: wrong); b: p q → tie; c: q q → q (gold q: right); d: gold only.
    const labels = [label('a', 'x', 'p'), label('a', 'y', 'p'), label('a', 'z', 'q'), label('b', 'x', 'p'), label('b', 'y', 'q'), label('c', 'x', 'q'), label('c', 'y', 'q')];
    const gold = [label('a', 'g', 'q'), label('b', 'g', 'p'), label('c', 'g', 'q'), label('d', 'g', 'p')];
    const [table] = labelTables(labels, { gold });
    expect(table!.gold.size).toBe(4);
    const out = auditCriterion(table!, { resamples: 100 });
    expect(out.consensus_vs_gold!.majority).toEqual({ units: 3, decided: 2, correct: 1, ties: 1, accuracy: 0.5, ci: wilsonInterval(1, 2) });
  });

  it('has no Dawid–Skene line for anonymous annotators', () => {
    const [table] = labelTables(three().map((l) => ({ ...l, anonymous: true as const })), { gold: [label('i00', 'g', 'q')] });
    const out = auditCriterion(table!, { resamples: 100 });
    expect(out.consensus_vs_gold!.majority.units).toBe(1);
    expect(out.consensus_vs_gold).not.toHaveProperty('dawid_skene');
  });
});

describe('consensus methods', () => {
  it('median and majority differ where they should; median on a nominal scale is the majority', () => {
    const ordinal = labelTables([label('a', 'w', 2), label('a', 'x', 2), label('a', 'y', 4), label('a', 'z', 5)], { scales: new Map([['c', { level: 'ordinal', points: [1, 2, 3, 4, 5] }]]) })[0]!;
    expect(unitConsensus(ordinal, 'median')).toEqual([3]);
    expect(unitConsensus(ordinal, 'majority')).toEqual([2]);
    const nominal = labelTables(three())[0]!;
    expect(unitConsensus(nominal, 'median')).toEqual(unitConsensus(nominal, 'majority'));
  });

  it('dawid-skene follows the model, not the vote count, and leaves a unit with no votes undecided', () => {
    const [table] = labelTables([label('a', 'x', 'p'), label('a', 'y', 'p'), label('a', 'z', 'q')], { gold: [label('b', 'g', 'q')] });
    const model = fitModel(table!);
    const minority = { ...model, fit: { ...model.fit, posterior: Float64Array.from([0.2, 0.8, 0.9, 0.1]) } };
    expect(unitConsensus(table!, 'dawid-skene', minority)).toEqual(['q', null]);
    expect(unitConsensus(table!, 'majority')).toEqual(['p', null]);
  });

  it("fitModel passes its start on: the paper's shares start differs from majority where items carry different numbers of labels", () => {
    const labels = [label('a', 'x', 'p'), label('a', 'y', 'q'), label('a', 'z', 'q'), label('b', 'x', 'p'), label('b', 'y', 'p'), label('c', 'x', 'q'), label('c', 'y', 'p'), label('c', 'z', 'p'), label('c', 'w', 'q'), label('c', 'v', 'p')];
    const [table] = labelTables(labels);
    const shares = fitModel(table!, 'shares');
    expect(shares.start).toBe('shares');
    const direct = dawidSkene({ classes: 2, items: 3, annotators: 5, item: table!.unit, annotator: table!.annotator, label: table!.point }, { start: 'shares' });
    expect(Array.from(shares.fit.posterior)).toEqual(Array.from(direct.posterior));
    expect(Array.from(fitModel(table!).fit.posterior)).not.toEqual(Array.from(direct.posterior));
  });
});

describe('contested items, details', () => {
  it('counts every point, names the majority, gives the posterior by point and the gold answer only where there is one', () => {
    const [table] = labelTables([label('a', 'x', 'p'), label('a', 'y', 'q'), label('a', 'z', 'q'), label('b', 'x', 'p'), label('b', 'y', 'p')], { gold: [label('a', 'g', 'q')] });
    const model = fitModel(table!);
    const rows = contestedItems(table!, model);
    expect(rows[0]).toMatchObject({ item: 'a', votes: 3, counts: { p: 1, q: 2 }, majority: 'q', gold: 'q' });
    expect(rows[0]!.model!.posterior).toEqual({ p: model.fit.posterior[0], q: model.fit.posterior[1] });
    expect(rows[1]).not.toHaveProperty('gold');
    expect(rows[1]).not.toHaveProperty('turn');
  });
});

describe('judges as annotators, details', () => {
  it("takes each criterion's scale from the rubric: likert ordinal, binary and categorical nominal", () => {
    const report = syntheticReport({ items: 1, criteria: ['a', 'b', 'c'], judges: ['j'], scales: { b: { type: 'binary' }, c: { type: 'categorical', labels: ['no', 'yes'] } }, score: (_, __, criterion) => (criterion === 'c' ? 'yes' : 1) });
    expect([...reportScales(report)]).toEqual([
      ['r/a', { level: 'ordinal', points: [1, 2, 3, 4, 5] }],
      ['r/b', { level: 'nominal', points: [0, 1] }],
      ['r/c', { level: 'nominal', points: ['no', 'yes'] }],
    ]);
  });

  it('gives a judge no label where it has no scored verdict, and carries the turn of per-turn units', () => {
    const report = syntheticReport({ items: 2, criteria: ['ok'], judges: ['a', 'b'], turns: 2, score: () => 4, failed: (judge, item) => judge === 'b' && item === 'item-00' });
    const people = [{ item: 'item-00', criterion: 'r/ok', turn: 2, annotator: 'x', score: 4 }];
    expect(judgeLabels(report, people)).toEqual([{ item: 'item-00', criterion: 'r/ok', turn: 2, annotator: 'judge:a', score: 4 }]);
  });
});

describe('calibrate --consensus, details', () => {
  const items = ids(8);
  const report = syntheticReport({ items: 8, criteria: ['c1', 'c2'], judges: ['j'], ids: (i) => items[i]!, score: () => 3 });

  it("uses the rubric's scale (a median between two votes may be a point no one chose) and only its criterion's labels", () => {
    const labels: HumanLabel[] = items.flatMap((item) => [
      { item, criterion: 'c1', annotator: 'x', score: 2 }, { item, criterion: 'c1', annotator: 'y', score: 4 },
      { item, criterion: 'c2', annotator: 'x', score: 5 }, { item, criterion: 'c2', annotator: 'z', score: 5 },
    ]);
    const c1 = calibrate(report, labels, { resamples: 100, consensus: 'median' }).criteria.find((c) => c.criterion === 'c1')!;
    expect(c1.consensus).toEqual({ method: 'median', ties: 0, adjudicated: 0 });
    expect(c1.raters.find((r) => r.rater === 'j')!.exact.value).toBe(1);
    expect(c1.annotators).toBe(2);
  });

  it('counts a tied unit in no rater, and a criterion without labels is simply absent', () => {
    const labels: HumanLabel[] = items.flatMap((item, i) => [{ item, criterion: 'c1', annotator: 'x', score: 3 }, { item, criterion: 'c1', annotator: 'y', score: i < 3 ? 2 : 3 }]);
    const out = calibrate(report, labels, { resamples: 100, consensus: 'majority' });
    expect(out.criteria.map((c) => c.criterion)).toEqual(['c1']);
    const c1 = out.criteria[0]!;
    expect(c1.labelled_units).toBe(5);
    expect(c1.raters.map((r) => r.units)).toEqual([5, 5]);
  });

  it("an adjudicated-only unit measures bias against the answer itself", () => {
    const labels: HumanLabel[] = items.map((item) => ({ item, criterion: 'c1', annotator: 'boss', score: 2, adjudicated: true }));
    const c1 = calibrate(report, labels, { resamples: 100 }).criteria[0]!;
    expect(c1.consensus).toEqual({ method: 'default', ties: 0, adjudicated: 8 });
    expect(c1.human_alpha).toBeNull();
    expect(c1.raters.find((r) => r.rater === 'j')!.bias!.value).toBe(1);
  });
});

describe('review --uncertain, details', () => {
  const report = syntheticReport({ items: 6, criteria: ['ok'], judges: ['j'], scales: { ok: { type: 'categorical', labels: ['p', 'q'] } }, score: () => 'p' });
  const people = ['item-00', 'item-01', 'item-02', 'item-03', 'item-04', 'item-05'].flatMap((item, i) => [
    { item, criterion: 'ok', annotator: 'x', score: i % 2 ? 'p' : 'q' }, { item, criterion: 'ok', annotator: 'y', score: i < 3 ? 'q' : 'p' }, { item, criterion: 'ok', annotator: 'z', score: i % 3 ? 'p' : 'q' },
  ]);

  it('measures doubt as one minus the largest posterior, and leaves out units the model is sure of', () => {
    const [table] = labelTables(people.map((l) => ({ ...l, criterion: 'r/ok' })), { scales: new Map([['r/ok', { level: 'nominal', points: ['p', 'q'] }]]) });
    const { fit } = fitModel(table!);
    const expected = table!.units.flatMap((u, i) => {
      const doubt = 1 - Math.max(fit.posterior[2 * i]!, fit.posterior[2 * i + 1]!);
      return doubt > 0 ? [{ key: `${u}|r/ok|`, doubt }] : [];
    }).sort((a, b) => b.doubt - a.doubt || (a.key < b.key ? -1 : 1));
    expect(leastCertain(report, people)).toEqual(expected);
    expect(expected.length).toBeGreaterThan(0);
  });

  it('adds no uncertain units unless asked, and asks no model of anonymous or single annotators', () => {
    expect(leastCertain(report, people).length).toBeGreaterThan(0);
    expect(selectForReview(report, people, { top: 0, audit: 0, uncertain: 1 })).toHaveLength(1);
    expect(selectForReview(report, people, { top: 0, audit: 0 })).toEqual([]);
    expect(leastCertain(report, people.filter((l) => l.annotator !== 'z')).length).toBeGreaterThan(0);
    expect(leastCertain(report, people.map((l) => ({ ...l, anonymous: true as const })))).toEqual([]);
    expect(leastCertain(report, people.filter((l) => l.annotator === 'y'))).toEqual([]);
  });
});

describe('more pinned details', () => {
  it('fits the model for two annotators', () => {
    const [table] = labelTables([label('a', 'x', 'p'), label('a', 'y', 'q'), label('b', 'x', 'p'), label('b', 'y', 'p')]);
    const out = auditCriterion(table!, { resamples: 100 });
    expect(out.model).not.toBeNull();
    expect(out.model_reason).toBeUndefined();
  });

  it("an ordinal annotator's three repeated votes 1, 2, 3 are their median, 2", () => {
    const scales = new Map([['c', { level: 'ordinal' as const, points: [1, 2, 3] }]]);
    const [table] = labelTables([label('a', 'x', 1), label('a', 'x', 2), label('a', 'x', 3), label('a', 'y', 2), label('b', 'x', 1), label('b', 'y', 1)], { scales, gold: [label('a', 'g', 2)] });
    const x = auditCriterion(table!, { resamples: 100 }).annotators!.find((r) => r.annotator === 'x')!;
    expect(x.gold).toMatchObject({ units: 1, correct: 1 });
  });

  it('says "gold units" for more than one', () => {
    const [table] = labelTables(three(), { gold: [label('i01', 'g', 'q'), label('i02', 'g', 'q')] });
    const u = auditCriterion(table!, { resamples: 100, minGoldAccuracy: 0.95 }).annotators!.find((r) => r.annotator === 'u')!;
    expect(u.flags.some((f) => f.includes('on 2 gold units, below 0.95'))).toBe(true);
  });

  it('orders tables by criterion id and keeps each gold label to its own criterion', () => {
    const labels = [{ ...label('a', 'x', 'p'), criterion: 'zeta' }, { ...label('a', 'x', 'p'), criterion: 'alpha' }];
    const tables = labelTables(labels, { gold: [{ ...label('a', 'g', 'p'), criterion: 'alpha' }] });
    expect(tables.map((t) => t.criterion)).toEqual(['alpha', 'zeta']);
    expect(tables.map((t) => t.gold.size)).toEqual([1, 0]);
  });

  it('lists no gold-only unit among the items, and a tie as majority null', () => {
    const [table] = labelTables([label('a', 'x', 'p'), label('a', 'y', 'q')], { gold: [label('b', 'g', 'p')] });
    const rows = contestedItems(table!, undefined);
    expect(rows.map((r) => r.item)).toEqual(['a']);
    expect(rows[0]!.majority).toBeNull();
  });

  it('calibrate --consensus median on a categorical criterion is the majority', () => {
    const report = syntheticReport({ items: 4, criteria: ['k'], judges: ['j'], scales: { k: { type: 'categorical', labels: ['p', 'q'] } }, score: () => 'p' });
    const labels: HumanLabel[] = ['item-00', 'item-01', 'item-02', 'item-03'].flatMap((item, i) => [
      { item, criterion: 'k', annotator: 'x', score: 'p' }, { item, criterion: 'k', annotator: 'y', score: 'p' }, { item, criterion: 'k', annotator: 'z', score: i ? 'p' : 'q' },
    ]);
    const median = calibrate(report, labels, { resamples: 100, consensus: 'median' }).criteria[0]!;
    expect(median.labelled_units).toBe(4);
    expect(median.consensus).toEqual({ method: 'median', ties: 0, adjudicated: 0 });
  });
});

describe('order and names', () => {
  it('fits the same model, bit for bit, from the labels in any order (votes are sorted before the arithmetic)', () => {
    const rng = seededRng(11);
    const labels: HumanLabel[] = ids(60).flatMap((item) => ['a', 'b', 'c', 'd', 'e'].map((annotator) => label(item, annotator, ['p', 'q', 'r'][rng.int(3)]!)));
    const shuffled = [...labels];
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      [shuffled[i], shuffled[j]] = [shuffled[j]!, shuffled[i]!];
    }
    const x = fitModel(labelTables(labels)[0]!).fit;
    const y = fitModel(labelTables(shuffled)[0]!).fit;
    expect(Array.from(y.posterior)).toEqual(Array.from(x.posterior));
    expect(y.confusion).toEqual(x.confusion);
  });

  it('calibrate --consensus reads labels that name the rubric as well as bare ones', () => {
    const items = ids(4);
    const report = syntheticReport({ items: 4, criteria: ['c1'], judges: ['j'], ids: (i) => items[i]!, score: () => 2 });
    const labels: HumanLabel[] = items.flatMap((item) => [{ item, criterion: 'r/c1', annotator: 'x', score: 2 }, { item, criterion: 'c1', annotator: 'y', score: 4 }, { item, criterion: 'r/c1', annotator: 'z', score: 2 }]);
    const c1 = calibrate(report, labels, { resamples: 100, consensus: 'majority' }).criteria[0]!;
    expect(c1.labelled_units).toBe(4);
    expect(c1.raters.find((r) => r.rater === 'j')!.exact.value).toBe(1);
  });
});
