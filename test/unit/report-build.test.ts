import { describe, expect, it } from 'vitest';
import { criterionAgreement, meanWithInterval } from '../../src/aggregate/criterion-agreement.js';
import { buildReport, itemOrder, reportHead, reportItems } from '../../src/report/build.js';
import { POINTWISE_REPORT_VERSION, REPORT_FORMAT, SIMULATED_NOTICE } from '../../src/report/report.js';
import { syntheticInput, syntheticReport } from '../support/synthetic-report.js';

const judges = ['j1', 'j2', 'j3'];
const n = (item: string) => Number(item.slice(-2));

describe('the report head: one summary per criterion', () => {
  // j1 gives 1 on item-00 and 5 elsewhere; j2 and j3 give 4 + (item % 2).
  const score = (j: string, item: string) => (j === 'j1' ? (n(item) === 0 ? 1 : 5) : 4 + (n(item) % 2));
  const report = syntheticReport({ items: 8, criteria: ['c2', 'c1'], judges, score, failed: (j, item, c) => c === 'c2' && j === 'j3' && n(item) < 2 });

  it('counts units, scored and unscored, the mean and its interval, per-judge means and the scale distribution', () => {
    const c1 = report.criteria.find((c) => c.criterion === 'c1')!;
    const panel = Array.from({ length: 8 }, (_, i) => ((i === 0 ? 1 : 5) + 2 * (4 + (i % 2))) / 3);
    expect(c1).toMatchObject({ rubric: 'r', criterion: 'c1', weight: 1, units: 8, scored: 8, unscored: 0, failed_verdicts: 0 });
    expect(c1.mean).toBeCloseTo(panel.reduce((a, b) => a + b) / 8, 12);
    expect(c1.mean_ci).toEqual(meanWithInterval(panel).ci);
    expect(c1.judge_means).toEqual({ j1: (1 + 7 * 5) / 8, j2: 4.5, j3: 4.5 });
    expect(c1.distribution).toEqual({ '1': 1, '2': 0, '3': 0, '4': 8, '5': 15 });
    expect(c1.panel_distribution).toBeUndefined();
    const table = Array.from({ length: 8 }, (_, i) => [i === 0 ? 1 : 5, 4 + (i % 2), 4 + (i % 2)]);
    expect(c1.agreement).toEqual(criterionAgreement(table, judges, { type: 'likert', min: 1, max: 5 }));
  });

  it('failed verdicts count against the criterion and the judge; the panel still scores with a quorum', () => {
    const c2 = report.criteria.find((c) => c.criterion === 'c2')!;
    expect(c2).toMatchObject({ units: 8, scored: 8, failed_verdicts: 2 });
    expect(c2.judge_means.j3).toBe(4.5);
    expect(report.judge_errors).toEqual({ j1: { verdicts: 16, failed: 0, error_rate: 0 }, j2: { verdicts: 16, failed: 0, error_rate: 0 }, j3: { verdicts: 16, failed: 2, error_rate: 2 / 16 } });
    expect(report.incomplete).toBeUndefined();
  });

  it('lists the five widest spreads, widest first, ties by item', () => {
    const c1 = report.criteria.find((c) => c.criterion === 'c1')!;
    // item-00: 1 vs 4 → spread 3; odd items: 5, 5, 5 → 0; even items: 5 vs 4 → 1.
    expect(c1.most_disputed).toEqual([{ item: 'item-00', spread: 3 }, { item: 'item-02', spread: 1 }, { item: 'item-04', spread: 1 }, { item: 'item-06', spread: 1 }]);
    const many = syntheticReport({ items: 9, criteria: ['c1'], judges, score: (j, item) => (j === 'j1' ? 1 + (n(item) % 5) : 1) });
    expect(many.criteria[0]!.most_disputed.map((d) => [d.item, d.spread])).toEqual([['item-04', 4], ['item-03', 3], ['item-08', 3], ['item-02', 2], ['item-07', 2]]);
    const turns = syntheticReport({ items: 1, turns: 2, criteria: ['c1'], judges, score: (j, _, __, turn) => (j === 'j1' ? turn! : 1) });
    expect(turns.criteria[0]!.most_disputed).toEqual([{ item: 'item-00', turn: 4, spread: 3 }, { item: 'item-00', turn: 2, spread: 1 }]);
  });

  it('criteria and rubrics in id order; the run’s judges sorted with their samples', () => {
    expect(report.criteria.map((c) => c.criterion)).toEqual(['c1', 'c2']);
    const mixed = syntheticReport({ items: 1, criteria: ['c1'], judges: ['zed', 'amy'], score: () => 3, samples: 2 });
    expect(mixed.run.judges.map((j) => [j.id, j.samples])).toEqual([['amy', 2], ['zed', 2]]);
    expect(mixed.run).toMatchObject({ label: 'synthetic', config_hash: 'h', aggregation: { method: 'mean', quorum: 'majority' }, rubrics: [{ id: 'r', version: '1', title: 'R', scope: 'conversation' }] });
    // A pointwise report is still format version 1 (pairwise ones are 2, the newest this jury reads).
    expect({ format: mixed.format, version: mixed.version }).toEqual({ format: REPORT_FORMAT.format, version: POINTWISE_REPORT_VERSION });
    expect(REPORT_FORMAT.version).toBe(2);
  });

  it('categorical criteria: no mean, a panel distribution over every label', () => {
    const cat = syntheticReport({ items: 4, criteria: ['kind'], judges, scales: { kind: { type: 'categorical', labels: ['a', 'b', 'c'] } }, score: (j, item) => (n(item) === 0 || j === 'j1' ? 'b' : 'a'), aggregation: { method: 'majority', quorum: 'majority' } });
    const c = cat.criteria[0]!;
    expect(c).toMatchObject({ mean: null, mean_ci: null, judge_means: { j1: null, j2: null, j3: null } });
    expect(c.panel_distribution).toEqual({ a: 3, b: 1, c: 0 });
    expect(c.distribution).toEqual({ a: 6, b: 6, c: 0 });
  });
});

describe('missing verdicts and simulated judges', () => {
  it('an interrupted run is incomplete by the number of verdicts missing, with how to resume', () => {
    const report = syntheticReport({ items: 3, criteria: ['c1'], judges, score: () => 3, missing: (j, item) => j === 'j2' && n(item) < 2 });
    expect(report.incomplete).toEqual({ missing_verdicts: 2, resume: 'jury run --resume <run folder>' });
    expect(report.judge_errors.j2).toEqual({ verdicts: 1, failed: 0, error_rate: 0 });
  });

  it('below quorum a unit is unscored, and counted so', () => {
    const report = syntheticReport({ items: 2, criteria: ['c1'], judges, score: () => 3, failed: (j, item) => j !== 'j1' && n(item) === 0 });
    expect(report.criteria[0]).toMatchObject({ units: 2, scored: 1, unscored: 1, mean: 3 });
    expect(report.items[0]!.results[0]!.panel).toMatchObject({ status: 'unscored', judges: 1 });
  });

  it('a simulated judge makes the report simulated and says so', () => {
    const sim = syntheticReport({ items: 1, criteria: ['c1'], judges, score: () => 3, simulated: true });
    expect(sim.simulated).toBe(true);
    expect(sim.notice).toBe(SIMULATED_NOTICE);
    const real = syntheticReport({ items: 1, criteria: ['c1'], judges, score: () => 3 });
    expect(real.simulated).toBe(false);
    expect('notice' in real).toBe(false);
  });
});

describe('the items', () => {
  it('each verdict with its sample, reasoning and cited turns; a failed one with its cause; samples combined per judge', () => {
    const report = syntheticReport({ items: 1, criteria: ['c1'], judges: ['a', 'b'], samples: 2, score: (j, _, __, ___, s) => (j === 'a' ? 2 + 2 * s! : 3), failed: (j, _, __, ___, s) => j === 'b' && s === 1, reasoning: (j, _, __, ___, s) => `${j}${s}`, cited: (j) => (j === 'a' ? [2] : []) });
    const unit = report.items[0]!.results[0]!;
    expect(unit.verdicts).toEqual([
      { judge: 'a', sample: 0, status: 'scored', score: 2, reasoning: 'a0', cited_turns: [2] },
      { judge: 'a', sample: 1, status: 'scored', score: 4, reasoning: 'a1', cited_turns: [2] },
      { judge: 'b', sample: 0, status: 'scored', score: 3, reasoning: 'b0', cited_turns: [] },
      { judge: 'b', sample: 1, status: 'failed', cause: 'unparseable' },
    ]);
    // a's samples combine to 3, b's one sample is 3: the panel agrees.
    expect(unit.panel).toEqual({ status: 'scored', score: 3, spread: 0, judges: 2 });
    expect(report.criteria[0]!.judge_means).toEqual({ a: 3, b: 3 });
  });

  it('items in id order with their metadata (none when empty), from any position on', () => {
    const report = syntheticReport({ items: 3, criteria: ['c1'], judges, score: () => 3, ids: (i) => ['b', 'c', 'a'][i]!, metadata: (id) => (id === 'a' ? { genre: 'jazz' } : id === 'b' ? {} : undefined) });
    expect(report.items.map((i) => i.id)).toEqual(['a', 'b', 'c']);
    expect(report.items[0]!.metadata).toEqual({ genre: 'jazz' });
    expect('metadata' in report.items[1]!).toBe(false);
    expect(itemOrder({ units: [{ key: 'x', item: 'z', rubric: 'r', criterion: 'c' }, { key: 'y', item: 'a', rubric: 'r', criterion: 'c' }, { key: 'w', item: 'z', rubric: 'r', criterion: 'd' }] })).toEqual([{ id: 'a', units: [1] }, { id: 'z', units: [0, 2] }]);
  });

  it('the head and the items stream give buildReport, and streaming can start part-way', () => {
    const input = syntheticInput({ items: 4, criteria: ['c1', 'c2'], judges, score: (j, item, c) => 1 + ((n(item) + Number(j.slice(1)) + c.length) % 5) });
    const report = buildReport(input);
    const { items, ...head } = report;
    expect(items).toHaveLength(4);
    expect(reportHead(input)).toEqual(head);
    expect([...reportItems(input)]).toEqual(items);
    expect([...reportItems(input, 2)]).toEqual(items.slice(2));
    expect([...reportItems(input, 4)]).toEqual([]);
  });
});

describe('report corners', () => {
  it('one simulated judge among real ones makes the report simulated', () => {
    const input = syntheticInput({ items: 1, criteria: ['c1'], judges, score: () => 3 });
    const mixed = { ...input, judges: input.judges.map((j, i) => ({ ...j, simulated: i === 1 })) };
    expect(buildReport(mixed).simulated).toBe(true);
  });

  it('rubrics listed in id order; a rubric without units gets empty summaries', () => {
    const input = syntheticInput({ items: 1, criteria: ['c1'], judges, score: () => 3 });
    const extra = { ...input.rubrics[0]!, id: 'a', title: 'A', version: '9', criteria: [{ ...input.rubrics[0]!.criteria[0]!, id: 'z' }] };
    const report = buildReport({ ...input, rubrics: [...input.rubrics, extra] });
    expect(report.run.rubrics).toEqual([{ id: 'a', version: '9', title: 'A', scope: 'conversation' }, { id: 'r', version: '1', title: 'R', scope: 'conversation' }]);
    expect(report.criteria.map((c) => [c.rubric, c.criterion, c.units, c.mean])).toEqual([['a', 'z', 0, null], ['r', 'c1', 1, 3]]);
  });

  it('whole-conversation units carry no turn key at all; per-turn ones do', () => {
    const whole = syntheticReport({ items: 1, criteria: ['c1'], judges, score: () => 3 });
    expect(Object.keys(whole.items[0]!.results[0]!)).toEqual(['rubric', 'criterion', 'panel', 'verdicts']);
    const turns = syntheticReport({ items: 1, turns: 1, criteria: ['c1'], judges, score: (j) => (j === 'j1' ? 1 : 3) });
    expect(Object.keys(turns.items[0]!.results[0]!)).toEqual(['rubric', 'criterion', 'turn', 'panel', 'verdicts']);
    expect(turns.criteria[0]!.most_disputed).toStrictEqual([{ item: 'item-00', turn: 2, spread: 2 }]);
    const spreads = syntheticReport({ items: 2, criteria: ['c1'], judges, score: (j) => (j === 'j1' ? 1 : 3) });
    expect(spreads.criteria[0]!.most_disputed).toStrictEqual([{ item: 'item-00', spread: 2 }, { item: 'item-01', spread: 2 }]);
  });

  it('equal spreads of one item: earlier turn first', () => {
    const report = syntheticReport({ items: 1, turns: 3, criteria: ['c1'], judges, score: (j) => (j === 'j1' ? 1 : 4) });
    expect(report.criteria[0]!.most_disputed.map((d) => d.turn)).toEqual([2, 4, 6]);
  });

  it('a unit naming a criterion no rubric has is a bug, and says which unit', () => {
    const input = syntheticInput({ items: 1, criteria: ['c1'], judges, score: () => 3 });
    const broken = { ...input, units: [{ ...input.units[0]!, key: 'item-00|r/ghost', criterion: 'ghost' }] };
    expect(() => buildReport(broken)).toThrow(new Error('unit item-00|r/ghost names an unknown criterion'));
  });
});
