import { describe, expect, it } from 'vitest';
import { ALPHA_FLOOR, criterionAgreement, levelOf, meanWithInterval, REPORT_RESAMPLES, REPORT_SEED } from '../../src/aggregate/criterion-agreement.js';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { cohenKappa, fleissKappa } from '../../src/stats/kappa.js';
import { percentAgreement } from '../../src/stats/percent.js';
import { directBca, leaveOneOut, replicates } from '../support/bca.js';
import { seededRng } from '../../src/stats/rng.js';
import type { RatingTable } from '../../src/stats/types.js';

// The report's agreement block wires the statistics (each checked against published examples in test/stats) to
// a criterion's scale: which level, which weights, which statistics appear, which seed the intervals use.
const likert = { type: 'likert' as const, min: 1, max: 5 };
const nominal = { type: 'categorical' as const, labels: ['a', 'b', 'c'] };
const ordinalTable: RatingTable = [[1, 2, 1], [3, 3, 4], [5, 4, 5], [2, 2, null], [4, 5, 4], [1, 1, 2], [3, 4, 3], [5, 5, 5]];
const nominalTable: RatingTable = [['a', 'a', 'b'], ['b', 'b', 'b'], ['c', 'a', 'c'], ['a', 'a', null], ['b', 'c', 'b'], ['c', 'c', 'c']];
const column = (t: RatingTable, j: number) => t.map((r) => r[j] ?? null);

describe('criterionAgreement', () => {
  it('likert: ordinal alpha with the report-seeded interval, quadratic kappa per pair, percent and within-one', () => {
    const a = criterionAgreement(ordinalTable, ['x', 'y', 'z'], likert);
    const alpha = krippendorffAlpha(ordinalTable, 'ordinal').value!;
    expect(a.level).toBe('ordinal');
    expect(a.alpha.value).toBeCloseTo(alpha, 12);
    const units = ordinalTable.filter((r) => r.filter((v) => v !== null).length >= 2);
    // The report's interval is BCa: recomputed here from its definition over the same seeded draws.
    const stat = (sel: number[]) => krippendorffAlpha(sel.map((i) => units[i]!), 'ordinal').value;
    const direct = directBca(replicates(units.length, REPORT_RESAMPLES, seededRng(REPORT_SEED), stat), alpha, leaveOneOut(units.length, stat));
    expect(a.alpha.ci!.low).toBeCloseTo(direct.low, 10);
    expect(a.alpha.ci!.high).toBeCloseTo(direct.high, 10);
    expect(a.alpha.ci).toMatchObject({ level: 0.95, method: 'bca', skipped: 0 });
    expect(a.reliable).toBe(alpha >= ALPHA_FLOOR);
    expect(a.pairwise.map((p) => [p.judges, p.statistic, p.weights])).toEqual([[['x', 'y'], 'cohen_kappa', 'quadratic'], [['x', 'z'], 'cohen_kappa', 'quadratic'], [['y', 'z'], 'cohen_kappa', 'quadratic']]);
    expect(a.pairwise.map((p) => p.value)).toEqual([[0, 1], [0, 2], [1, 2]].map(([i, j]) => cohenKappa(column(ordinalTable, i!), column(ordinalTable, j!), 'quadratic').value));
    expect(a.percent_agreement).toEqual({ value: percentAgreement(ordinalTable).value });
    expect(a.within_one_agreement).toEqual({ value: percentAgreement(ordinalTable, 1).value });
    expect(a.within_one_agreement!.value).toBeGreaterThan(a.percent_agreement.value!);
    expect(a.fleiss_kappa).toBeUndefined();
  });

  it('categorical: nominal alpha, unweighted kappa, Fleiss, no within-one', () => {
    const a = criterionAgreement(nominalTable, ['x', 'y', 'z'], nominal);
    expect(a.level).toBe('nominal');
    expect(a.alpha.value).toBeCloseTo(krippendorffAlpha(nominalTable, 'nominal').value!, 12);
    expect(a.pairwise.every((p) => p.weights === 'none')).toBe(true);
    expect(a.pairwise[0]!.value).toBe(cohenKappa(column(nominalTable, 0), column(nominalTable, 1), 'none').value);
    expect(a.fleiss_kappa).toEqual({ value: fleissKappa(nominalTable).value });
    expect(a.within_one_agreement).toBeUndefined();
    expect(levelOf({ type: 'binary' })).toBe('nominal');
    expect(levelOf(likert)).toBe('ordinal');
  });

  it('reliable is alpha ≥ 0.667 exactly at the floor, and null when alpha is undefined', () => {
    expect(ALPHA_FLOOR).toBe(0.667);
    const perfect = criterionAgreement([[1, 1], [2, 2], [3, 3]], ['x', 'y'], likert);
    expect(perfect.alpha.value).toBe(1);
    expect(perfect.reliable).toBe(true);
    const opposite = criterionAgreement([[1, 5], [5, 1], [2, 4], [4, 2]], ['x', 'y'], likert);
    expect(opposite.reliable).toBe(false);
    const none = criterionAgreement([[3, 3], [3, 3]], ['x', 'y'], likert);
    expect(none.alpha).toEqual({ value: null, reason: krippendorffAlpha([[3, 3], [3, 3]], 'ordinal').reason, ci: null });
    expect(none.reliable).toBeNull();
    const single = criterionAgreement([[3], [4]], ['x'], likert);
    expect(single.alpha).toEqual({ value: null, reason: 'no unit has two or more ratings', ci: null });
    expect(single.pairwise).toEqual([]);
  });

  it('an undefined kappa or percent keeps its reason, never a made-up number', () => {
    const a = criterionAgreement([[3, null], [null, 4]], ['x', 'y'], likert);
    expect(a.pairwise[0]!.value).toBeNull();
    expect(a.pairwise[0]!.reason).toBe(cohenKappa([3, null], [null, 4], 'quadratic').reason);
    expect(a.percent_agreement).toEqual({ value: null, reason: percentAgreement([[3, null], [null, 4]]).reason });
  });
});

describe('meanWithInterval', () => {
  it('the mean with the report-seeded BCa interval; nothing for no scores', () => {
    const scores = [1, 2, 2, 3, 5, 4, 4, 1];
    const m = meanWithInterval(scores);
    expect(m.mean).toBe(22 / 8);
    const stat = (sel: number[]) => sel.reduce((x, i) => x + scores[i]!, 0) / sel.length;
    const direct = directBca(replicates(8, REPORT_RESAMPLES, seededRng(REPORT_SEED), stat), 22 / 8, leaveOneOut(8, stat));
    expect(m.ci!.low).toBeCloseTo(direct.low, 12);
    expect(m.ci!.high).toBeCloseTo(direct.high, 12);
    expect(m.ci).toMatchObject({ level: 0.95, method: 'bca', skipped: 0 });
    expect(meanWithInterval([])).toEqual({ mean: null, ci: null });
    expect(meanWithInterval([4])).toEqual({ mean: 4, ci: null });
    // Every resample equal to the estimate: ties count half, so no bias correction and no acceleration.
    expect(meanWithInterval([4, 4])).toEqual({ mean: 4, ci: { low: 4, high: 4, level: 0.95, method: 'bca', skipped: 0 } });
  });
});

describe('an alpha whose interval cannot be drawn', () => {
  it('keeps its value and has no interval: most resamples miss the one unit that varies', () => {
    // Eleven units [3, 3] and one [1, 1]: alpha is 1, but a resample without the [1, 1] unit (about a third of
    // them: (11/12)¹²) has no variation, more than the tenth of undefined draws an interval allows.
    const table: RatingTable = [...Array.from({ length: 11 }, () => [3, 3]), [1, 1]];
    const { alpha } = criterionAgreement(table, ['a', 'b'], { type: 'likert', min: 1, max: 5 });
    expect(alpha.value).toBe(1);
    expect(alpha.ci).toBeNull();
  });
});
