import { describe, expect, it } from 'vitest';
import { dawidSkene, posteriorClass, type DawidSkeneData } from '../../src/stats/dawid-skene.js';

/** Labels as [item, annotator, class] triples. */
function data(classes: number, items: number, annotators: number, labels: [number, number, number][]): DawidSkeneData {
  return {
    classes, items, annotators,
    item: Int32Array.from(labels.map((l) => l[0])),
    annotator: Int32Array.from(labels.map((l) => l[1])),
    label: Int32Array.from(labels.map((l) => l[2])),
  };
}

/**
 * Dawid & Skene (1979), Table 1: 45 patients rated on a 4-point scale by 5 anaesthetists, the first of them
 * three times. Transcribed as in dallascard/dawid_skene (`generate_sample_data`); 45 × (3 + 4) = 315 ratings, as
 * the rater package's copy (`anesthesia`, 315 rows) has. Per patient: observer 1's three ratings, then 2–5.
 */
const PATIENTS = [
  '111 1111', '333 4334', '112 2122', '222 3121', '222 3222', '222 3322', '122 2111', '333 3433', '222 2223', '232 2223',
  '444 4444', '222 3343', '111 1111', '222 3212', '121 1111', '111 2111', '111 1111', '111 1111', '222 2221', '222 1322',
  '222 2222', '222 2221', '222 3222', '221 2222', '111 1111', '111 1111', '232 2222', '111 1111', '111 1111', '112 1121',
  '111 1111', '333 3233', '111 1111', '222 2222', '222 3232', '433 4343', '221 2232', '232 3233', '333 3432', '111 1111',
  '111 1111', '121 2111', '232 2222', '121 1111', '222 2222',
];

function anaesthetists(): DawidSkeneData {
  const labels: [number, number, number][] = [];
  PATIENTS.forEach((row, patient) => {
    const [first, others] = row.split(' ') as [string, string];
    for (const c of first) labels.push([patient, 0, Number(c) - 1]);
    [...others].forEach((c, j) => labels.push([patient, j + 1, Number(c) - 1]));
  });
  return data(4, 45, 5, labels);
}

/**
 * An independent implementation for comparison: the paper's equations on the count array n[i][j][l], products
 * in plain probability space (fine for 7 ratings a patient), same start and the same stopping rule.
 */
function reference(d: DawidSkeneData, iterationsCap = 1000, tolerance = 1e-6, start: 'majority' | 'shares' = 'majority') {
  const { classes: K, items: I, annotators: J } = d;
  const n = Array.from({ length: I }, () => Array.from({ length: J }, () => new Array<number>(K).fill(0)));
  d.label.forEach((l, x) => n[d.item[x]!]![d.annotator[x]!]![l]! += 1);
  let T = n.map((byJ) => {
    const votes = new Array<number>(K).fill(0);
    byJ.forEach((counts) => counts.forEach((c, l) => (votes[l]! += c)));
    if (start === 'shares') return votes.map((v) => v / votes.reduce((a, b) => a + b, 0));
    const top = Math.max(...votes);
    const ties = votes.filter((v) => v === top).length;
    return votes.map((v) => (v === top ? 1 / ties : 0));
  });
  let p: number[] = [];
  let pi: number[][][] = [];
  let iterations = 0;
  for (;;) {
    iterations++;
    p = Array.from({ length: K }, (_, k) => T.reduce((s, t) => s + t[k]!, 0) / I);
    pi = Array.from({ length: J }, (_, j) => Array.from({ length: K }, (_, k) => {
      const row = Array.from({ length: K }, (_, l) => T.reduce((s, t, i) => s + t[k]! * n[i]![j]![l]!, 0));
      const total = row.reduce((a, b) => a + b, 0);
      return row.map((v) => (total > 0 ? v / total : 1 / K));
    }));
    const next = n.map((byJ) => {
      const joint = Array.from({ length: K }, (_, k) => p[k]! * byJ.reduce((prod, counts, j) => prod * counts.reduce((q, c, l) => q * pi[j]![k]![l]! ** c, 1), 1));
      const total = joint.reduce((a, b) => a + b, 0);
      return joint.map((v) => v / total);
    });
    const moved = Math.max(...next.flatMap((row, i) => row.map((v, k) => Math.abs(v - T[i]![k]!))));
    T = next;
    if (moved <= tolerance || iterations >= iterationsCap) break;
  }
  return { p, pi, T, iterations };
}

describe('Dawid–Skene by EM', () => {
  it('reaches the hand-computed fixed point on two annotators, and keeps a symmetric tie a tie', () => {
    // Items 0 and 1 agreed (class 0, class 1); on item 2 annotator 0 says 0 and annotator 1 says 1.
    // Start: (1, 0), (0, 1), (½, ½). M-step: priors (½, ½); annotator 0: row 0 = (1.5, 0)/1.5 = (1, 0),
    // row 1 = (0.5, 1)/1.5 = (⅓, ⅔); annotator 1: row 0 = (1, 0.5)/1.5 = (⅔, ⅓), row 1 = (0, 1.5)/1.5 = (0, 1).
    // E-step: item 2 is ½·1·⅓ = ⅙ against ½·⅓·1 = ⅙: still a tie, so the start was the fixed point.
    const fit = dawidSkene(data(2, 3, 2, [[0, 0, 0], [0, 1, 0], [1, 0, 1], [1, 1, 1], [2, 0, 0], [2, 1, 1]]));
    expect(fit.iterations).toBe(1);
    expect(fit.converged).toBe(true);
    expect(fit.priors).toEqual([0.5, 0.5]);
    expect(fit.confusion[0]![0]).toEqual([1, 0]);
    expect(fit.confusion[0]![1]![0]).toBeCloseTo(1 / 3, 15);
    expect(fit.confusion[0]![1]![1]).toBeCloseTo(2 / 3, 15);
    expect(fit.confusion[1]![0]![0]).toBeCloseTo(2 / 3, 15);
    expect(fit.confusion[1]![1]).toEqual([0, 1]);
    expect(Array.from(fit.posterior)).toEqual([1, 0, 0, 1, 0.5, 0.5]);
    // Likelihood: ⅓ (item 0: ½·1·⅔) × ⅓ (item 1: ½·⅔·1) × ⅓ (item 2: ⅙ + ⅙).
    expect(fit.logLikelihood).toBeCloseTo(3 * Math.log(1 / 3), 14);
    expect([0, 1, 2].map((i) => posteriorClass(fit, 2, i))).toEqual([0, 1, null]);
  });

  it('matches an independent implementation of the paper on its own data (45 patients, 5 anaesthetists)', () => {
    const d = anaesthetists();
    expect(d.label.length).toBe(315);
    const fit = dawidSkene(d);
    const ref = reference(d);
    expect(fit.converged).toBe(true);
    expect(fit.iterations).toBe(ref.iterations);
    fit.priors.forEach((p, k) => expect(p).toBeCloseTo(ref.p[k]!, 12));
    fit.confusion.forEach((m, j) => m.forEach((row, k) => row.forEach((v, l) => expect(v).toBeCloseTo(ref.pi[j]![k]![l]!, 12))));
    ref.T.forEach((row, i) => row.forEach((v, k) => expect(fit.posterior[i * 4 + k]).toBeCloseTo(v, 12)));
    expect(fit.priors.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 14);
    // The likelihood never falls along EM's path, and the fit is a fixed point: one more pass moves nothing.
    let last = -Infinity;
    for (let cap = 1; cap <= 12; cap++) {
      const partial = dawidSkene(d, { maxIterations: cap });
      expect(partial.logLikelihood).toBeGreaterThanOrEqual(last - 1e-12);
      last = partial.logLikelihood;
    }
    expect(fit.logLikelihood).toBeGreaterThanOrEqual(last - 1e-12);
  });

  it("from the paper's own start (vote shares) reaches the paper's estimates, at a higher likelihood than majority's", () => {
    const d = anaesthetists();
    const shares = dawidSkene(d, { start: 'shares' });
    const ref = reference(d, 1000, 1e-6, 'shares');
    expect(shares.iterations).toBe(ref.iterations);
    ref.T.forEach((row, i) => row.forEach((v, k) => expect(shares.posterior[i * 4 + k]).toBeCloseTo(v, 12)));
    // Dawid & Skene (1979), Table 2: estimated class marginals 0.40, 0.42, 0.11, 0.07.
    expect(shares.priors.map((p) => p.toFixed(2))).toEqual(['0.40', '0.42', '0.11', '0.07']);
    // Patient 2 (rated 3, 3, 3, 4, 3, 3, 4) is put in class 4 from this start, in class 3 from the majority start.
    expect(posteriorClass(shares, 4, 1)).toBe(3);
    const majority = dawidSkene(d);
    expect(posteriorClass(majority, 4, 1)).toBe(2);
    expect(shares.logLikelihood).toBeGreaterThan(majority.logLikelihood + 1);
  });

  it('starts from vote shares correctly when items carry different numbers of labels', () => {
    // The paper's patients all have 7 ratings, which hides a start that forgets to divide by the item's count.
    const d = anaesthetists();
    const keep = Array.from(d.label.keys()).filter((x) => d.item[x]! % 3 !== 0 || d.annotator[x]! !== 0);
    const uneven = { ...d, item: Int32Array.from(keep, (x) => d.item[x]!), annotator: Int32Array.from(keep, (x) => d.annotator[x]!), label: Int32Array.from(keep, (x) => d.label[x]!) };
    const fit = dawidSkene(uneven, { start: 'shares', maxIterations: 3 });
    const ref = reference(uneven, 3, 1e-6, 'shares');
    fit.priors.forEach((p, k) => expect(p).toBeCloseTo(ref.p[k]!, 12));
    ref.T.forEach((row, i) => row.forEach((v, k) => expect(fit.posterior[i * 4 + k]).toBeCloseTo(v, 12)));
  });

  it('gives the same answer every time from the documented start, bit for bit', () => {
    const a = dawidSkene(anaesthetists());
    const b = dawidSkene(anaesthetists());
    expect(Array.from(a.posterior)).toEqual(Array.from(b.posterior));
    expect(a.confusion).toEqual(b.confusion);
    expect(a.logLikelihood).toBe(b.logLikelihood);
  });

  it('stops at the iteration cap and says it did not converge', () => {
    const fit = dawidSkene(anaesthetists(), { maxIterations: 2 });
    expect(fit.iterations).toBe(2);
    expect(fit.converged).toBe(false);
    const ref = reference(anaesthetists(), 2);
    ref.T.forEach((row, i) => row.forEach((v, k) => expect(fit.posterior[i * 4 + k]).toBeCloseTo(v, 12)));
  });

  it('honours the tolerance: a loose one stops sooner than a strict one', () => {
    const loose = dawidSkene(anaesthetists(), { tolerance: 1e-2 });
    const strict = dawidSkene(anaesthetists(), { tolerance: 1e-12 });
    expect(loose.converged && strict.converged).toBe(true);
    expect(loose.iterations).toBeLessThan(strict.iterations);
    expect(loose.iterations).toBe(reference(anaesthetists(), 1000, 1e-2).iterations);
  });

  it('handles an annotator with one item, a class nobody used, and items with missing labels', () => {
    // Three classes; class 2 is never chosen. Annotator 2 labelled only item 3; item 4 has no label at all.
    const fit = dawidSkene(data(3, 5, 3, [
      [0, 0, 0], [0, 1, 0], [1, 0, 1], [1, 1, 1], [2, 0, 0], [2, 1, 0], [3, 0, 1], [3, 2, 1],
    ]));
    expect(fit.converged).toBe(true);
    expect(fit.priors[2]).toBe(0);
    expect(fit.priors[0]! + fit.priors[1]!).toBeCloseTo(1, 15);
    for (let i = 0; i < 4; i++) expect(fit.posterior[i * 3 + 2]).toBe(0);
    // Annotator 2's row for class 1 is what they did on the one item; their rows with no evidence are uniform.
    expect(fit.confusion[2]![1]).toEqual([0, 1, 0]);
    expect(fit.confusion[2]![2]).toEqual([1 / 3, 1 / 3, 1 / 3]);
    // The unlabelled item keeps the priors, and counts in neither the priors nor the likelihood.
    expect(Array.from(fit.posterior.subarray(12, 15))).toEqual(fit.priors);
    expect(fit.priors[0]).toBeCloseTo(0.5, 12);
    expect(Number.isFinite(fit.logLikelihood)).toBe(true);
  });

  it('stays finite with a hundred and twenty-three annotators on an item (log space)', () => {
    const labels: [number, number, number][] = [];
    for (let i = 0; i < 4; i++) for (let j = 0; j < 123; j++) labels.push([i, j, (i + (j % 7 === 0 ? 1 : 0)) % 2]);
    const fit = dawidSkene(data(2, 4, 123, labels));
    expect(Array.from(fit.posterior).every(Number.isFinite)).toBe(true);
    expect([0, 1, 2, 3].map((i) => posteriorClass(fit, 2, i))).toEqual([0, 1, 0, 1]);
  });

  it('redoes in logs an item whose products underflow: 1,600 annotators split evenly on it', () => {
    // Items 0 and 1: everyone says 0 and 1. Item 2: the first 800 say 0, the rest 1. From the start (item 2 a tie)
    // the M-step gives the first half rows (1, 0) and (⅓, ⅔), the second (⅔, ⅓) and (0, 1); item 2's products
    // are ½·(⅓)^800 for both classes, about 1e-382: zero as a double.
    const labels: [number, number, number][] = [];
    for (let j = 0; j < 1600; j++) labels.push([0, j, 0], [1, j, 1], [2, j, j < 800 ? 0 : 1]);
    const fit = dawidSkene(data(2, 3, 1600, labels));
    expect(fit.iterations).toBe(1);
    expect(Array.from(fit.posterior)).toEqual([1, 0, 0, 1, 0.5, 0.5]);
    const expected = 2 * (Math.log(0.5) + 800 * Math.log(2 / 3)) + 800 * Math.log(1 / 3);
    expect(fit.logLikelihood).toBeCloseTo(expected, 8);
    // The same with the split item first: the log path must find that item's own labels and slots.
    const first = dawidSkene(data(2, 3, 1600, labels.map(([i, j, l]) => [(i + 1) % 3, j, l] as [number, number, number])));
    expect(Array.from(first.posterior)).toEqual([0.5, 0.5, 1, 0, 0, 1]);
  });

  it('breaks no tie by order: a near-tie beyond the tolerance is a class, within it a tie', () => {
    expect(posteriorClass({ posterior: Float64Array.from([0.5, 0.5]) }, 2, 0)).toBeNull();
    expect(posteriorClass({ posterior: Float64Array.from([0.25, 0.5, 0.25]) }, 3, 0)).toBe(1);
    expect(posteriorClass({ posterior: Float64Array.from([0.5 + 2e-9, 0.5 - 2e-9]) }, 2, 0)).toBe(0);
    expect(posteriorClass({ posterior: Float64Array.from([0.5 - 2e-9, 0.5 + 2e-9]) }, 2, 0)).toBe(1);
    expect(posteriorClass({ posterior: Float64Array.from([0.5 + 4e-10, 0.5 - 4e-10]) }, 2, 0)).toBeNull();
    // Item 1 of three classes, next to an item whose values would mislead a wrong index.
    expect(posteriorClass({ posterior: Float64Array.from([0.4, 0.4, 0.2, 0.1, 0.6, 0.3]) }, 3, 1)).toBe(1);
  });
});
