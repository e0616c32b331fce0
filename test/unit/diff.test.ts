import { describe, expect, it } from 'vitest';
import { comparabilityWarnings, decideFamily, diffReports as diffWithPower, type DiffOptions, itemScores, matchCoverage, pairedDifference, type CriterionDiff } from '../../src/diff/diff.js';
import { diffSlices } from '../../src/diff/slices.js';
import { hodgesLehmann, shiftInterval, shiftIntervalContains } from '../../src/stats/hodges-lehmann.js';
import { holm, wilcoxonSignedRank } from '../../src/stats/paired.js';
import { canonicalJson } from '../../src/format/canonical-json.js';
import { REPORT_DECIMALS } from '../../src/report/write.js';
import type { Report } from '../../src/report/report.js';
import { withSecondRubric } from '../support/second-rubric.js';
import { syntheticReport } from '../support/synthetic-report.js';

// The detectable-drop simulation is tested in test/diff/power.test.ts; here it is left out so that these tests
// stay fast under mutation testing, where every "no significant change" would run it instrumented.
const diffReports = (base: Report, candidate: Report, options: DiffOptions = {}) => diffWithPower(base, candidate, { skipDetectable: true, ...options });

const judges = ['j1', 'j2'];
const n = (item: string) => Number(item.slice(-2));

describe('diffReports: what is compared', () => {
  it('per criterion: pairs, both means, the mean paired difference, the shift with its signed-rank interval and the test', () => {
    const base = syntheticReport({ items: 12, criteria: ['c1'], judges, label: 'base', score: (_, item) => 2 + (n(item) % 4) });
    const cand = syntheticReport({ items: 12, criteria: ['c1'], judges, label: 'cand', score: (_, item) => 2 + (n(item) % 4) - (n(item) < 8 ? 1 : 0) });
    const diff = diffReports(base, cand);
    const c = diff.criteria[0]!;
    const differences = Array.from({ length: 12 }, (_, i) => (i < 8 ? -1 : 0));
    expect(c).toMatchObject({ rubric: 'r', criterion: 'c1', pairs: 12, base_mean: 3.5, candidate_mean: 3.5 - 8 / 12, difference: -8 / 12, shift: hodgesLehmann(differences) });
    // One criterion tested: Holm's level is the plain one.
    expect(c.ci).toEqual(shiftInterval(differences, 0.05));
    expect(c.ci!.high).toBeLessThan(0);
    expect(c.test).toEqual({ ...wilcoxonSignedRank(differences), p_holm: wilcoxonSignedRank(differences).p_value });
    expect(c.change).toBe('regressed');
    expect(diff).toMatchObject({ base_label: 'base', candidate_label: 'cand', comparable: true, warnings: [], significance: 0.05, items: { matched: 12, added: [], removed: [] } });
    expect(diff.items.coverage).toBeUndefined();
  });

  it('each interval is taken at the level Holm tested its criterion at, and excludes 0 exactly when the verdict is a change', () => {
    // Three criteria with clear, middling and no change: Holm tests the smallest p at α/3, the next at α/2, and
    // the first it keeps sets the level for the rest.
    const shiftOf = { c1: (i: number) => -1 - (i % 3), c2: (i: number) => (i % 4 === 0 ? -1 : i % 4 === 1 ? 1 : i % 2 ? -2 : 0), c3: (i: number) => (i % 2 ? 1 : -1) } as Record<string, (i: number) => number>;
    const base = syntheticReport({ items: 24, criteria: ['c1', 'c2', 'c3'], judges, label: 'base', score: () => 3 });
    const cand = syntheticReport({ items: 24, criteria: ['c1', 'c2', 'c3'], judges, label: 'cand', score: (_, item, c) => 3 + shiftOf[c]!(n(item)) * 0.5 + 0 });
    const diff = diffReports(base, cand, { significance: 0.05 });
    const rows = diff.criteria;
    const order = [...rows].sort((a, b) => a.test!.p_value - b.test!.p_value);
    let stopped: number | undefined;
    order.forEach((row, rank) => {
      if (stopped === undefined && !(row.test!.p_holm < 0.05)) stopped = rank;
      expect(row.ci!.level).toBeCloseTo(1 - 0.05 / (3 - (stopped ?? rank)), 15);
      const differences = Array.from({ length: 24 }, (_, i) => shiftOf[row.criterion]!(i) * 0.5);
      expect(row.ci).toEqual(shiftInterval(differences, 0.05 / (3 - (stopped ?? rank))));
      expect(shiftIntervalContains(row.ci!, 0)).toBe(row.change === 'no significant change');
    });
    expect(rows.map((r) => r.change)).toContain('regressed');
    expect(rows.map((r) => r.change)).toContain('no significant change');
  });

  it('notes criteria it cannot compare: not in the base, categorical, nothing scored in both', () => {
    const scales = { kind: { type: 'categorical' as const, labels: ['a', 'b'] } };
    const base = syntheticReport({ items: 3, criteria: ['c1', 'kind', 'c3'], judges, label: 'base', scales, score: (_, __, c) => (c === 'kind' ? 'a' : 3), failed: (_, __, c) => c === 'c3' });
    const cand = syntheticReport({ items: 3, criteria: ['c1', 'kind', 'c2', 'c3'], judges, label: 'cand', scales, score: (_, __, c) => (c === 'kind' ? 'b' : 3) });
    const diff = diffReports(base, cand);
    expect(diff.criteria.map((c) => [c.criterion, c.change, c.note ?? null, c.pairs])).toEqual([
      ['c1', 'no significant change', null, 3],
      ['c2', 'not tested', 'criterion not in the base report', 0],
      ['c3', 'not tested', 'no item scored in both reports', 0],
      ['kind', 'not tested', 'categorical scale: no mean to compare', 0],
    ]);
    expect(diff.criteria[1]).toMatchObject({ base_mean: null, candidate_mean: 3, difference: null, ci: null, test: null });
  });

  it('a criterion on which nothing changed is not tested for significance and does not widen the family', () => {
    const base = syntheticReport({ items: 20, criteria: ['c1', 'c2'], judges, label: 'base', score: () => 4 });
    const cand = syntheticReport({ items: 20, criteria: ['c1', 'c2'], judges, label: 'cand', score: (_, __, c) => (c === 'c1' ? 3 : 4) });
    const [c1, c2] = diffReports(base, cand).criteria;
    expect(c2!.test!.n).toBe(0);
    expect(c2!.change).toBe('no significant change');
    // c1 is a family of one: its Holm p is its own p.
    expect(c1!.test!.p_holm).toBe(c1!.test!.p_value);
    expect(c1!.change).toBe('regressed');
  });

  it('significance is the family-wise level after Holm', () => {
    const base = syntheticReport({ items: 9, criteria: ['c1'], judges, label: 'base', score: () => 4 });
    const cand = syntheticReport({ items: 9, criteria: ['c1'], judges, label: 'cand', score: () => 5 });
    const p = diffReports(base, cand).criteria[0]!.test!.p_holm;
    expect(p).toBeGreaterThan(0.001);
    expect(diffReports(base, cand, { significance: p }).criteria[0]!.change).toBe('no significant change');
    expect(diffReports(base, cand, { significance: p + 1e-9 }).criteria[0]!.change).toBe('improved');
    expect(diffReports(base, cand, { significance: 0.2 }).significance).toBe(0.2);
  });
});

describe('diffReports: item regressions', () => {
  it('lists drops of at least minDrop, largest first, then by item and criterion, with both runs’ reasoning per judge', () => {
    const base = syntheticReport({ items: 4, criteria: ['c1', 'c2'], judges, label: 'base', score: () => 5, reasoning: (j, item) => `base ${j} ${item}` });
    const drop: Record<string, number> = { 'item-00': 1, 'item-01': 3, 'item-02': 1, 'item-03': 0 };
    const cand = syntheticReport({ items: 4, criteria: ['c1', 'c2'], judges, label: 'cand', score: (_, item) => 5 - drop[item]!, reasoning: (j, item) => `cand ${j} ${item}` });
    const regressions = diffReports(base, cand).regressions;
    expect(regressions.map((r) => [r.item, r.criterion, r.drop])).toEqual([
      ['item-01', 'c1', 3], ['item-01', 'c2', 3], ['item-00', 'c1', 1], ['item-00', 'c2', 1], ['item-02', 'c1', 1], ['item-02', 'c2', 1],
    ]);
    expect(regressions[0]).toEqual({
      item: 'item-01', rubric: 'r', criterion: 'c1', base: 5, candidate: 2, drop: 3,
      reasoning: [{ judge: 'j1', base: '5: base j1 item-01', candidate: '2: cand j1 item-01' }, { judge: 'j2', base: '5: base j2 item-01', candidate: '2: cand j2 item-01' }],
    });
    expect(diffReports(base, cand, { minDrop: 2 }).regressions.map((r) => r.item)).toEqual(['item-01', 'item-01']);
    expect(diffReports(base, cand, { minDrop: 3.01 }).regressions).toEqual([]);
  });

  it('leaves out the reasoning of a failed verdict, and of per-turn criteria (several units per item)', () => {
    const three = ['j1', 'j2', 'j3'];
    const base = syntheticReport({ items: 1, criteria: ['c1'], judges: three, label: 'base', score: () => 5, failed: (j) => j === 'j3' });
    const cand = syntheticReport({ items: 1, criteria: ['c1'], judges: three, label: 'cand', score: () => 3 });
    expect(diffReports(base, cand).regressions[0]!.reasoning).toEqual([{ judge: 'j1', base: '5: r', candidate: '3: r' }, { judge: 'j2', base: '5: r', candidate: '3: r' }, { judge: 'j3', base: undefined, candidate: '3: r' }]);
    const turnsBase = syntheticReport({ items: 1, turns: 2, criteria: ['c1'], judges, label: 'base', score: () => 5 });
    const turnsCand = syntheticReport({ items: 1, turns: 2, criteria: ['c1'], judges, label: 'cand', score: (_, __, ___, turn) => (turn === 2 ? 3 : 4) });
    const r = diffReports(turnsBase, turnsCand).regressions;
    expect(r.map((x) => [x.base, x.candidate, x.drop])).toEqual([[5, 3.5, 1.5]]);
    expect(r[0]!.reasoning).toEqual([{ judge: 'j1', base: undefined, candidate: undefined }, { judge: 'j2', base: undefined, candidate: undefined }]);
  });
});

describe('diffReports: matching and comparability', () => {
  it('names the items in one report only, sorted, and says how partial the match is first', () => {
    const base = syntheticReport({ items: 4, criteria: ['c1'], judges, label: 'base', score: () => 4, ids: (i) => ['b', 'a', 'x', 'y'][i]! });
    const cand = syntheticReport({ items: 3, criteria: ['c1'], judges, label: 'cand', score: () => 4, ids: (i) => ['z', 'a', 'b'][i]! });
    const diff = diffReports(base, cand);
    expect(diff.items).toEqual({ matched: 2, added: ['z'], removed: ['x', 'y'], coverage: 'only 2 of 5 items are in both reports (40%): 1 only in the candidate, 2 only in the base; the comparison covers the 2' });
    // Listed sorted whatever order the reports hold their items in.
    const reversed = (r: typeof base) => ({ ...r, items: [...r.items].reverse() });
    const extra = syntheticReport({ items: 4, criteria: ['c1'], judges, label: 'cand', score: () => 4, ids: (i) => ['z', 'a', 'b', 'w'][i]! });
    expect(diffReports(reversed(base), reversed(extra)).items).toMatchObject({ added: ['w', 'z'], removed: ['x', 'y'] });
    expect(diff.warnings[0]).toBe(diff.items.coverage);
    const disjoint = diffReports(base, syntheticReport({ items: 1, criteria: ['c1'], judges, label: 'cand', score: () => 4, ids: () => 'q' }));
    expect(disjoint.items).toEqual({ matched: 0, added: ['q'], removed: ['a', 'b', 'x', 'y'] });
  });

  it('matchCoverage rounds the share down', () => {
    expect(matchCoverage(2, 1, 0)).toBe('only 2 of 3 items are in both reports (66%): 1 only in the candidate, 0 only in the base; the comparison covers the 2');
    expect(matchCoverage(199, 0, 1)).toContain('(99%)');
  });

  it('warns of other rubric versions, another panel, simulated and incomplete reports', () => {
    const base = syntheticReport({ items: 2, criteria: ['c1'], judges, label: 'base', score: () => 4, rubricVersion: '1' });
    const cand = syntheticReport({ items: 2, criteria: ['c1'], judges: ['j1', 'j3'], label: 'cand', score: () => 4, rubricVersion: '2', simulated: true, missing: (j, item) => j === 'j3' && item === 'item-00' });
    expect(comparabilityWarnings(base, cand)).toEqual([
      'rubric r is version 1 in the base and 2 in the candidate',
      'the judges differ: base [j1=openai:m-j1, j2=openai:m-j2], candidate [j1=openai:m-j1, j3=openai:m-j3]',
    ]);
    const diff = diffReports(base, cand);
    expect(diff.comparable).toBe(false);
    expect(diff.warnings).toEqual([...comparabilityWarnings(base, cand), 'simulated scores: a report was made with the mock judge', 'the candidate report is incomplete: 1 verdicts missing']);
    expect(diffReports(cand, base).warnings.slice(-2)).toEqual(['simulated scores: a report was made with the mock judge', 'the base report is incomplete: 1 verdicts missing']);
    expect(comparabilityWarnings(base, syntheticReport({ items: 2, criteria: ['c1'], judges, label: 'x', score: () => 1, model: (j) => (j === 'j2' ? 'other' : `m-${j}`) }))).toEqual(['the judges differ: base [j1=openai:m-j1, j2=openai:m-j2], candidate [j1=openai:m-j1, j2=openai:other]']);
    expect(comparabilityWarnings(base, base)).toEqual([]);
  });
});

describe('the building blocks', () => {
  it('itemScores averages an item’s scored units (per-turn rubrics) and skips items with none', () => {
    const report = syntheticReport({ items: 2, turns: 3, criteria: ['c1'], judges, score: (_, item, __, turn) => (item === 'item-00' ? turn! / 2 : 4), failed: (_, item) => item === 'item-01' });
    const scores = itemScores(report).get('r/c1')!;
    expect([...scores.keys()]).toEqual(['item-00']);
    expect(scores.get('item-00')!.score).toBe((1 + 2 + 3) / 3);
    expect(scores.get('item-00')!.units).toHaveLength(3);
  });

  it('pairedDifference: the mean, the shift, no interval yet, a test whose Holm p is set later', () => {
    const one = pairedDifference([-2]);
    expect(one.difference).toBe(-2);
    expect(one.shift).toBe(-2);
    expect(one.test).toMatchObject({ p_holm: 1, n: 1 });
    const many = pairedDifference([1, 2, 3, 10]);
    expect(many.difference).toBe(4);
    expect(many.shift).toBe(hodgesLehmann([1, 2, 3, 10]));
    expect(many.ci).toBeNull();
  });

  it('decideFamily applies Holm over the tested ones, and a zero difference is never a change', () => {
    const test = (p: number, n = 5) => ({ name: 'wilcoxon_signed_rank' as const, statistic: 0, p_value: p, n, method: 'exact' as const, p_holm: 1 });
    const family: Pick<CriterionDiff, 'test' | 'difference' | 'shift' | 'ci' | 'change'>[] = [
      { test: test(0.01), difference: -1, shift: null, ci: null, change: 'not tested' },
      { test: test(0.02), difference: 1, shift: null, ci: null, change: 'not tested' },
      { test: test(0.5, 0), difference: 0, shift: null, ci: null, change: 'not tested' },
      { test: null, difference: null, shift: null, ci: null, change: 'not tested' },
      { test: test(0.001), difference: 0, shift: 0, ci: null, change: 'not tested' },
      { test: test(0.06), difference: 2, shift: null, ci: null, change: 'not tested' },
      // The direction is the shift's, the quantity tested; the mean's only where the shift is 0 or unknown.
      { test: test(0.001), difference: 0.5, shift: -0.5, ci: null, change: 'not tested' },
    ];
    decideFamily(family, 0.05);
    const adjusted = holm([0.01, 0.02, 0.001, 0.06, 0.001]);
    expect(family.map((f) => f.test?.p_holm ?? null)).toEqual([adjusted[0], adjusted[1], 1, null, adjusted[2], adjusted[3], adjusted[4]]);
    expect(family.map((f) => f.change)).toEqual(['regressed', 'improved', 'no significant change', 'not tested', 'no significant change', 'no significant change', 'regressed']);
    expect(adjusted[3]).toBeGreaterThanOrEqual(0.05);
  });
});

describe('diffSlices', () => {
  it('compares each slice’s paired items, one Holm family per key, reading the base’s metadata when the candidate has none', () => {
    const meta = (item: string) => ({ genre: n(item) < 10 ? 'jazz' : 'rock' });
    const scales = { kind: { type: 'categorical' as const, labels: ['a', 'b'] } };
    const base = syntheticReport({ items: 20, criteria: ['c1', 'kind'], judges, label: 'base', scales, score: (_, __, c) => (c === 'kind' ? 'a' : 4), metadata: meta });
    const cand = syntheticReport({ items: 20, criteria: ['c1', 'kind', 'c2'], judges, label: 'cand', scales, score: (_, item, c) => (c === 'kind' ? 'a' : meta(item).genre === 'jazz' ? 2 : 4) });
    const [family] = diffSlices(base, cand, ['genre']);
    expect(family!.by).toBe('metadata.genre');
    expect(family!.family).toBe(1);
    expect(family!.rows.map((r) => [r.value, r.criterion, r.pairs, r.base_mean, r.candidate_mean, r.difference, r.change])).toEqual([
      ['jazz', 'c1', 10, 4, 2, -2, 'regressed'],
      ['rock', 'c1', 10, 4, 4, 0, 'no significant change'],
    ]);
    const jazz = family!.rows[0]!;
    expect(jazz.test!.p_holm).toBe(jazz.test!.p_value);
    expect(jazz.ci).toEqual({ low: -2, high: -2, level: 0.95 });
    expect(jazz.shift).toBe(-2);
  });

  it('a slice with no item scored in both reports is not tested and has no means', () => {
    const meta = (item: string) => ({ genre: n(item) < 2 ? 'jazz' : 'rock' });
    const base = syntheticReport({ items: 4, criteria: ['c1'], judges, label: 'base', score: () => 4, metadata: meta, failed: (_, item) => meta(item).genre === 'jazz' });
    const cand = syntheticReport({ items: 4, criteria: ['c1'], judges, label: 'cand', score: () => 3, metadata: meta });
    const [family] = diffSlices(base, cand, ['metadata.genre']);
    expect(family!.rows.map((r) => [r.value, r.pairs, r.base_mean, r.candidate_mean, r.test === null, r.change])).toEqual([
      ['jazz', 0, null, null, true, 'not tested'],
      ['rock', 2, 4, 3, false, 'no significant change'],
    ]);
    expect(family!.family).toBe(1);
  });
});

describe('diff corners', () => {
  it('regressions of equal size: by item, then by criterion', () => {
    const crit = ['c1', 'c2', 'c3'];
    const base = syntheticReport({ items: 4, criteria: crit, judges, label: 'base', score: () => 5 });
    const cand = syntheticReport({ items: 4, criteria: crit, judges, label: 'cand', score: () => 4 });
    expect(diffReports(base, cand).regressions.map((r) => `${r.item}/${r.criterion}`)).toEqual(['item-00', 'item-01', 'item-02', 'item-03'].flatMap((i) => crit.map((c) => `${i}/${c}`)));
  });

  it('the same order whatever order the reports list their criteria and items in', () => {
    const crit = ['c1', 'c2', 'c3'];
    const base = syntheticReport({ items: 4, criteria: crit, judges, label: 'base', score: () => 5 });
    const cand = syntheticReport({ items: 4, criteria: crit, judges, label: 'cand', score: (_, item) => (item === 'item-02' ? 3 : 4) });
    const shuffled = { ...cand, criteria: [...cand.criteria].reverse(), items: [...cand.items].reverse() };
    const order = (d: ReturnType<typeof diffReports>) => d.regressions.map((r) => `${r.item}/${r.criterion}`);
    expect(order(diffReports(base, shuffled))).toEqual(['item-02/c1', 'item-02/c2', 'item-02/c3', ...['item-00', 'item-01', 'item-03'].flatMap((i) => crit.map((c) => `${i}/${c}`))]);
  });

  it('the interval does not depend on the order the reports list their items in (the pairs are taken in id order)', () => {
    const base = syntheticReport({ items: 15, criteria: ['c1'], judges, label: 'base', score: () => 3 });
    const cand = syntheticReport({ items: 15, criteria: ['c1'], judges, label: 'cand', score: (_, item) => 3 + (n(item) % 3) - 1 + (n(item) % 5 === 0 ? 1 : 0) });
    const reversed = { ...cand, items: [...cand.items].reverse() };
    const ci = diffReports(base, cand).criteria[0]!.ci;
    expect(ci).not.toBeNull();
    expect(diffReports({ ...base, items: [...base.items].reverse() }, reversed).criteria[0]!.ci).toEqual(ci);
  });

  it('a regression’s reasoning is the judge’s scored sample, when an earlier sample failed', () => {
    const base = syntheticReport({ items: 1, criteria: ['c1'], judges: ['j'], samples: 2, label: 'base', score: () => 5, reasoning: (_, __, ___, ____, s) => `base sample ${s}`, failed: (_, __, ___, ____, s) => s === 0 });
    const cand = syntheticReport({ items: 1, criteria: ['c1'], judges: ['j'], samples: 2, label: 'cand', score: () => 2, reasoning: (_, __, ___, ____, s) => `cand sample ${s}` });
    expect(diffReports(base, cand).regressions[0]!.reasoning).toEqual([{ judge: 'j', base: '5: base sample 1', candidate: '2: cand sample 0' }]);
  });

  it('each criterion is compared with the same rubric’s criterion in the base, when two rubrics share its name', () => {
    const base = withSecondRubric(syntheticReport({ items: 10, criteria: ['c1'], judges, label: 'base', score: () => 3 }), 'q', 1, 7);
    const cand = withSecondRubric(syntheticReport({ items: 10, criteria: ['c1'], judges, label: 'cand', score: () => 3 }), 'q', 1, 7);
    const rows = diffReports(base, cand).criteria.map((c) => [c.rubric, c.base_mean, c.difference]);
    expect(rows).toEqual([['r', 3, 0], ['q', 10, 0]]);
  });

  it('regressions of equal size on one item and a criterion name two rubrics share: by rubric last', () => {
    const base = withSecondRubric(syntheticReport({ items: 2, criteria: ['c1'], judges, label: 'base', score: () => 4 }), 'a', 0, 0);
    const cand = withSecondRubric(syntheticReport({ items: 2, criteria: ['c1'], judges, label: 'cand', score: () => 3 }), 'a', 0, 0);
    expect(diffReports(base, cand).regressions.map((r) => `${r.item}/${r.rubric}/${r.criterion}`)).toEqual(['item-00/a/c1', 'item-00/r/c1', 'item-01/a/c1', 'item-01/r/c1']);
  });

  it('the judges of a regression are those of both runs, sorted', () => {
    const base = syntheticReport({ items: 1, criteria: ['c1'], judges: ['j2', 'j3'], label: 'base', score: () => 5 });
    const cand = syntheticReport({ items: 1, criteria: ['c1'], judges: ['j1', 'j2'], label: 'cand', score: () => 3 });
    expect(diffReports(base, cand).regressions[0]!.reasoning.map((r) => [r.judge, r.base ?? null, r.candidate ?? null])).toEqual([['j1', null, '3: r'], ['j2', '5: r', '3: r'], ['j3', '5: r', null]]);
  });

  it('tests on exact panel scores, not the 4 decimals report.json keeps: equal changes of 1/3 point tie', () => {
    // Three judges: base panels 10/3 and 11/3, each one third higher in the candidate. Written to 4 decimals,
    // 3.6667 − 3.3333 = 0.3334 but 4 − 3.6667 = 0.3333: two ranks where there is one change.
    const base = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j1', 'j2', 'j3'], label: 'base', score: (j, item) => (j === 'j1' ? 3 : j === 'j2' ? (n(item) < 6 ? 3 : 4) : 4) });
    const cand = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j1', 'j2', 'j3'], label: 'cand', score: (j, item) => (j === 'j1' ? (n(item) < 6 ? 3 : 4) : 4) });
    const written = (r: Report) => JSON.parse(canonicalJson(r, { decimals: REPORT_DECIMALS })) as Report;
    expect(written(base).items[0]!.results[0]!.panel).toMatchObject({ score: 3.3333 });
    const exact = itemScores(written(base)).get('r/c1')!;
    expect(exact.get('item-00')!.score).toBe(10 / 3);
    expect(exact.get('item-11')!.score).toBe(11 / 3);
    const diff = diffReports(written(base), written(cand)).criteria[0]!;
    // Twelve equal changes: one tied rank group, W+ = 78 (all of 1..12), as on the exact values.
    expect(diff.test).toMatchObject({ statistic: 78, n: 12 });
    expect(diff.test!.p_value).toBe(wilcoxonSignedRank(Array(12).fill(1 / 3)).p_value);
    expect(diff.shift).toBeCloseTo(1 / 3, 12);
    // A stored score the verdicts do not give back (an edited or external report) is used as it is.
    const edited = written(base);
    (edited.items[0]!.results[0]!.panel as { score: number }).score = 3.5;
    expect(itemScores(edited).get('r/c1')!.get('item-00')!.score).toBe(3.5);
  });

  it('a drop of exactly one point between panel means in thirds is a drop of one point (min-drop read at 1e-9)', () => {
    // 13/3 − 10/3 is 0.9999999999999996 in binary.
    const base = syntheticReport({ items: 1, criteria: ['c1'], judges: ['j1', 'j2', 'j3'], label: 'base', score: (j) => (j === 'j1' ? 5 : 4) });
    const cand = syntheticReport({ items: 1, criteria: ['c1'], judges: ['j1', 'j2', 'j3'], label: 'cand', score: (j) => (j === 'j1' ? 4 : 3) });
    expect(13 / 3 - 10 / 3).toBeLessThan(1);
    expect(diffReports(base, cand).regressions).toHaveLength(1);
    expect(diffReports(base, cand, { minDrop: 1.01 }).regressions).toHaveLength(0);
  });

  it('a single pair has no interval, and says why', () => {
    const base = syntheticReport({ items: 1, criteria: ['c1'], judges, label: 'base', score: () => 3 });
    const cand = syntheticReport({ items: 1, criteria: ['c1'], judges, label: 'cand', score: () => 2 });
    const c = diffReports(base, cand).criteria[0]!;
    expect(c.ci).toBeNull();
    expect(c.ci_reason).toBe('1 paired item cannot exclude any shift at 95%');
  });

  it('rubric versions are compared rubric by rubric', () => {
    const base = syntheticReport({ items: 1, criteria: ['c1'], judges, label: 'base', score: () => 5 });
    const cand = syntheticReport({ items: 1, criteria: ['c1'], judges, label: 'cand', score: () => 5 });
    const two = (r: typeof base, versions: [string, string]) => ({ ...r, run: { ...r.run, rubrics: [{ id: 'a', version: versions[0], title: 'A', scope: 'conversation' }, { id: 'b', version: versions[1], title: 'B', scope: 'conversation' }] } });
    expect(comparabilityWarnings(two(base, ['1', '1']), two(cand, ['1', '2']))).toEqual(['rubric b is version 1 in the base and 2 in the candidate']);
    expect(comparabilityWarnings(two(base, ['1', '2']), { ...cand, run: { ...cand.run, rubrics: [{ id: 'b', version: '2', title: 'B', scope: 'conversation' }] } })).toEqual([]);
  });

  it('slices: only criteria both reports have; a criterion the base never scored, and a candidate-only item without metadata, break nothing', () => {
    const meta = (item: string) => (item === 'item-04' ? undefined : { genre: n(item) < 2 ? 'jazz' : 'rock' });
    const base = syntheticReport({ items: 4, criteria: ['c1', 'c3'], judges, label: 'base', score: () => 4, metadata: meta, failed: (_, __, c) => c === 'c3' });
    const cand = syntheticReport({ items: 5, criteria: ['c1', 'c2', 'c3'], judges, label: 'cand', score: () => 3, metadata: meta });
    const [family] = diffSlices(base, cand, ['genre']);
    expect(family!.rows.map((r) => [r.value, r.criterion, r.pairs])).toEqual([['jazz', 'c1', 2], ['jazz', 'c3', 0], ['rock', 'c1', 2], ['rock', 'c3', 0]]);
    // A criterion of a rubric the base does not have is not sliced, even where a base rubric has its name.
    const [other] = diffSlices(base, withSecondRubric(cand, 'q', 0, 0), ['genre']);
    expect(other!.rows.every((r) => r.rubric === 'r')).toBe(true);
    // The other way round: the candidate never scored c3.
    const [swapped] = diffSlices(cand, base, ['genre']);
    expect(swapped!.rows.map((r) => [r.value, r.criterion, r.pairs])).toEqual([['jazz', 'c1', 2], ['jazz', 'c3', 0], ['rock', 'c1', 2], ['rock', 'c3', 0]]);
  });
});
