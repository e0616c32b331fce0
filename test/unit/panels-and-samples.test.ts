import { describe, expect, it } from 'vitest';
import { representativeSample, testRetest } from '../../src/aggregate/samples.js';
import { renderSummary } from '../../src/render/table.js';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { syntheticReport } from '../support/synthetic-report.js';

const likert = { type: 'likert' as const, min: 1, max: 5 };
const n = (item: string) => Number(item.slice(-2));

describe('a judge that samples several times counts once in agreement, by one of its own ratings', () => {
  it('the lower median on numeric scales (always a point), the most frequent label on categorical ones', () => {
    expect(representativeSample([3, 4], likert)).toBe(3);
    expect(representativeSample([4, 3, 5], likert)).toBe(4);
    expect(representativeSample([5, 1, 4, 2], likert)).toBe(2);
    expect(representativeSample([2], likert)).toBe(2);
    const labels = { type: 'categorical' as const, labels: ['x', 'y', 'z'] };
    expect(representativeSample(['z', 'y', 'z'], labels)).toBe('z');
  });

  it('the report\'s alpha takes those ratings, never an off-scale mean of samples', () => {
    // Judge a samples 3 and 4 on every item (mean 3.5, off the scale); judge b says 3.
    const report = syntheticReport({ items: 20, criteria: ['c1'], judges: ['a', 'b'], samples: 2, score: (j, item, _c, _t, sample) => (j === 'a' ? 3 + (sample ?? 0) : 3 + (n(item) % 2)) });
    const table = Array.from({ length: 20 }, (_, i) => [3, 3 + (i % 2)]);
    expect(report.criteria[0]!.agreement.alpha.value).toBeCloseTo(krippendorffAlpha(table, 'ordinal').value!, 12);
    // The panel's mean still averages samples.
    expect(report.criteria[0]!.judge_means.a).toBe(3.5);
  });

  it('each sampling judge\'s test–retest alpha over its samples, reported apart; none for single-sample runs', () => {
    const report = syntheticReport({ items: 20, criteria: ['c1'], judges: ['steady', 'shaky'], samples: 2, score: (j, item, _c, _t, sample) => (j === 'steady' ? 1 + (n(item) % 5) : sample === 0 ? 1 + (n(item) % 5) : 1 + ((n(item) * 3) % 5)) });
    const t = report.criteria[0]!.test_retest!;
    expect(t.steady).toEqual({ alpha: 1, units: 20 });
    const shakyTable = Array.from({ length: 20 }, (_, i) => [1 + (i % 5), 1 + ((i * 3) % 5)]);
    expect(t.shaky!.alpha).toBeCloseTo(krippendorffAlpha(shakyTable, 'ordinal').value!, 12);
    expect(renderSummary(report)).toContain(`Test–retest (each judge's alpha with itself across samples): c1 shaky ${t.shaky!.alpha!.toFixed(2)}; c1 steady 1.00.`);
    expect(syntheticReport({ items: 5, criteria: ['c1'], judges: ['a'], score: () => 3 }).criteria[0]!.test_retest).toBeUndefined();
    expect(testRetest([[3], [4]], likert)).toEqual({ alpha: null, reason: 'no unit has two scored samples', units: 0 });
  });
});

describe('a summary says when intervals rest on too few units', () => {
  it('fewer than 20 scored units: said, with the count; 20: not', () => {
    const small = syntheticReport({ items: 19, criteria: ['c1'], judges: ['a'], score: () => 3 });
    expect(renderSummary(small, { width: Infinity })).toContain('! fewer than 20 scored units on c1 (19): their intervals are rough, whatever the method.');
    expect(renderSummary(syntheticReport({ items: 20, criteria: ['c1'], judges: ['a'], score: () => 3 }), { width: Infinity })).not.toContain('fewer than 20');
  });
});

describe('panels short of a judge', () => {
  // Three judges; the lenient one (5 everywhere) fails on the first six items: those panels average the other two.
  const report = syntheticReport({ items: 20, criteria: ['c1'], judges: ['harsh', 'mid', 'lenient'], score: (j) => (j === 'lenient' ? 5 : j === 'mid' ? 3 : 2), failed: (j, item) => j === 'lenient' && n(item) < 6 });
  const c = report.criteria[0]!;

  it('are counted and named, with the mean over complete panels beside the available-case mean', () => {
    expect(c.partial_panels).toEqual({ units: 6, items: ['item-00', 'item-01', 'item-02', 'item-03', 'item-04', 'item-05'], complete_units: 14, complete_mean: 10 / 3 });
    expect(c.mean).toBeCloseTo((6 * 2.5 + 14 * (10 / 3)) / 20, 12);
    expect(renderSummary(report, { width: Infinity })).toContain('! r/c1: 6 units scored by fewer judges than the panel (e.g. item-00, item-01, item-02); over the 14 units every judge scored the mean is 3.33, against 3.08 over all.');
  });

  it('at most ten items are named; a full panel everywhere adds nothing to the report', () => {
    const many = syntheticReport({ items: 30, criteria: ['c1'], judges: ['a', 'b', 'c'], score: () => 3, failed: (j, item) => j === 'b' && n(item) < 15 });
    expect(many.criteria[0]!.partial_panels!.items).toHaveLength(10);
    expect(many.criteria[0]!.partial_panels!.units).toBe(15);
    expect(syntheticReport({ items: 5, criteria: ['c1'], judges: ['a', 'b'], score: () => 3 }).criteria[0]!.partial_panels).toBeUndefined();
  });
});

describe('test–retest edges', () => {
  it('units with different numbers of samples are padded, not cut to the fewest', () => {
    const units = [[1, 1, 5], [2, 2], [3, 3, 3], [4, 5]];
    const padded = units.map((s) => [...s, ...Array<null>(3 - s.length).fill(null)]);
    expect(testRetest(units, likert).alpha).toBeCloseTo(krippendorffAlpha(padded, 'ordinal').value!, 12);
    expect(testRetest(units, likert).units).toBe(4);
  });

  it('samples that never vary give no alpha, with alpha\'s own reason', () => {
    expect(testRetest([[3, 3], [3, 3]], likert)).toMatchObject({ alpha: null, units: 2 });
    expect(testRetest([[3, 3], [3, 3]], likert).reason).toMatch(/\w/);
  });
});
