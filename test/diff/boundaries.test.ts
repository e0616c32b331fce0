import type { Report } from '../../src/report/report.js';
import { describe, expect, it } from 'vitest';
import { diffReports as diffWithPower, type DiffOptions } from '../../src/diff/diff.js';
import { evaluateGates } from '../../src/gate/gate.js';
import { syntheticReport } from '../support/synthetic-report.js';

// The detectable-drop simulation is tested in test/diff/power.test.ts; here it is left out so that these tests
// stay fast under mutation testing, where every "no significant change" would run it instrumented.
const diffReports = (base: Report, candidate: Report, options: DiffOptions = {}) => diffWithPower(base, candidate, { skipDetectable: true, ...options });

// Thresholds are inclusive where the docs say so (docs/ci.md): a value exactly at the line passes.
const judges = ['j1', 'j2'];

describe('gate boundaries', () => {
  it('a mean exactly at min_mean passes; a hair under fails', () => {
    // Every panel score 3.5 (judges 3 and 4): the mean is exactly 3.5.
    const report = syntheticReport({ items: 10, criteria: ['c1'], judges, score: (j) => (j === 'j1' ? 3 : 4) });
    expect(report.criteria[0]!.mean).toBe(3.5);
    const at = evaluateGates(report, { significance: 0.05, min_mean: { '*': 3.5 } });
    expect(at.checks.find((c) => c.gate === 'min_mean')).toMatchObject({ passed: true, actual: 3.5, threshold: 3.5, message: 'mean 3.5 ≥ 3.5' });
    const above = evaluateGates(report, { significance: 0.05, min_mean: { '*': 3.5000001 } });
    expect(above.checks.find((c) => c.gate === 'min_mean')!.passed).toBe(false);
  });

  it('an error rate exactly at max_error_rate passes; one more failure fails', () => {
    // 20 verdicts per judge; j2 fails 2 of them (missing counts as failed once allowed): exactly 10%.
    const missing = (j: string, item: string) => j === 'j2' && ['item-00', 'item-01'].includes(item);
    const report = syntheticReport({ items: 20, criteria: ['c1'], judges, score: () => 4, missing });
    const gate = (rate: number) => evaluateGates(report, { significance: 0.05, max_error_rate: rate }, undefined, { allowIncomplete: true }).checks.find((c) => c.gate === 'max_error_rate' && c.subject === 'j2')!;
    expect(gate(0.1)).toMatchObject({ passed: true, actual: 0.1 });
    expect(gate(0.09).passed).toBe(false);
  });

  it('a drop of exactly min_drop is listed as an item regression; a smaller one is not', () => {
    const base = syntheticReport({ items: 3, criteria: ['c1'], judges, label: 'base', score: () => 4 });
    // item-00 drops by 1 exactly (4 → 3), item-01 by 0.5 (4 → 3.5), item-02 not at all.
    const candidate = syntheticReport({ items: 3, criteria: ['c1'], judges, label: 'cand', score: (j, item) => (item === 'item-00' ? 3 : item === 'item-01' && j === 'j1' ? 3 : 4) });
    expect(diffReports(base, candidate, { minDrop: 1 }).regressions.map((r) => [r.item, r.drop])).toEqual([['item-00', 1]]);
    expect(diffReports(base, candidate, { minDrop: 0.5 }).regressions.map((r) => [r.item, r.drop])).toEqual([['item-00', 1], ['item-01', 0.5]]);
  });
});
