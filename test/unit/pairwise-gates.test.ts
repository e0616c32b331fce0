import { describe, expect, it } from 'vitest';
import { configuredGates, effectiveGates, evaluateGates } from '../../src/gate/gate.js';
import { pairwiseChecks } from '../../src/gate/pairwise-gates.js';
import type { PairwiseCriterion } from '../../src/aggregate/pairwise.js';
import type { Report, ReportHead } from '../../src/report/report.js';
import { syntheticReport } from '../support/synthetic-report.js';

const S = 0.05;

function criterion(over: Partial<PairwiseCriterion> & { criterion: string }): PairwiseCriterion {
  return {
    rubric: 'r', levels: 3, pairs: 30, unscored: 0, wins: 10, ties: 10, losses: 10,
    win_rate: { value: 0.5, ci: { low: 0.4, high: 0.6 } },
    sign_test: { p: 1, p_holm: 1 },
    agreement: { alpha: { value: 0.8, ci: null } } as PairwiseCriterion['agreement'],
    largest_losses: [],
    ...over,
  };
}

function pairwiseReport(criteria: PairwiseCriterion[]): ReportHead {
  const base = syntheticReport({ items: 3, criteria: ['c1'], judges: ['j'], score: () => 3 });
  return { ...base, pairwise: { base: 'v1', candidate: 'v2', orders: 'both', seed: 0, criteria, position: [] } };
}

const checks = (report: ReportHead, gates: Parameters<typeof pairwiseChecks>[1]) => pairwiseChecks(report, gates);

describe('pairwise gates', () => {
  it('default to no significant loss on a pairwise report with no threshold, before any baseline default', () => {
    expect(effectiveGates({ significance: S }, true, true)).toEqual({ ok: true, gates: { significance: S, no_significant_loss: true }, defaulted: true });
    expect(effectiveGates({ significance: S, min_win_rate: { '*': 0.4 } }, false, true)).toEqual({ ok: true, gates: { significance: S, min_win_rate: { '*': 0.4 } }, defaulted: false });
    expect(effectiveGates({ significance: S }, false, false).ok).toBe(false);
  });

  it('are configured gates (no_significant_loss only when true)', () => {
    expect(configuredGates({ significance: S, min_win_rate: { '*': 0.5 }, no_significant_loss: true })).toEqual(['min_win_rate', 'no_significant_loss']);
    expect(configuredGates({ significance: S, no_significant_loss: false })).toEqual([]);
    expect(configuredGates({ significance: S, min_win_rate: {} })).toEqual([]);
  });

  it('min_win_rate fails only when the interval lies wholly below the floor', () => {
    const report = pairwiseReport([
      criterion({ criterion: 'below', win_rate: { value: 0.3, ci: { low: 0.2, high: 0.449 } } }),
      criterion({ criterion: 'touching', win_rate: { value: 0.35, ci: { low: 0.25, high: 0.45 } } }),
      criterion({ criterion: 'above', win_rate: { value: 0.6, ci: { low: 0.5, high: 0.7 } } }),
    ]);
    const result = checks(report, { significance: S, min_win_rate: { '*': 0.45 } });
    expect(result.map((c) => [c.subject, c.passed])).toEqual([['r/below', false], ['r/touching', true], ['r/above', true]]);
    expect(result[0]!.message).toBe('v2 win rate 0.3 (95% CI 0.2–0.449) is below 0.45');
    expect(result[1]!.message).toBe('v2 win rate 0.35 (95% CI 0.25–0.45) does not rule out 0.45');
  });

  it('min_win_rate takes rubric/criterion over criterion over *', () => {
    const report = pairwiseReport([criterion({ criterion: 'c1', win_rate: { value: 0.5, ci: { low: 0.4, high: 0.6 } } })]);
    expect(checks(report, { significance: S, min_win_rate: { 'r/c1': 0.7, c1: 0.1, '*': 0.1 } })[0]!.passed).toBe(false);
    expect(checks(report, { significance: S, min_win_rate: { c1: 0.7, '*': 0.1 } })[0]!.passed).toBe(false);
    expect(checks(report, { significance: S, min_win_rate: { c1: 0.5, '*': 0.9 } })[0]!.passed).toBe(true);
    // A floor for criteria the report does not have checks nothing, and says so by failing.
    const none = checks(report, { significance: S, min_win_rate: { other: 0.5 } });
    expect(none.map((c) => [c.subject, c.passed])).toEqual([['report', false]]);
  });

  it('never passes a win rate it could not check', () => {
    const report = pairwiseReport([
      criterion({ criterion: 'none', pairs: 0, win_rate: { value: null, ci: null, reason: 'no pair has a panel verdict' } }),
      criterion({ criterion: 'no-ci', win_rate: { value: 0.9, ci: null } }),
    ]);
    const result = checks(report, { significance: S, min_win_rate: { '*': 0.1 } });
    expect(result.map((c) => c.passed)).toEqual([false, false]);
    expect(result[0]!.message).toContain('could not be checked');
    expect(result[1]!.message).toContain('has no interval');
  });

  it('no_significant_loss fails where the base wins by the sign test after Holm, at the significance level', () => {
    const report = pairwiseReport([
      criterion({ criterion: 'lost', wins: 2, losses: 12, sign_test: { p: 0.001, p_holm: 0.049 } }),
      criterion({ criterion: 'at-level', wins: 2, losses: 12, sign_test: { p: 0.01, p_holm: 0.05 } }),
      criterion({ criterion: 'won', wins: 12, losses: 2, sign_test: { p: 0.001, p_holm: 0.002 } }),
      criterion({ criterion: 'ties', wins: 0, losses: 0, ties: 30, sign_test: { p: null, p_holm: null, reason: 'no decisive battle' } }),
      criterion({ criterion: 'empty', pairs: 0, wins: 0, losses: 0, ties: 0, sign_test: { p: null, p_holm: null } }),
    ]);
    const result = checks(report, { significance: S, no_significant_loss: true });
    expect(result.map((c) => [c.subject, c.passed])).toEqual([['r/lost', false], ['r/at-level', true], ['r/won', true], ['r/ties', true], ['r/empty', false]]);
    expect(result[0]!.message).toBe('2 wins, 10 ties, 12 losses for v2; sign test Holm p 0.049: v1 is significantly better');
  });

  it('fail on a report that is not pairwise, naming why', () => {
    const plain = syntheticReport({ items: 3, criteria: ['c1'], judges: ['j'], score: () => 3 });
    const result = checks(plain, { significance: S, min_win_rate: { '*': 0.5 }, no_significant_loss: true });
    expect(result.map((c) => [c.gate, c.passed])).toEqual([['min_win_rate', false], ['no_significant_loss', false]]);
    expect(result[0]!.message).toContain('this report scores one dataset');
    expect(checks(plain, { significance: S })).toEqual([]);
  });

  it('take part in evaluateGates like the other thresholds', () => {
    const report = { ...pairwiseReport([criterion({ criterion: 'c1', win_rate: { value: 0.2, ci: { low: 0.1, high: 0.3 } } })]), items: [] } as Report;
    const result = evaluateGates(report, { significance: S, min_win_rate: { '*': 0.5 } });
    expect(result.passed).toBe(false);
    expect(result.checks.filter((c) => c.gate === 'min_win_rate')).toHaveLength(1);
    expect(evaluateGates(report, { significance: S, min_win_rate: { '*': 0.25 } }).passed).toBe(true);
  });
});
