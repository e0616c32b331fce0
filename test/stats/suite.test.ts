import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { bootstrapInterval } from '../../src/stats/bootstrap.js';
import { kendallTauB, kendallW, pearson, spearman } from '../../src/stats/correlation.js';
import { gwet } from '../../src/stats/gwet.js';
import { icc, ICC_FORMS } from '../../src/stats/icc.js';
import { cohenKappa, fleissKappa } from '../../src/stats/kappa.js';
import { percentAgreement } from '../../src/stats/percent.js';
import { directBca, leaveOneOut, replicates } from '../support/bca.js';
import { seededRng } from '../../src/stats/rng.js';
import { agreementSuite, STATISTIC_IDS, type Statistic } from '../../src/stats/suite.js';
import type { Estimate, RatingTable } from '../../src/stats/types.js';

// 14 units × 3 raters on a 1–5 scale, one rating missing: every statistic is defined and has an interval.
const table: RatingTable = [
  [1, 2, 1], [2, 2, 3], [3, 4, 3], [4, 4, 5], [5, 5, 4], [2, 1, 2], [3, 3, 3],
  [4, 5, 4], [1, 1, 2], [5, 4, 5], [2, 3, 2], [3, 3, null], [4, 3, 4], [5, 5, 5],
];
const raters = ['a', 'b', 'c'];
const col = (t: RatingTable, j: number) => t.map((r) => r[j] ?? null);
const complete = table.filter((r) => r.every((v) => v !== null));

/** The statistic as the suite should compute it, from its definition, on any sub-table. */
function direct(s: Statistic): (t: RatingTable) => Estimate {
  const pair = (s.params.raters as string[] | undefined)?.map((r) => raters.indexOf(r)) ?? [0, 1];
  const [a, b] = [pair[0]!, pair[1]!];
  switch (s.id) {
    case 'krippendorff_alpha': return (t) => krippendorffAlpha(t, 'interval');
    case 'fleiss_kappa': return fleissKappa;
    case 'cohen_kappa': return (t) => cohenKappa(col(t, a), col(t, b), s.params.weights as 'linear' | 'quadratic');
    case 'icc': return (t) => icc(t, s.params.form as (typeof ICC_FORMS)[number]);
    case 'gwet_ac1': return (t) => gwet(t);
    case 'gwet_ac2': return (t) => gwet(t, { weights: 'quadratic' });
    case 'kendall_w': return kendallW;
    case 'spearman_rho': return (t) => spearman(col(t, a), col(t, b));
    case 'kendall_tau_b': return (t) => kendallTauB(col(t, a), col(t, b));
    case 'pearson_r': return (t) => pearson(col(t, a), col(t, b));
    case 'percent_agreement': return (t) => percentAgreement(t);
    case 'within_one_agreement': return (t) => percentAgreement(t, 1);
  }
}

describe('agreementSuite', () => {
  const seeded = (seed: number) => agreementSuite(table, { level: 'interval', raters, ci: true, seed, resamples: 200 });

  it('every statistic fit for the level, each pair for the pairwise ones, with the value of its definition', () => {
    const stats = seeded(1);
    expect([...new Set(stats.map((s) => s.id))]).toEqual(['krippendorff_alpha', 'fleiss_kappa', 'cohen_kappa', 'icc', 'gwet_ac1', 'gwet_ac2', 'kendall_w', 'spearman_rho', 'kendall_tau_b', 'pearson_r', 'percent_agreement', 'within_one_agreement']);
    expect(stats.filter((s) => s.id === 'cohen_kappa').map((s) => s.params)).toEqual([
      { weights: 'linear', raters: ['a', 'b'] }, { weights: 'linear', raters: ['a', 'c'] }, { weights: 'linear', raters: ['b', 'c'] },
      { weights: 'quadratic', raters: ['a', 'b'] }, { weights: 'quadratic', raters: ['a', 'c'] }, { weights: 'quadratic', raters: ['b', 'c'] },
    ]);
    expect(stats.filter((s) => s.id === 'icc').map((s) => s.params.form)).toEqual([...ICC_FORMS]);
    expect(stats.find((s) => s.id === 'krippendorff_alpha')!.params).toEqual({ level: 'interval' });
    for (const s of stats) expect([s.id, s.value]).toEqual([s.id, direct(s)(table).value]);
    expect(stats.length).toBe(1 + 1 + 6 + ICC_FORMS.length + 1 + 1 + 1 + 3 + 3 + 3 + 1 + 1);
  });

  it('each interval is the BCa bootstrap over units with that seed (recomputed from its definition), and another seed moves it', () => {
    const one = seeded(1);
    const two = seeded(2);
    for (const [i, s] of one.entries()) {
      // Alpha resamples the units it can use (two or more ratings: all 14 here); the others resample rows.
      const stat = (sel: number[]) => direct(s)(sel.map((k) => table[k]!)).value;
      const bca = directBca(replicates(table.length, 200, seededRng(1), stat), s.value!, leaveOneOut(table.length, stat));
      expect(s.ci!.low, `${s.id} ${JSON.stringify(s.params)}`).toBeCloseTo(bca.low, 10);
      expect(s.ci!.high, `${s.id} ${JSON.stringify(s.params)}`).toBeCloseTo(bca.high, 10);
      expect(s.ci).toMatchObject({ level: 0.95, method: 'bca', resamples: 200 });
      expect(s.reason).toBeNull();
      expect(two[i]!.value).toBe(s.value);
    }
    // --interval percentile: the plain percentile interval over the same draws.
    const [alphaPercentile] = agreementSuite(table, { level: 'interval', raters, ci: true, seed: 1, resamples: 200, interval: 'percentile', stats: ['krippendorff_alpha'] });
    const p = bootstrapInterval(table.length, (sel) => direct(alphaPercentile!)(Array.from(sel, (k) => table[k]!)), seededRng(1), { resamples: 200 });
    expect(alphaPercentile!.ci).toEqual({ low: p.low, high: p.high, level: 0.95, method: 'percentile', resamples: 200, skipped: 0 });
    // Every interval that is not a single point depends on the seed (within-one is 1 on every unit here).
    const spread = one.filter((s) => s.ci!.low < s.ci!.high);
    expect(one.filter((s) => s.ci!.low === s.ci!.high).map((s) => s.id)).toEqual(['within_one_agreement']);
    expect(spread.filter((s) => JSON.stringify(s.ci) === JSON.stringify(two[one.indexOf(s)]!.ci))).toEqual([]);
  });

  it('the default seed is 1 and the default resamples 1000; without --ci no interval is drawn', () => {
    const byDefault = agreementSuite(table, { level: 'ordinal', raters, ci: true, stats: ['percent_agreement'] });
    const explicit = agreementSuite(table, { level: 'ordinal', raters, ci: true, stats: ['percent_agreement'], seed: 1, resamples: 1000 });
    expect(byDefault).toEqual(explicit);
    expect(agreementSuite(table, { level: 'ordinal', raters, stats: ['percent_agreement'] })[0]!.ci).toBeNull();
  });

  it('the level decides what is offered: nominal gets unweighted kappa and no ordinal or interval statistic', () => {
    const nominal = agreementSuite(table, { level: 'nominal', raters });
    expect([...new Set(nominal.map((s) => s.id))]).toEqual(['krippendorff_alpha', 'fleiss_kappa', 'cohen_kappa', 'gwet_ac1', 'percent_agreement']);
    expect(nominal.filter((s) => s.id === 'cohen_kappa').map((s) => s.params.weights)).toEqual(['none', 'none', 'none']);
    const ordinal = agreementSuite(table, { level: 'ordinal', raters });
    expect(ordinal.some((s) => s.id === 'icc' || s.id === 'pearson_r')).toBe(false);
    expect(ordinal.some((s) => s.id === 'within_one_agreement')).toBe(true);
    expect(agreementSuite(table, { level: 'ratio', raters }).length).toBe(seeded(1).length);
    expect(STATISTIC_IDS).toHaveLength(12);
  });

  it('two raters: pairwise statistics carry no rater names; one rater: every statistic is undefined, saying why', () => {
    const two = agreementSuite(complete.map((r) => r.slice(0, 2)), { level: 'ordinal', raters: ['a', 'b'], stats: ['spearman_rho', 'cohen_kappa'] });
    expect(two.map((s) => s.params)).toEqual([{ weights: 'linear' }, { weights: 'quadratic' }, {}]);
    const one = agreementSuite(complete.map((r) => r.slice(0, 1)), { level: 'ordinal', raters: ['a'], stats: ['percent_agreement', 'krippendorff_alpha'] });
    expect(one).toEqual([
      { id: 'krippendorff_alpha', params: { level: 'ordinal' }, value: null, ci: null, reason: 'fewer than two raters' },
      { id: 'percent_agreement', params: {}, value: null, ci: null, reason: 'fewer than two raters' },
    ]);
  });

  it('an undefined value keeps its reason and draws no interval; an interval that cannot be formed says why', () => {
    const flat: RatingTable = [[3, 3], [3, 3], [3, 3]];
    const [alpha] = agreementSuite(flat, { level: 'ordinal', raters: ['a', 'b'], ci: true, stats: ['krippendorff_alpha'] });
    expect(alpha).toEqual({ id: 'krippendorff_alpha', params: { level: 'ordinal' }, value: null, ci: null, reason: krippendorffAlpha(flat, 'ordinal').reason });
    // Rater a varies on one unit of four: a third of resamples miss it, where Pearson is undefined (over a
    // tenth undefined makes the interval undefined).
    const tiny: RatingTable = [[1, 3], [1, 1], [1, 2], [2, 1]];
    const [r] = agreementSuite(tiny, { level: 'interval', raters: ['a', 'b'], ci: true, stats: ['pearson_r'], resamples: 100 });
    expect(r!.value).toBe(pearson([1, 1, 1, 2], [3, 1, 2, 1]).value);
    expect(r!.value).not.toBeNull();
    expect(r!.ci).toBeNull();
    expect(r!.reason).toMatch(/^interval undefined: /);
  });

  it('tau-b gets no interval above 2,000 items, and says so', () => {
    const big: RatingTable = Array.from({ length: 2001 }, (_, i) => [1 + (i % 5), 1 + ((i * 3) % 5)]);
    const [tau] = agreementSuite(big, { level: 'ordinal', raters: ['a', 'b'], ci: true, stats: ['kendall_tau_b'] });
    expect(tau!.ci).toBeNull();
    expect(tau!.reason).toBe('interval undefined: no interval: bootstrapping tau-b is O(n²) per resample, skipped above 2000 items');
    expect(tau!.value).toBe(kendallTauB(col(big, 0), col(big, 1)).value);
  });
});
