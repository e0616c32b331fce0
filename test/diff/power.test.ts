import { describe, expect, it } from 'vitest';
import { diffReports } from '../../src/diff/diff.js';
import { detectableInDiff, judgeScoresByItem, reportPower, scaleRange } from '../../src/diff/power.js';
import { evaluateGates } from '../../src/gate/gate.js';
import { hodgesLehmann } from '../../src/stats/hodges-lehmann.js';
import { holm, wilcoxonSignedRank } from '../../src/stats/paired.js';
import { judgeResampling, minimalDetectableEffect, resampledDifferences } from '../../src/stats/power.js';
import { syntheticReport } from '../support/synthetic-report.js';

const n = (item: string) => Number(item.slice(-2));

describe('power from a report', () => {
  // Three judges; the third is one point off on every third item.
  const report = syntheticReport({ items: 30, criteria: ['c1', 'c2'], judges: ['a', 'b', 'c'], score: (j, item, c) => (c === 'c2' ? 3 : 2 + (n(item) % 3) + (j === 'c' && n(item) % 3 === 0 ? 1 : 0)) });

  it('learns the noise from each item\'s judges: their scores as they are, per item', () => {
    const scores = judgeScoresByItem(report, 'r', 'c1');
    expect(scores).toHaveLength(30);
    expect(scores[0]).toEqual([2, 2, 3]);
    expect(scores[1]).toEqual([3, 3, 3]);
  });

  it('per criterion: the minimal detectable drop at significance / family, as the simulation gives it directly', () => {
    const result = reportPower(report, { significance: 0.05, family: 4, simulations: 200, seed: 3 });
    expect(result).toMatchObject({ family: 4, significance: 0.05, power: 0.8, simulations: 200, seed: 3 });
    const c1 = result.criteria.find((c) => c.criterion === 'c1')!;
    expect(c1).toMatchObject({ items: 30, noise: 'judges', alpha: 0.05 / 4 });
    expect(c1.detectable).toEqual(minimalDetectableEffect(judgeResampling(judgeScoresByItem(report, 'r', 'c1')), 30, 4, { alpha: 0.0125, power: 0.8, simulations: 200, seed: 3 }));
    // Judges who always agree: no noise at all, so any drop shows.
    const c2 = result.criteria.find((c) => c.criterion === 'c2')!;
    expect(c2.detectable.effect).toBeLessThan(0.01);
    expect(c1.detectable.effect!).toBeGreaterThan(c2.detectable.effect!);
  });

  it('a larger family needs a larger drop; --effect adds the items it needs', () => {
    const small = reportPower(report, { significance: 0.05, family: 1, simulations: 200 }, { criteria: ['c1'] }).criteria[0]!;
    const large = reportPower(report, { significance: 0.05, family: 20, simulations: 200 }, { criteria: ['c1'], effect: 0.5 }).criteria[0]!;
    expect(large.detectable.effect!).toBeGreaterThanOrEqual(small.detectable.effect!);
    expect(large.needed).toMatchObject({ effect: 0.5 });
    expect(large.needed!.items).toBeGreaterThan(0);
    expect(small.needed).toBeUndefined();
  });

  it('with a baseline: the paired differences of the two reports, centred on their shift', () => {
    const base = syntheticReport({ items: 30, criteria: ['c1'], judges: ['a'], label: 'base', score: (_, item) => 2 + (n(item) % 3) });
    const cand = syntheticReport({ items: 30, criteria: ['c1'], judges: ['a'], label: 'cand', score: (_, item) => 2 + (n(item) % 3) + (n(item) % 5 === 0 ? 1 : n(item) % 7 === 0 ? -1 : 0) });
    const result = reportPower(cand, { significance: 0.05, family: 1, simulations: 200 }, { baseline: base });
    expect(result.baseline_label).toBe('base');
    const row = result.criteria[0]!;
    expect(row.noise).toBe('paired differences');
    const differences = Array.from({ length: 30 }, (_, i) => (i % 5 === 0 ? 1 : i % 7 === 0 ? -1 : 0));
    expect(row.detectable).toEqual(minimalDetectableEffect(resampledDifferences(differences, hodgesLehmann(differences)!), 30, 4, { alpha: 0.05, power: 0.8, simulations: 200, seed: 1 }));
  });

  it('the scale bounds the search: a drop is at most the scale\'s range', () => {
    expect(scaleRange({ type: 'likert', min: 1, max: 5 })).toBe(4);
    expect(scaleRange({ type: 'likert', min: 0, max: 10 })).toBe(10);
    expect(scaleRange({ type: 'binary' })).toBe(1);
  });
});

describe('diff says what "no significant change" could have seen', () => {
  // Six criteria; c1 drops by one point on 7 of 24 items (p about 0.016: significant alone, not after Holm over 6).
  const criteria = ['c1', 'c2', 'c3', 'c4', 'c5', 'c6'];
  const noise = (item: string, c: string) => (n(item) + c.charCodeAt(1)) % 4 === 0 ? 1 : (n(item) + c.charCodeAt(1)) % 4 === 1 ? -1 : 0;
  const base = syntheticReport({ items: 24, criteria, judges: ['j'], label: 'base', score: () => 3 });
  const cand = syntheticReport({ items: 24, criteria, judges: ['j'], label: 'cand', score: (_, item, c) => (c === 'c1' ? (n(item) < 7 ? 2 : 3) : 3 + noise(item, c)) });

  it('the drop each unchanged criterion would catch, at significance / (tests in the family), from its own differences', () => {
    const diff = diffReports(base, cand);
    const tested = diff.criteria.filter((c) => c.test && c.test.n > 0);
    for (const c of diff.criteria) {
      if (c.change !== 'no significant change' || !c.test || c.test.n === 0) {
        expect(c.detectable).toBeUndefined();
        continue;
      }
      const differences = Array.from({ length: 24 }, (_, i) => (c.criterion === 'c1' ? (i < 7 ? -1 : 0) : noise(`item-${String(i).padStart(2, '0')}`, c.criterion)));
      expect(c.detectable).toEqual({ ...detectableInDiff(differences, { type: 'likert', min: 1, max: 5 }, 0.05 / tested.length), alpha: 0.05 / tested.length });
    }
    expect(diff.criteria.filter((c) => c.detectable).length).toBeGreaterThan(3);
    // The gate says it too: a pass on "no significant change" comes with what it could have caught.
    const gate = evaluateGates(cand, { max_regression: 0, significance: 0.05 }, diff, { allowSimulated: true });
    const c2 = gate.checks.find((x) => x.subject === 'r/c2')!;
    expect(c2.message).toMatch(/; these items would catch a drop of [\d.]+ or more 80% of the time$/);
  });

  it('primary criteria form their own Holm family: a drop missed among six is caught among one', () => {
    const p = wilcoxonSignedRank(Array.from({ length: 24 }, (_, i) => (i < 7 ? -1 : 0))).p_value;
    expect(p).toBeLessThan(0.05);
    const all = diffReports(base, cand);
    const c1 = all.criteria.find((c) => c.criterion === 'c1')!;
    expect(c1.test!.p_holm).toBe(holm(all.criteria.filter((c) => c.test && c.test.n > 0).map((c) => c.test!.p_value))[0]);
    expect(c1.change).toBe('no significant change');
    const primary = diffReports(base, cand, { primary: ['c1'] });
    const p1 = primary.criteria.find((c) => c.criterion === 'c1')!;
    expect(p1).toMatchObject({ family: 'primary', change: 'regressed' });
    expect(p1.test!.p_holm).toBe(p);
    expect(primary.criteria.filter((c) => c.criterion !== 'c1').every((c) => c.family === 'secondary')).toBe(true);
    expect(primary.primary).toEqual(['c1']);
    // The secondary family's Holm p-values are over its own five tests.
    const secondary = primary.criteria.filter((c) => c.family === 'secondary' && c.test && c.test.n > 0);
    expect(secondary.map((c) => c.test!.p_holm)).toEqual(holm(secondary.map((c) => c.test!.p_value)));
    // A gate with the same primary criterion fails; without, it passes.
    expect(evaluateGates(cand, { max_regression: 0, significance: 0.05 }, primary, { allowSimulated: true }).passed).toBe(false);
    expect(evaluateGates(cand, { max_regression: 0, significance: 0.05 }, all, { allowSimulated: true }).passed).toBe(true);
  });

  it('a primary name that matches no criterion is warned about, not ignored', () => {
    expect(diffReports(base, cand, { primary: ['c9'] }).warnings).toContain('primary criterion c9 is not a criterion of the candidate report');
  });

  it('skipDetectable leaves the simulation out', () => {
    expect(diffReports(base, cand, { skipDetectable: true }).criteria.some((c) => c.detectable)).toBe(false);
  });

  it('the simulation is seeded: the same diff gives the same answer', () => {
    const a = diffReports(base, cand).criteria.map((c) => c.detectable);
    expect(diffReports(base, cand).criteria.map((c) => c.detectable)).toEqual(a);
  });
});

describe('the detectable drop: which criteria, at which level, on which scale', () => {
  // c1 unchanged but noisy; c2 identical in both runs (no item changed: no test); c3 drops everywhere (regressed);
  // c4 unchanged but noisy, on a 0–10 scale.
  const criteria = ['c1', 'c2', 'c3', 'c4'];
  const wobble = (item: string) => (n(item) % 4 === 0 ? 1 : n(item) % 4 === 1 ? -1 : 0);
  const scales = { c4: { type: 'likert' as const, min: 0, max: 10 } };
  const base = syntheticReport({ items: 20, criteria, judges: ['j'], label: 'base', scales, score: () => 3 });
  const cand = syntheticReport({ items: 20, criteria, judges: ['j'], label: 'cand', scales, score: (_, item, c) => (c === 'c3' ? 1 : c === 'c2' ? 3 : 3 + wobble(item)) });
  const differences = Array.from({ length: 20 }, (_, i) => wobble(`item-${String(i).padStart(2, '0')}`));

  it('only unchanged criteria that were tested get one, at significance over the tests in the family, on their own scale', () => {
    const diff = diffReports(base, cand);
    const by = (id: string) => diff.criteria.find((c) => c.criterion === id)!;
    expect(by('c2').test!.n).toBe(0);
    expect(by('c2').detectable).toBeUndefined();
    expect(by('c3').change).toBe('regressed');
    expect(by('c3').detectable).toBeUndefined();
    // Three tests in the family (c2 tested nothing): α = 0.05 / 3.
    expect(by('c1').detectable).toEqual({ ...detectableInDiff(differences, { type: 'likert', min: 1, max: 5 }, 0.05 / 3), alpha: 0.05 / 3 });
    expect(by('c4').detectable).toEqual({ ...detectableInDiff(differences, scales.c4, 0.05 / 3), alpha: 0.05 / 3 });
    expect(by('c4').detectable!.effect).not.toEqual(by('c1').detectable!.effect);
  });

  it('with primary criteria, each family counts its own tests; every name given is primary; no warning for names that exist', () => {
    const diff = diffReports(base, cand, { primary: ['c1', 'r/c3'] });
    const by = (id: string) => diff.criteria.find((c) => c.criterion === id)!;
    expect(criteria.map((c) => by(c).family)).toEqual(['primary', 'secondary', 'primary', 'secondary']);
    expect(by('c1').detectable!.alpha).toBe(0.05 / 2);
    // The secondary family: c4 tested, c2 not: one test.
    expect(by('c4').detectable!.alpha).toBe(0.05);
    expect(diff.warnings.filter((w) => w.startsWith('primary criterion'))).toEqual([]);
  });

  it('does not depend on the order of the items in the reports', () => {
    const reversed = { ...cand, items: [...cand.items].reverse() };
    expect(diffReports(base, reversed).criteria.map((c) => c.detectable)).toEqual(diffReports(base, cand).criteria.map((c) => c.detectable));
  });
});

