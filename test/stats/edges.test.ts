import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { kendallTauB, kendallW, pearson, spearman } from '../../src/stats/correlation.js';
import { gwet } from '../../src/stats/gwet.js';
import { icc } from '../../src/stats/icc.js';
import { cohenKappa, fleissKappa } from '../../src/stats/kappa.js';
import { wilcoxonSignedRank } from '../../src/stats/paired.js';
import { percentAgreement } from '../../src/stats/percent.js';
import { agreementSuite } from '../../src/stats/suite.js';
import { present, type RatingTable } from '../../src/stats/types.js';

// The edges of each statistic: which ratings count, and the reason given when a value cannot be computed.
// A reason is what a report shows in place of the number, so each is asserted word for word: a missing guard
// would still give null (through NaN), but with "is not finite", which tells a user nothing.

const _ = null;
const none = (reason: string) => ({ value: null, reason });

describe('percent agreement', () => {
  it('within-n agreement compares numbers only: a label "2" is not within one of the score 3', () => {
    expect(percentAgreement([['2', 3]], 1).value).toBe(0);
    expect(percentAgreement([[3, '2']], 1).value).toBe(0);
    expect(percentAgreement([[2, 3]], 1).value).toBe(1);
    expect(percentAgreement([[2, 3]], 0).value).toBe(0);
  });

  it('says why when no item is rated twice', () => {
    expect(percentAgreement([[1], [_, 2], []])).toEqual(none('no item has two or more ratings'));
  });
});

describe("Cohen's kappa", () => {
  it('an item either rater missed changes nothing, also when the raters disagree elsewhere', () => {
    const full = cohenKappa(['a', 'b', 'a'], ['a', 'a', 'b']).value;
    expect(full).toBeCloseTo(-0.5, 12); // p_o = 1/3, p_e = (2·2 + 1·1)/9 = 5/9 → (1/3 − 5/9)/(4/9)
    expect(cohenKappa(['a', 'b', 'a', _, 'b'], ['a', 'a', 'b', 'b', _]).value).toBe(full);
    expect(cohenKappa(['a', 'b', 'a', 'a'], ['a', 'a', 'b']).value).toBe(full); // the longer list's extra item has no partner
  });

  it('says why: one item in common; weights over labels; both raters on one value', () => {
    expect(cohenKappa([1, 2], [1, _])).toEqual(none('fewer than two items rated by both raters'));
    expect(cohenKappa(['a', 'b'], ['a', 'b'], 'linear')).toEqual(none('weighted kappa needs numeric ratings'));
    expect(cohenKappa(['a', 2, 3], [1, 2, 3], 'quadratic')).toEqual(none('weighted kappa needs numeric ratings'));
    expect(cohenKappa([1, 2, 3], [1, 'b', 3], 'linear')).toEqual(none('weighted kappa needs numeric ratings'));
    expect(cohenKappa([2, 2, 2], [2, 2, 2])).toEqual(none('no disagreement is expected by chance: both raters used a single value'));
    expect(cohenKappa([1, 2, 3], [1, 2, 3], 'linear').value).toBe(1);
  });
});

describe("Fleiss' kappa", () => {
  it('a unit with a single rating adds to the category shares, not to p_a (Gwet\'s available-case form); with no unit rated twice it says so', () => {
    const table = [['a', 'a', 'b'], ['b', 'b', 'b'], ['a', 'b', 'a']];
    // p_a: units (1/3, 1, 1/3) → 5/9. π_a = (2/3 + 0 + 2/3)/3 = 4/9, π_b = 5/9; p_e = 41/81.
    const pa = 5 / 9;
    expect(fleissKappa(table).value).toBeCloseTo((pa - 41 / 81) / (1 - 41 / 81), 14);
    // Adding ['a']: p_a unchanged; π_a = (4/3 + 1)/4 = 7/12, π_b = 5/12; p_e = 74/144.
    expect(fleissKappa([...table, ['a', _, _]]).value).toBeCloseTo((pa - 74 / 144) / (1 - 74 / 144), 14);
    expect(fleissKappa([['a'], [_, 'b']])).toEqual(none('no unit has two or more ratings'));
  });
});

describe("Gwet's AC1 and AC2: recomputed by hand", () => {
  // Units [1,1], [1,2], [3,3] (as in published.test.ts); π = (0.5, 1/6, 1/3), Σπ(1 − π) = 0.25 + 5/36 + 2/9.
  const table = [[1, 1], [1, 2], [3, 3]];
  const spread = 0.25 + 5 / 36 + 2 / 9;
  const ac = (pa: number, pe: number) => (pa - pe) / (1 - pe);

  it('AC2 with linear weights: w(1,2) = w(2,3) = 0.5, w(1,3) = 0, T_w = 5', () => {
    // p_a: [1,1] → 1; [1,2] → (1·(1 + 0.5 − 1) + 1·(0.5 + 1 − 1))/2 = 0.5; [3,3] → 1. p_e = 5/(3·2)·Σπ(1 − π).
    expect(gwet(table, { weights: 'linear' }).value).toBeCloseTo(ac(2.5 / 3, (5 / 6) * spread), 12);
  });

  it('the categories of the scale, not only those seen, set q: AC1 on a 5-point scale divides by q − 1 = 4', () => {
    expect(gwet(table).value).toBeCloseTo(ac(2 / 3, spread / 2), 12);
    expect(gwet(table, { categories: [1, 2, 3, 4, 5] }).value).toBeCloseTo(ac(2 / 3, spread / 4), 12);
  });

  it('a unit rated once counts in π but not in p_a; a unit rated by no one counts in neither', () => {
    // π over 4 units = ((1 + 0.5)/4, (0.5 + 1)/4, 1/4) = (0.375, 0.375, 0.25); p_a over 3 units = 2/3.
    const pe = (2 * 0.375 * 0.625 + 0.25 * 0.75) / 2;
    expect(gwet([...table, [2, _]]).value).toBeCloseTo(ac(2 / 3, pe), 12);
    expect(gwet([...table, [_, _]]).value).toBe(gwet(table).value);
  });

  it('says why: one category; AC2 over labels; a rating off the scale; no unit rated twice', () => {
    expect(gwet([['a', 'a'], ['a', _]])).toEqual(none('one category only: chance agreement cannot be separated from agreement'));
    expect(gwet([['a', 'b'], ['b', 'b']], { weights: 'quadratic' })).toEqual(none('AC2 needs numeric ratings'));
    expect(gwet([[1, 2]], { weights: 'linear', categories: [1, 2, 'x'] })).toEqual(none('AC2 needs numeric ratings'));
    expect(gwet([[1, 7]], { categories: [1, 2, 3] })).toEqual(none('rating 7 is not one of the categories'));
    expect(gwet([[1, _], [_, 2]])).toEqual(none('no unit has two or more ratings'));
  });
});

describe('correlations', () => {
  it('only items both raters scored with numbers count', () => {
    const r = pearson([1, 2, 4], [2, 1, 3]).value;
    expect(r).not.toBeNull();
    expect(pearson([1, 2, 'x', 4, _, 9], [2, 1, 5, 3, 4, 'y']).value).toBe(r);
    expect(spearman([1, 2, 'x', 4, _, 9], [2, 1, 5, 3, 4, 'y']).value).toBe(spearman([1, 2, 4], [2, 1, 3]).value);
    expect(kendallTauB([1, 2, 'x', 4, _], [2, 1, 5, 3, 4]).value).toBe(kendallTauB([1, 2, 4], [2, 1, 3]).value);
  });

  it('three items are enough, two are not, and each says why', () => {
    const few = none('fewer than three items rated by both raters');
    for (const statistic of [pearson, spearman, kendallTauB]) {
      expect(statistic([1, 2], [2, 1])).toEqual(few);
      expect(statistic([1, 2, 3], [1, 3, 2]).value).toBeCloseTo(statistic === kendallTauB ? 1 / 3 : 0.5, 12);
    }
  });

  it('a constant rater has zero variance, said as such', () => {
    expect(pearson([1, 1, 1], [1, 2, 3])).toEqual(none('a rater gave every item the same score: zero variance'));
    expect(kendallTauB([1, 2, 3], [4, 4, 4])).toEqual(none('a rater gave every item the same score'));
  });

  it('scores so large their squares overflow give null with a reason, not NaN', () => {
    expect(pearson([1e200, -1e200, 0], [1e200, -1e200, 0])).toEqual(none('correlation is not finite'));
  });
});

describe("Kendall's W", () => {
  it('with ties, by hand: ranks [1.5, 1.5, 3] and [1, 2, 3], T = 2³ − 2 = 6, W = 12·6.5/(4·24 − 2·6)', () => {
    // Rank sums 2.5, 3.5, 6 (mean 4): S = 2.25 + 0.25 + 4 = 6.5.
    expect(kendallW([[1, 1], [1, 2], [2, 3]]).value).toBeCloseTo((12 * 6.5) / 84, 12);
  });

  it('two items and two raters are enough; fewer of either, or no spread at all, say why', () => {
    expect(kendallW([[1, 2], [2, 1]]).value).toBe(0);
    expect(kendallW([])).toEqual(none('fewer than two items rated by every rater'));
    expect(kendallW([[1, 2], [2, _], ['a', 1]])).toEqual(none('fewer than two items rated by every rater'));
    expect(kendallW([[1], [2], [3]])).toEqual(none('fewer than two raters'));
    expect(kendallW([[1, 4], [1, 4], [1, 4]])).toEqual(none('every rater gave every item the same score'));
  });
});

describe("Krippendorff's alpha", () => {
  it('says why: labels on a numeric level; no variation; squares too large for a double', () => {
    expect(krippendorffAlpha([[1, 'x']], 'ordinal')).toEqual(none('an ordinal alpha needs numbers; found "x"'));
    expect(krippendorffAlpha([[1, 2], ['y', 2]], 'interval')).toEqual(none('an interval alpha needs numbers; found "y"'));
    expect(krippendorffAlpha([[1, 'x']], 'ratio')).toEqual(none('a ratio alpha needs numbers; found "x"'));
    expect(krippendorffAlpha([[3, 3], [3, 3, _]], 'interval')).toEqual(none('every pairable rating has the same value: no variation to agree on'));
    expect(krippendorffAlpha([[1e200, -1e200], [0, 1e200]], 'interval')).toEqual(none('alpha is not finite'));
  });

  it('units with different ratings never share a precomputed pattern, however their cells print', () => {
    // With 8 categories (first seen in this order), units [1, 4] and [5, 1] have coincidence cells (0,3),(3,0) and
    // (4,0),(0,4): 3 and 24, 32 and 4, which read "324" both when written without a separator.
    const table: RatingTable = [[1, 2, 3, 4, 5, 6, 7, 8], [1, 4], [5, 1], [2, 2], [3, 3]];
    // Nominal alpha from its definition: o_ck = Σ_u pairs(c, k)/(m_u − 1), α = 1 − (n − 1)·Σ_{c≠k} o_ck / Σ_{c≠k} n_c·n_k.
    const o = new Map<string, number>();
    for (const unit of table) {
      for (let i = 0; i < unit.length; i++) for (let j = 0; j < unit.length; j++) if (i !== j) o.set(`${unit[i]},${unit[j]}`, (o.get(`${unit[i]},${unit[j]}`) ?? 0) + 1 / (unit.length - 1));
    }
    const nc = new Map<number, number>();
    for (const [key, count] of o) nc.set(Number(key.split(',')[0]), (nc.get(Number(key.split(',')[0])) ?? 0) + count);
    const n = [...nc.values()].reduce((a, b) => a + b, 0);
    const disagree = [...o].filter(([key]) => key.split(',')[0] !== key.split(',')[1]).reduce((a, [, count]) => a + count, 0);
    let expected = 0;
    for (const [c, a] of nc) for (const [k, b] of nc) if (c !== k) expected += a * b;
    expect(krippendorffAlpha(table, 'nominal').value).toBeCloseTo(1 - ((n - 1) * disagree) / expected, 12);
  });

  it('ratio alpha takes two zeros as agreeing (δ = 0), not as 0/0', () => {
    // Units [0,0], [0,1], [1,1]: values 0 ×3, 1 ×3 (n = 6). δ(0,1) = ((0 − 1)/(0 + 1))² = 1, as nominal.
    expect(krippendorffAlpha([[0, 0], [0, 1], [1, 1]], 'ratio').value).toBeCloseTo(krippendorffAlpha([[0, 0], [0, 1], [1, 1]], 'nominal').value!, 12);
  });
});

describe('ICC', () => {
  it('two targets and two raters are enough; fewer of either, or no variance, say why', () => {
    expect(icc([[1, 2], [3, 5]], 'ICC1').value).not.toBeNull();
    expect(icc([], 'ICC1')).toEqual(none('fewer than two targets rated by every rater'));
    expect(icc([[1, 2], [3, _]], 'ICC2')).toEqual(none('fewer than two targets rated by every rater'));
    expect(icc([[1], [2], [3]], 'ICC3')).toEqual(none('fewer than two raters'));
    expect(icc([[3, 3], [3, 3]], 'ICC1')).toEqual(none('zero variance: the ICC is undefined'));
    expect(icc([[1e200, -1e200], [0, 1e200]], 'ICC1')).toEqual(none('ICC is not finite'));
  });
});

describe('the signed-rank test names itself and its method', () => {
  it('no change; an exact test; a normal approximation', () => {
    expect(wilcoxonSignedRank([0, 0])).toEqual({ name: 'wilcoxon_signed_rank', statistic: 0, n: 0, p_value: 1, method: 'exact', reason: 'no item changed' });
    expect(wilcoxonSignedRank([1, 2, -3])).toMatchObject({ name: 'wilcoxon_signed_rank', method: 'exact', n: 3, statistic: 3 });
    expect(wilcoxonSignedRank(Array.from({ length: 61 }, (_, i) => i + 1))).toMatchObject({ name: 'wilcoxon_signed_rank', method: 'normal', n: 61 });
  });
});

describe('the suite', () => {
  const table: RatingTable = Array.from({ length: 12 }, (_, i) => [1 + (i % 5), 1 + ((i + (i % 2)) % 5)]);
  it('AC2 says its weights', () => {
    const ac2 = agreementSuite(table, { level: 'ordinal', raters: ['a', 'b'], stats: ['gwet_ac2'] });
    expect(ac2.map((s) => [s.id, s.params])).toEqual([['gwet_ac2', { weights: 'quadratic' }]]);
  });

  it('tau-b gets an interval up to 2,000 items, and a reason past them', () => {
    const rows = (n: number): RatingTable => Array.from({ length: n }, (_, i) => [i % 7, (i * 3) % 11]);
    const at = (n: number) => agreementSuite(rows(n), { level: 'ordinal', raters: ['a', 'b'], stats: ['kendall_tau_b'], ci: true, resamples: 3 })[0]!;
    expect(at(2000).ci).not.toBeNull();
    expect(at(2001)).toMatchObject({ ci: null, reason: 'interval undefined: no interval: bootstrapping tau-b is O(n²) per resample, skipped above 2000 items' });
    // Only tau-b: Spearman on the same 2,001 items keeps its interval.
    const spearman = agreementSuite(rows(2001), { level: 'ordinal', raters: ['a', 'b'], stats: ['spearman_rho'], ci: true, resamples: 3 })[0]!;
    expect(spearman.ci).not.toBeNull();
  });
});

describe('present', () => {
  it('leaves out null and undefined, keeps 0 and empty-looking labels', () => {
    expect(present([1, _, undefined as never, 0, ''])).toEqual([1, 0, '']);
  });
});
