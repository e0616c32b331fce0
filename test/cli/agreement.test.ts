import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { gwet } from '../../src/stats/gwet.js';
import { runCli } from '../support/cli.js';

const FIXTURES = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures/ratings');
const agreement = (...args: string[]) => runCli(['agreement', ...args], { cwd: FIXTURES });
const json = async (...args: string[]) => {
  const result = await agreement(...args, '--format', 'json');
  expect(result.stderr).toBe('');
  return JSON.parse(result.stdout) as { statistics: { id: string; params: Record<string, unknown>; value: number | null; ci: unknown; reason: string | null }[] };
};

describe('jury agreement', () => {
  it('reads wide CSV, long CSV and JSONL of the same ratings alike', async () => {
    const wide = await json('wide.csv');
    expect(await json('long.csv')).toEqual(wide);
    expect(await json('long.jsonl')).toEqual(wide);
    const alpha = wide.statistics.find((s) => s.id === 'krippendorff_alpha')!;
    // Independent of the CLI's parsing: the same table typed in by hand.
    const table = [[1, 1, 2], [2, 2, 2], [3, 3, 3], [4, 4, 3], [5, 4, 5], [2, null, 2]];
    expect(alpha).toMatchObject({ params: { level: 'ordinal' }, value: krippendorffAlpha(table, 'ordinal').value, ci: null, reason: null });
  });

  it('reports every statistic that fits the level by default, with the documented ids and params', async () => {
    const ordinal = await json('wide.csv');
    const ids = new Set(ordinal.statistics.map((s) => s.id));
    expect([...ids].sort()).toEqual(['cohen_kappa', 'fleiss_kappa', 'gwet_ac1', 'gwet_ac2', 'kendall_tau_b', 'kendall_w', 'krippendorff_alpha', 'percent_agreement', 'spearman_rho', 'within_one_agreement']);
    expect(ordinal.statistics.filter((s) => s.id === 'cohen_kappa').map((s) => s.params.weights)).toEqual(['linear', 'linear', 'linear', 'quadratic', 'quadratic', 'quadratic']);
    const interval = await json('wide.csv', '--level', 'interval');
    expect(interval.statistics.filter((s) => s.id === 'icc').map((s) => s.params.form)).toEqual(['ICC1', 'ICC2', 'ICC3', 'ICC1k', 'ICC2k', 'ICC3k']);
    expect(interval.statistics.some((s) => s.id === 'pearson_r')).toBe(true);
  });

  it('--categories declares the scale: Gwet\'s AC1/AC2 count the unused points; other statistics are unchanged', async () => {
    const table = [[1, 1, 2], [2, 2, 2], [3, 3, 3], [4, 4, 3], [5, 4, 5], [2, null, 2]];
    const plain = await json('wide.csv', '--stats', 'gwet_ac1,gwet_ac2,krippendorff_alpha');
    const declared = await json('wide.csv', '--stats', 'gwet_ac1,gwet_ac2,krippendorff_alpha', '--categories', '1..10');
    const of = (r: typeof plain, id: string) => r.statistics.find((s) => s.id === id)!;
    const ten = Array.from({ length: 10 }, (_, i) => i + 1);
    expect(of(declared, 'gwet_ac1')).toMatchObject({ params: { categories: 10 }, value: gwet(table, { categories: ten }).value });
    expect(of(declared, 'gwet_ac2')).toMatchObject({ params: { weights: 'quadratic', categories: 10 }, value: gwet(table, { weights: 'quadratic', categories: ten }).value });
    expect(of(declared, 'gwet_ac1').value).not.toBe(of(plain, 'gwet_ac1').value);
    expect(of(plain, 'gwet_ac1').value).toBe(gwet(table).value);
    expect(of(declared, 'krippendorff_alpha')).toEqual(of(plain, 'krippendorff_alpha'));
    // A list works as well as a range.
    expect(of(await json('wide.csv', '--stats', 'gwet_ac1', '--categories', '1,2,3,4,5,6,7,8,9,10'), 'gwet_ac1').value).toBe(of(declared, 'gwet_ac1').value);
  });

  it('--categories refuses a rating outside them and a malformed list, exit 2', async () => {
    const outside = await agreement('wide.csv', '--categories', '1..4');
    expect(outside.code).toBe(2);
    expect(outside.stderr).toMatch(/rating 5 is not one of --categories/);
    for (const bad of ['5..1', 'a', 'x,x']) {
      const refused = await agreement('wide.csv', '--categories', bad);
      expect(refused.code, bad).toBe(2);
      expect(refused.stderr).toMatch(/--categories/);
    }
  });

  it('takes text labels at the nominal level: Cohen unweighted for two raters', async () => {
    const result = await json('labels.csv', '--level', 'nominal');
    const cohen = result.statistics.filter((s) => s.id === 'cohen_kappa');
    expect(cohen).toHaveLength(1);
    expect(cohen[0]!.params).toEqual({ weights: 'none' });
    // 3 of 5 agree; marginals a: model-a 2, tie 2, model-b 1; b: model-a 1, tie 2, model-b 2.
    // p_e = (2·1 + 2·2 + 1·2)/25 = 8/25; κ = (0.6 − 0.32)/(0.68).
    expect(cohen[0]!.value).toBeCloseTo(0.28 / 0.68, 12);
  });

  it('adds seeded bootstrap intervals: the same seed gives the same interval', async () => {
    const a = await json('wide.csv', '--ci', '--seed', '3', '--resamples', '300', '--stats', 'krippendorff_alpha,percent_agreement');
    const b = await json('wide.csv', '--ci', '--seed', '3', '--resamples', '300', '--stats', 'krippendorff_alpha,percent_agreement');
    const c = await json('wide.csv', '--ci', '--seed', '4', '--resamples', '300', '--stats', 'krippendorff_alpha,percent_agreement');
    expect(a).toEqual(b);
    expect(a).not.toEqual(c);
    expect(a.statistics[0]!.ci).toMatchObject({ level: 0.95 });
  });

  it('prints a table and a Markdown table', async () => {
    expect((await agreement('wide.csv')).stdout).toMatch(/^6 items, 3 raters \(ann1, ann2, ann3\), ordinal level\nstatistic/);
    expect((await agreement('wide.csv', '--format', 'md')).stdout).toContain('| krippendorff_alpha | level=ordinal |');
  });

  it.each([
    ['ragged.csv', [], 'ragged.csv:3  ratings/ragged-row', 'row has 3 cells; the header has 4'],
    ['not-numeric.csv', [], 'not-numeric.csv:3  ratings/not-numeric', 'score "great" of rater `b` on item `u2` is not a number'],
    ['one-rater.csv', [], 'one-rater.csv:1  ratings/one-rater', 'at least two rater columns'],
    ['wide.csv', ['--stats', 'kappa'], "unknown statistic `kappa`", ''],
  ])('refuses %s clearly, exit 2', async (file, extra, first, second) => {
    const result = await agreement(file, ...(extra as string[]));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(first);
    expect(result.stderr).toContain(second);
  });
});
