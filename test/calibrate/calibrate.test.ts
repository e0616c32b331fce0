import { beforeAll, describe, expect, it } from 'vitest';
import { calibrate, DROP_BELOW_ALPHA, MIN_UNITS_FOR_ADVICE, moreUnitsToDecide } from '../../src/calibrate/calibrate.js';
import { compareAgainstPeople } from '../../src/calibrate/compare.js';
import type { HumanLabel } from '../../src/labels/labels.js';
import { seededRng } from '../../src/stats/rng.js';
import { syntheticReport } from '../support/synthetic-report.js';

// Truth per item: 1..5 cycling; three annotators who agree except that bob is one higher on every fourth item.
const truth = (item: string) => 1 + (Number(item.slice(5)) % 5);
const labels: HumanLabel[] = Array.from({ length: 40 }, (_, i) => `item-${String(i).padStart(2, '0')}`).flatMap((item, i) => [
  { item, criterion: 'r/c1', annotator: 'ann', score: truth(item) },
  { item, criterion: 'c1', annotator: 'bob', score: i % 4 === 0 ? Math.min(5, truth(item) + 1) : truth(item) },
  { item, criterion: 'c1', annotator: 'cat', score: truth(item) },
]);

describe('calibrate', () => {
  const rng = seededRng(5);
  const noise = new Map<string, number>();
  const report = syntheticReport({
    items: 40, criteria: ['c1'], judges: ['faithful', 'lenient', 'random'],
    score: (judge, item) => {
      if (judge === 'faithful') return truth(item);
      if (judge === 'lenient') return Math.min(5, truth(item) + 1);
      if (!noise.has(item)) noise.set(item, 1 + rng.int(5));
      return noise.get(item)!;
    },
  });
  // Computed before each test rather than at collection, so that a calibrate that throws fails these tests
  // (a file that fails to load counts as no failing test under Stryker).
  let result: ReturnType<typeof calibrate>;
  let c1: ReturnType<typeof calibrate>['criteria'][number];
  beforeAll(() => {
    result = calibrate(report, labels, { resamples: 200 });
    c1 = result.criteria[0]!;
  });
  const rater = (id: string) => c1.raters.find((r) => r.rater === id)!;

  it('matches labels by `rubric/criterion` or bare criterion id, and counts annotators', () => {
    expect(c1).toMatchObject({ rubric: 'r', criterion: 'c1', level: 'ordinal', labelled_units: 40, annotators: 3 });
  });

  it('measures each judge against the consensus (median of the annotators)', () => {
    // Consensus: the median of three is the truth on every item, bob's +1 notwithstanding. So the faithful judge
    // is exact on every item.
    expect(rater('faithful').exact.value).toBe(1);
    expect(rater('faithful').confusion.counts.flat().reduce((a, b) => a + b)).toBe(40);
    // The lenient judge is one higher everywhere it can be: exact only where the truth is 5 (8 of 40 items).
    expect(rater('lenient').exact.value).toBeCloseTo(8 / 40, 12);
    expect(rater('lenient').within_one!.value).toBe(1);
    // Bias against the mean of the annotators: lenient is +1 except at 5, minus bob's +1/3 on a quarter of items.
    const humanMean = (i: number, t: number) => (i % 4 === 0 ? (2 * t + Math.min(5, t + 1)) / 3 : t);
    let bias = 0;
    for (let i = 0; i < 40; i++) {
      const t = 1 + (i % 5);
      bias += Math.min(5, t + 1) - humanMean(i, t);
    }
    expect(rater('lenient').bias!.value).toBeCloseTo(bias / 40, 12);
    expect(rater('random').alpha.value!).toBeLessThan(0.3);
  });

  it('reports the human-human agreement as the ceiling', () => {
    expect(c1.human_alpha!.value).toBeGreaterThan(0.8);
    expect(c1.human_alpha!.value).toBeLessThan(1);
  });

  it('recommends dropping the judge that does not track people, and weights the others by their agreement', () => {
    expect(c1.recommendation.drop.map((d) => d.judge)).toEqual(['random']);
    expect(c1.recommendation.weights!.random).toBe(0);
    expect(c1.recommendation.weights!.faithful).toBeGreaterThan(c1.recommendation.weights!.lenient!);
    expect(c1.recommendation.weights!.faithful! + c1.recommendation.weights!.lenient!).toBeCloseTo(1, 12);
    expect(c1.recommendation.notes.some((n) => n.startsWith('lenient is lenient'))).toBe(true);
  });

  it('says which of two reports (rubric versions) lands closer to people, with a paired test', () => {
    const v2 = syntheticReport({ items: 40, criteria: ['c1'], judges: ['x'], label: 'v2', score: (_j, item) => truth(item) });
    const v1 = syntheticReport({ items: 40, criteria: ['c1'], judges: ['x'], label: 'v1', score: (_j, item) => (truth(item) === 3 ? 3 : truth(item) < 3 ? truth(item) + 2 : truth(item) - 2) });
    const [row] = compareAgainstPeople(v1, v2, labels);
    expect(row).toMatchObject({ criterion: 'c1', units: 40, better: 'b' });
    expect(row!.error_b!).toBeLessThan(row!.error_a!);
  });
});

describe('calibrate gives advice only where the labels support it', () => {
  const truth = (item: string) => 1 + (Number(item.slice(5)) % 5);
  const ids = (n: number) => Array.from({ length: n }, (_, i) => `item-${String(i).padStart(2, '0')}`);
  const labelsFor = (n: number) => ids(n).flatMap((item) => [{ item, criterion: 'c1', annotator: 'ann', score: truth(item) }]);

  it('with 2 labelled units: no weights, no judge dropped, and it says why', () => {
    const report = syntheticReport({ items: 30, criteria: ['c1'], judges: ['a', 'b', 'c'], score: (j, item) => (j === 'a' ? truth(item) : 1 + ((truth(item) + j.length) % 5)) });
    const c1 = calibrate(report, labelsFor(2), { resamples: 200 }).criteria[0]!;
    expect(c1.labelled_units).toBe(2);
    expect(c1.recommendation).toEqual({ weights: null, drop: [], notes: ['only 2 labelled units: no advice (at least 10 are needed before intervals mean anything)'] });
    expect(MIN_UNITS_FOR_ADVICE).toBe(10);
    // Exactly at the minimum, advice is given.
    expect(calibrate(report, labelsFor(10), { resamples: 200 }).criteria[0]!.recommendation.notes[0]).not.toContain('no advice');
  });

  it('does not drop a judge whose interval reaches the threshold: it says how many more labels would decide', () => {
    // Seed 4: alpha 0.29, its interval from about −0.4 to 0.9, across the 0.3 line.
    const rng = seededRng(4);
    const noise = new Map<string, number>();
    // "shaky" agrees with people on about half the items: alpha near the 0.3 line, with a wide interval on 12 units.
    const report = syntheticReport({
      items: 12, criteria: ['c1'], judges: ['good', 'shaky'],
      score: (j, item) => {
        if (j === 'good') return truth(item);
        if (!noise.has(item)) noise.set(item, rng.int(2) === 0 ? truth(item) : 1 + rng.int(5));
        return noise.get(item)!;
      },
    });
    const c1 = calibrate(report, labelsFor(12), { resamples: 300 }).criteria[0]!;
    const shaky = c1.raters.find((r) => r.rater === 'shaky')!;
    expect(shaky.alpha.ci!.low).toBeLessThan(DROP_BELOW_ALPHA);
    expect(shaky.alpha.ci!.high).toBeGreaterThan(DROP_BELOW_ALPHA);
    expect(c1.recommendation.drop).toEqual([]);
    expect(shaky.alpha.value!).toBeLessThan(DROP_BELOW_ALPHA);
    const note = c1.recommendation.notes.find((n) => n.startsWith('shaky: alpha'))!;
    expect(note).toContain(`about ${moreUnitsToDecide(12, shaky.alpha.ci!, shaky.alpha.value!)} more labelled units would decide whether to drop it`);
    // "good alone is better" is said only because its interval lies wholly above the panel's.
    const good = c1.raters.find((r) => r.rater === 'good')!.alpha.ci!;
    const panel = c1.raters.find((r) => r.rater === 'panel')!.alpha.ci!;
    expect(c1.recommendation.notes.includes('good alone agrees with people better than the panel (intervals apart)')).toBe(good.low > panel.high);
  });

  it('estimates the labels needed from the 1/√n narrowing of the interval', () => {
    // Half-width 0.2 at 12 units, 0.1 away from the line: 12 × (0.2 / 0.1)² = 48 units, 36 more.
    expect(moreUnitsToDecide(12, { low: 0.0, high: 0.4 }, 0.2)).toBe(36);
    // Already decidable by width alone: at least one more is still asked for.
    expect(moreUnitsToDecide(100, { low: 0.19, high: 0.21 }, 0.2)).toBe(1);
  });

  it('counts and reports labels it could not use: off the scale, NaN, unknown criterion, no matching unit', () => {
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['a', 'b'], score: (_j, item) => truth(item) });
    const extra: HumanLabel[] = [
      { item: 'item-01', criterion: 'c1', annotator: 'x', score: 11 },
      { item: 'item-02', criterion: 'c1', annotator: 'x', score: 'NaN' },
      { item: 'item-03', criterion: 'r/other', annotator: 'x', score: 3 },
      { item: 'nobody', criterion: 'c1', annotator: 'x', score: 3 },
      { item: 'item-04', criterion: 'c1', turn: 2, annotator: 'x', score: 3 },
    ];
    const result = calibrate(report, [...labelsFor(12), ...extra], { resamples: 100 });
    expect(result.dropped).toEqual({
      off_scale: 2, unknown_criterion: 1, no_unit: 2,
      examples: ['item-01 / c1: score 11 is not on the scale', 'item-02 / c1: score "NaN" is not on the scale', 'item-03 / r/other: no such criterion in the report', 'nobody / c1: no unit of the report has this item', 'item-04 / c1 turn 2: no unit of the report has this item'],
    });
    expect(result.criteria[0]!.labelled_units).toBe(12);
    expect(calibrate(report, labelsFor(12), { resamples: 100 }).dropped).toEqual({ off_scale: 0, unknown_criterion: 0, no_unit: 0, examples: [] });
  });
});
