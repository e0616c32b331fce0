import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/calibrate/calibrate.js';
import { compareAgainstPeople } from '../../src/calibrate/compare.js';
import type { HumanLabel } from '../../src/labels/labels.js';
import { seededRng } from '../../src/stats/rng.js';
import { syntheticReport } from '../support/synthetic-report.js';

// Truth per item: 1..5 cycling; two annotators who agree except on every fourth item (off by one).
const truth = (item: string) => 1 + (Number(item.slice(5)) % 5);
const labels: HumanLabel[] = Array.from({ length: 40 }, (_, i) => `item-${String(i).padStart(2, '0')}`).flatMap((item, i) => [
  { item, criterion: 'r/c1', annotator: 'ann', score: truth(item) },
  { item, criterion: 'c1', annotator: 'bob', score: i % 4 === 0 ? Math.min(5, truth(item) + 1) : truth(item) },
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
  const result = calibrate(report, labels, { resamples: 200 });
  const c1 = result.criteria[0]!;
  const rater = (id: string) => c1.raters.find((r) => r.rater === id)!;

  it('matches labels by `rubric/criterion` or bare criterion id, and counts annotators', () => {
    expect(c1).toMatchObject({ rubric: 'r', criterion: 'c1', level: 'ordinal', labelled_units: 40, annotators: 2 });
  });

  it('measures each judge against the consensus (median of the annotators)', () => {
    // Consensus: ann alone decides where bob agrees; where bob is one higher, the median is x.5, rounded down
    // to the truth for exact accuracy. So the faithful judge is exact on every item.
    expect(rater('faithful').exact.value).toBe(1);
    expect(rater('faithful').confusion.counts.flat().reduce((a, b) => a + b)).toBe(40);
    // The lenient judge is one higher everywhere it can be: exact only where the truth is 5 (8 of 40 items).
    expect(rater('lenient').exact.value).toBeCloseTo(8 / 40, 12);
    expect(rater('lenient').within_one!.value).toBe(1);
    // Bias against the mean of the annotators: lenient is +1 except at 5, minus bob's +1/2 on a quarter of items.
    const humanMean = (i: number, t: number) => (i % 4 === 0 ? (t + Math.min(5, t + 1)) / 2 : t);
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
    expect(c1.recommendation.weights.random).toBe(0);
    expect(c1.recommendation.weights.faithful).toBeGreaterThan(c1.recommendation.weights.lenient!);
    expect(c1.recommendation.weights.faithful! + c1.recommendation.weights.lenient!).toBeCloseTo(1, 12);
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
