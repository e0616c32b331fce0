import type { Report } from '../../src/report/report.js';
import { describe, expect, it } from 'vitest';
import { diffReports as diffWithPower, type DiffOptions } from '../../src/diff/diff.js';
import { diffSlices } from '../../src/diff/slices.js';
import { configuredGates, DEFAULT_BASELINE_GATE, detectableText, effectiveGates, evaluateGates, thresholdFor } from '../../src/gate/gate.js';
import { withSecondRubric } from '../support/second-rubric.js';
import { syntheticReport } from '../support/synthetic-report.js';

// The detectable-drop simulation is tested in test/diff/power.test.ts; here it is left out so that these tests
// stay fast under mutation testing, where every "no significant change" would run it instrumented.
const diffReports = (base: Report, candidate: Report, options: DiffOptions = {}) => diffWithPower(base, candidate, { skipDetectable: true, ...options });

// evaluateGates is pure: each branch is checked here on reports built by jury's own pipeline, messages included,
// because the messages are what a CI log shows and what people act on.
const judges = ['j1', 'j2'];
const S = 0.05;
const steady = (label = 'r') => syntheticReport({ items: 20, criteria: ['c1'], judges, label, score: (_, item) => 2 + (Number(item.slice(-2)) % 3) });
const byGate = (result: ReturnType<typeof evaluateGates>, gate: string) => result.checks.filter((c) => c.gate === gate);

describe('which gates are configured', () => {
  it('lists the thresholds set, in a fixed order, and not an empty table', () => {
    expect(configuredGates({ significance: S })).toEqual([]);
    expect(configuredGates({ significance: S, min_mean: {} })).toEqual([]);
    expect(configuredGates({ significance: S, max_error_rate: 0.1, min_alpha: { '*': 0.6 }, min_mean: { c1: 3 }, max_regression: 0, max_slice_regression: 0 })).toEqual(['min_mean', 'max_regression', 'max_slice_regression', 'min_alpha', 'max_error_rate']);
  });

  it('with no threshold: a baseline brings the default check, no baseline is no gate at all', () => {
    expect(effectiveGates({ significance: S, min_mean: { c1: 3 } }, true)).toEqual({ ok: true, gates: { significance: S, min_mean: { c1: 3 } }, defaulted: false });
    expect(effectiveGates({ significance: S }, true)).toEqual({ ok: true, gates: { significance: S, max_regression: 0 }, defaulted: true });
    const none = effectiveGates({ significance: S }, false);
    expect(none.ok).toBe(false);
    expect(!none.ok && none.reason).toMatch(/^no gate to check: .*no baseline was given$/);
    expect(DEFAULT_BASELINE_GATE).toContain('max_regression 0');
  });

  it('picks rubric/criterion over criterion over *, and * only where wildcards apply', () => {
    const table = { 'r/c1': 1, c1: 2, c2: 3, '*': 4 };
    expect(thresholdFor(table, 'r', 'c1')).toBe(1);
    expect(thresholdFor(table, 'q', 'c1')).toBe(2);
    expect(thresholdFor(table, 'r', 'c2')).toBe(3);
    expect(thresholdFor(table, 'r', 'c9')).toBe(4);
    expect(thresholdFor(table, 'r', 'c9', false)).toBeUndefined();
    expect(thresholdFor(table, 'r', 'c2', false)).toBe(3);
    expect(thresholdFor(undefined, 'r', 'c1')).toBeUndefined();
    expect(thresholdFor({ 'r/c1': 0 }, 'r', 'c1')).toBe(0);
  });
});

describe('min_mean', () => {
  it('fails a mean under the threshold, says so, and lists the units under it (lowest detail: item and score)', () => {
    const report = syntheticReport({ items: 4, criteria: ['c1'], judges, score: (_, item) => (item === 'item-00' ? 1 : item === 'item-01' ? 2 : 5) });
    const result = evaluateGates(report, { significance: S, min_mean: { c1: 3.5 } });
    expect(byGate(result, 'min_mean')).toEqual([{ gate: 'min_mean', subject: 'r/c1', passed: false, actual: 3.25, threshold: 3.5, message: 'mean 3.25 < 3.5' }]);
    expect(result.passed).toBe(false);
    expect(result.below_threshold).toEqual([
      { item: 'item-00', rubric: 'r', criterion: 'c1', score: 1, threshold: 3.5 },
      { item: 'item-01', rubric: 'r', criterion: 'c1', score: 2, threshold: 3.5 },
    ]);
    expect(result.warnings).toEqual([]);
    const passing = evaluateGates(report, { significance: S, min_mean: { c1: 3 } });
    expect(passing.passed).toBe(true);
    expect(passing.below_threshold.map((b) => b.item)).toEqual(['item-00', 'item-01']);
  });

  it('lists each rubric’s own units when two rubrics share a criterion name', () => {
    // Rubric q's scores are 2 lower: at threshold 3 per rubric (r/c1: 3, q/c1: 3), r's units are not under it.
    const report = withSecondRubric(syntheticReport({ items: 2, criteria: ['c1'], judges, score: () => 4 }), 'q', -2, -2);
    const result = evaluateGates(report, { significance: S, min_mean: { 'r/c1': 3, 'q/c1': 3 } });
    expect(result.below_threshold).toEqual([
      { item: 'item-00', rubric: 'q', criterion: 'c1', score: 2, threshold: 3 },
      { item: 'item-01', rubric: 'q', criterion: 'c1', score: 2, threshold: 3 },
    ]);
  });

  it('names the turn of a per-turn unit under the threshold, and skips failed units', () => {
    const report = syntheticReport({ items: 2, turns: 2, criteria: ['c1'], judges, score: (_, item, __, turn) => (item === 'item-01' && turn === 4 ? 1 : 4), failed: (_, item, __, turn) => item === 'item-00' && turn === 2 });
    const result = evaluateGates(report, { significance: S, min_mean: { '*': 2 } }, undefined, { allowIncomplete: true });
    expect(result.below_threshold).toEqual([{ item: 'item-01', turn: 4, rubric: 'r', criterion: 'c1', score: 1, threshold: 2 }]);
  });

  it('a wildcard threshold leaves binary and categorical criteria alone; a named one applies to binary only', () => {
    const report = syntheticReport({
      items: 3, criteria: ['c1', 'ok', 'kind'], judges, scales: { ok: { type: 'binary' }, kind: { type: 'categorical', labels: ['a', 'b'] } },
      score: (_, __, criterion) => (criterion === 'ok' ? 0 : criterion === 'kind' ? 'a' : 4),
    });
    expect(byGate(evaluateGates(report, { significance: S, min_mean: { '*': 3 } }), 'min_mean').map((c) => c.subject)).toEqual(['r/c1']);
    const named = evaluateGates(report, { significance: S, min_mean: { ok: 0.5, kind: 1 } });
    expect(byGate(named, 'min_mean')).toEqual([{ gate: 'min_mean', subject: 'r/ok', passed: false, actual: 0, threshold: 0.5, message: 'mean 0 < 0.5' }]);
    expect(named.below_threshold.map((b) => [b.item, b.criterion, b.score])).toEqual([['item-00', 'ok', 0], ['item-01', 'ok', 0], ['item-02', 'ok', 0]]);
  });

  it('a mean that cannot be computed fails, and says "undefined"', () => {
    const report = syntheticReport({ items: 2, criteria: ['c1'], judges, score: () => 4, failed: () => true });
    expect(byGate(evaluateGates(report, { significance: S, min_mean: { c1: 1 } }, undefined, { allowIncomplete: true }), 'min_mean')[0]).toMatchObject({ passed: false, actual: null, message: 'mean undefined < 1' });
  });

  it('rounds the mean to three places in the message only', () => {
    const report = syntheticReport({ items: 3, criteria: ['c1'], judges, score: (_, item) => (item === 'item-00' ? 5 : 4) });
    const check = byGate(evaluateGates(report, { significance: S, min_mean: { c1: 4 } }), 'min_mean')[0]!;
    expect(check.actual).toBeCloseTo(13 / 3, 12);
    expect(check.message).toBe('mean 4.333 ≥ 4');
  });
});

describe('min_alpha', () => {
  it('passes an alpha at or above the threshold and fails one below, with the value in the message', () => {
    const report = steady();
    const alpha = report.criteria[0]!.agreement.alpha.value!;
    expect(alpha).toBe(1);
    expect(byGate(evaluateGates(report, { significance: S, min_alpha: { '*': 1 } }), 'min_alpha')).toEqual([{ gate: 'min_alpha', subject: 'r/c1', passed: true, actual: 1, threshold: 1, message: 'alpha 1 ≥ 1' }]);
    const disagree = syntheticReport({ items: 20, criteria: ['c1'], judges, score: (j, item) => (j === 'j1' ? 1 + (Number(item.slice(-2)) % 5) : 5 - (Number(item.slice(-2)) % 5)) });
    const check = byGate(evaluateGates(disagree, { significance: S, min_alpha: { c1: 0.667 } }), 'min_alpha')[0]!;
    expect(check.passed).toBe(false);
    expect(check.actual).toBeLessThan(0);
    expect(check.message).toBe(`alpha ${Math.round(check.actual! * 1000) / 1000} < 0.667`);
  });

  it('an undefined alpha fails and says why reliability cannot be shown', () => {
    const report = syntheticReport({ items: 5, criteria: ['c1'], judges: ['j1'], score: () => 3 });
    const check = byGate(evaluateGates(report, { significance: S, min_alpha: { '*': 0.1 } }), 'min_alpha')[0]!;
    expect(check).toMatchObject({ passed: false, actual: null, threshold: 0.1 });
    expect(check.message).toBe(`alpha undefined (${report.criteria[0]!.agreement.alpha.reason}): reliability cannot be shown`);
    expect(report.criteria[0]!.agreement.alpha.reason).toBeTruthy();
  });
});

describe('max_regression', () => {
  const base = syntheticReport({ items: 20, criteria: ['c1', 'c2'], judges, label: 'base', score: () => 4 });
  // c1 drops by 1 on every item (significant), c2 stays.
  const worse = syntheticReport({ items: 20, criteria: ['c1', 'c2'], judges, label: 'cand', score: (_, __, c) => (c === 'c1' ? 3 : 4) });

  it('without a baseline it fails: nothing could be checked', () => {
    expect(byGate(evaluateGates(base, { significance: S, max_regression: 0.5 }), 'max_regression')).toEqual([
      { gate: 'max_regression', subject: 'baseline', passed: false, actual: null, threshold: 0.5, message: 'no baseline was given, so the regression gate could not be checked (give --baseline, or drop max_regression)' },
    ]);
  });

  it('fails a significant drop larger than the threshold, passes one at the threshold, and says the Holm p', () => {
    const diff = diffReports(base, worse);
    const at = (threshold: number) => byGate(evaluateGates(worse, { significance: S, max_regression: threshold }, diff), 'max_regression');
    expect(at(0.5)).toEqual([
      { gate: 'max_regression', subject: 'r/c1', passed: false, actual: -1, threshold: 0.5, message: 'regressed: mean 4 → 3 (Δ -1, Holm p <0.001)' },
      { gate: 'max_regression', subject: 'r/c2', passed: true, actual: 0, threshold: 0.5, message: 'no significant change: mean 4 → 4 (Δ 0, Holm p 1)' },
    ]);
    expect(at(1).map((c) => c.passed)).toEqual([true, true]);
    expect(at(0.999).map((c) => c.passed)).toEqual([false, true]);
    expect(evaluateGates(worse, { significance: S, max_regression: 0.5 }, diff).passed).toBe(false);
  });

  it('an improvement passes, however large', () => {
    const diff = diffReports(worse, base);
    const checks = byGate(evaluateGates(base, { significance: S, max_regression: 0 }, diff), 'max_regression');
    expect(checks[0]).toMatchObject({ subject: 'r/c1', passed: true, actual: 1, message: 'improved: mean 3 → 4 (Δ 1, Holm p <0.001)' });
  });

  it('a drop that is not significant passes; its p is shown to three places', () => {
    // Only 3 items drop: the signed-rank test cannot reject at 0.05.
    const few = syntheticReport({ items: 20, criteria: ['c1'], judges, label: 'cand', score: (_, item) => (['item-00', 'item-01', 'item-02'].includes(item) ? 3 : 4) });
    const diff = diffWithPower(syntheticReport({ items: 20, criteria: ['c1'], judges, label: 'base', score: () => 4 }), few);
    const check = byGate(evaluateGates(few, { significance: S, max_regression: 0 }, diff), 'max_regression')[0]!;
    expect(check.passed).toBe(true);
    const d = diff.criteria[0]!.detectable!;
    expect(d.effect).not.toBeNull();
    const caught = d.effect === null ? '' : `; these items would catch a drop of ${Math.round(d.effect * 1000) / 1000} or more 80% of the time`;
    expect(check.message).toBe(`no significant change: mean 4 → 3.85 (Δ -0.15, Holm p ${Math.round(diff.criteria[0]!.test!.p_holm * 1000) / 1000})${caught}`);
    expect(diff.criteria[0]!.test!.p_holm).toBeGreaterThan(0.05);
  });

  it('says why no drop is detectable when none on the scale is', () => {
    expect(detectableText({ effect: null, reason: '3 items cannot detect even a drop of 4 with 80% power at α = 0.05', alpha: 0.05 })).toBe('; 3 items cannot detect even a drop of 4 with 80% power at α = 0.05');
    expect(detectableText({ effect: 0.4567, power: 0.85, alpha: 0.05 })).toBe('; these items would catch a drop of 0.457 or more 80% of the time');
    expect(detectableText(undefined)).toBe('');
  });

  it('warns when the reports are not comparable, and leaves untested criteria out', () => {
    const other = syntheticReport({ items: 20, criteria: ['c1', 'c3'], judges, label: 'cand', score: () => 4, model: (j) => `other-${j}` });
    const diff = diffReports(base, other);
    const result = evaluateGates(other, { significance: S, max_regression: 0 }, diff);
    expect(byGate(result, 'max_regression').map((c) => c.subject)).toEqual(['r/c1']);
    expect(result.warnings).toEqual([`baseline and report are not comparable: ${diff.warnings.join('; ')}`]);
    expect(diff.warnings[0]).toMatch(/^the judges differ/);
  });

  it('says how partial the match is before anything else', () => {
    const fewer = syntheticReport({ items: 10, criteria: ['c1', 'c2'], judges, label: 'cand', score: () => 4 });
    const diff = diffReports(base, fewer);
    expect(evaluateGates(fewer, { significance: S, max_regression: 0 }, diff).warnings).toEqual([diff.items.coverage]);
    expect(diff.items.coverage).toMatch(/^only 10 of 20 items/);
  });
});

describe('max_slice_regression', () => {
  const meta = (item: string) => ({ genre: Number(item.slice(-2)) < 12 ? 'jazz' : 'rock' });
  const base = syntheticReport({ items: 16, criteria: ['c1'], judges, label: 'base', score: () => 4, metadata: meta });
  const cand = syntheticReport({ items: 16, criteria: ['c1'], judges, label: 'cand', score: (_, item) => (meta(item).genre === 'jazz' ? 2 : 4), metadata: meta });
  const withSlices = (b = base, c = cand) => ({ ...diffReports(b, c), slices: diffSlices(b, c, ['genre']) });

  it('fails without a baseline, and without slices', () => {
    const gates = { significance: S, max_slice_regression: 0.5 };
    expect(byGate(evaluateGates(cand, gates), 'max_slice_regression')).toEqual([{ gate: 'max_slice_regression', subject: 'baseline', passed: false, actual: null, threshold: 0.5, message: 'no baseline was given, so the slice regression gate could not be checked (give --baseline, or drop max_slice_regression)' }]);
    expect(byGate(evaluateGates(cand, gates, diffReports(base, cand)), 'max_slice_regression')).toEqual([{ gate: 'max_slice_regression', subject: 'slices', passed: false, actual: null, threshold: 0.5, message: 'no slices to check: name metadata keys with `slices:` in jury.yaml or --by' }]);
  });

  it('fails the slice that regressed, names it, and warns of the slices too small to gate', () => {
    const result = evaluateGates(cand, { significance: S, max_slice_regression: 0.5, min_slice_items: 5 }, withSlices());
    const checks = byGate(result, 'max_slice_regression');
    expect(checks).toHaveLength(1);
    expect(checks[0]).toMatchObject({ subject: 'metadata.genre=jazz r/c1', passed: false, actual: -2, threshold: 0.5 });
    expect(checks[0]!.message).toBe('regressed on 12 items: mean 4 → 2 (Δ -2, Holm p <0.001 in a family of 1)');
    expect(result.warnings).toEqual(['metadata.genre: 1 slice with fewer than 5 matched items was not gated (rock)']);
    expect(result.passed).toBe(false);
  });

  it('a drop at the threshold passes; the default minimum is 10 items', () => {
    expect(byGate(evaluateGates(cand, { significance: S, max_slice_regression: 2 }, withSlices()), 'max_slice_regression').map((c) => c.passed)).toEqual([true]);
    expect(byGate(evaluateGates(cand, { significance: S, max_slice_regression: 1.99 }, withSlices()), 'max_slice_regression').map((c) => c.passed)).toEqual([false]);
    // rock has 4 items: under the default 10 it is not gated.
    expect(evaluateGates(cand, { significance: S, max_slice_regression: 2 }, withSlices()).warnings).toEqual(['metadata.genre: 1 slice with fewer than 10 matched items was not gated (rock)']);
  });

  it('a drop past the threshold that is not significant passes: the slice gate fails regressions, not noise', () => {
    // jazz: two of twelve items drop by 2 (mean −1/3), too few for the signed-rank test.
    const noisy = syntheticReport({ items: 16, criteria: ['c1'], judges, label: 'cand', score: (_, item) => (['item-00', 'item-01'].includes(item) ? 2 : 4), metadata: meta });
    const [check] = byGate(evaluateGates(noisy, { significance: S, max_slice_regression: 0.1 }, withSlices(base, noisy)), 'max_slice_regression');
    expect(check).toMatchObject({ subject: 'metadata.genre=jazz r/c1', passed: true });
    expect(check!.message).toBe('no significant change on 12 items: mean 4 → 3.667 (Δ -0.333, Holm p 0.5 in a family of 1)');
  });

  it('slices where nothing changed pass with one line that says how many were checked', () => {
    const same = syntheticReport({ items: 16, criteria: ['c1'], judges, label: 'cand', score: () => 4, metadata: meta });
    const result = evaluateGates(same, { significance: S, max_slice_regression: 0, min_slice_items: 4 }, withSlices(base, same));
    expect(byGate(result, 'max_slice_regression')).toEqual([{ gate: 'max_slice_regression', subject: 'metadata.genre', passed: true, actual: 0, threshold: 0, message: 'no item changed on any criterion in the 2 slices with 4 or more items' }]);
    const one = evaluateGates(same, { significance: S, max_slice_regression: 0, min_slice_items: 5 }, withSlices(base, same));
    expect(byGate(one, 'max_slice_regression')[0]!.message).toBe('no item changed on any criterion in the 1 slice with 5 or more items');
    expect(one.passed).toBe(true);
  });

  it('no slice big enough is a failure, and more than five small slices are elided', () => {
    const many = (item: string) => ({ genre: `g${Number(item.slice(-2)) % 7}` });
    const b = syntheticReport({ items: 14, criteria: ['c1'], judges, label: 'base', score: () => 4, metadata: many });
    const c = syntheticReport({ items: 14, criteria: ['c1'], judges, label: 'cand', score: () => 4, metadata: many });
    const result = evaluateGates(c, { significance: S, max_slice_regression: 0 }, withSlices(b, c));
    expect(byGate(result, 'max_slice_regression')).toEqual([{ gate: 'max_slice_regression', subject: 'slices', passed: false, actual: null, threshold: 0, message: 'no slice has 10 or more matched items, so none could be checked (lower min_slice_items, or judge more items)' }]);
    expect(result.warnings).toEqual(['metadata.genre: 7 slices with fewer than 10 matched items were not gated (g0, g1, g2, g3, g4, …)']);
  });
});

describe('max_error_rate', () => {
  it('counts failed and missing verdicts per judge, in id order, judges with none included', () => {
    const report = syntheticReport({ items: 10, criteria: ['c1'], judges: ['zed', 'amy', 'bob'], score: () => 4, failed: (j, item) => j === 'zed' && item === 'item-00', missing: (j, item) => j === 'amy' && ['item-01', 'item-02'].includes(item) });
    const result = evaluateGates(report, { significance: S, max_error_rate: 0.1 }, undefined, { allowIncomplete: true });
    expect(byGate(result, 'max_error_rate')).toEqual([
      { gate: 'max_error_rate', subject: 'amy', passed: false, actual: 0.2, threshold: 0.1, message: '0 of 10 verdicts failed, 2 missing (20%)' },
      { gate: 'max_error_rate', subject: 'bob', passed: true, actual: 0, threshold: 0.1, message: '0 of 10 verdicts failed (0%)' },
      { gate: 'max_error_rate', subject: 'zed', passed: true, actual: 0.1, threshold: 0.1, message: '1 of 10 verdicts failed (10%)' },
    ]);
  });
});

describe('preconditions', () => {
  it('an incomplete report fails the gate unless --allow-incomplete, and says how to resume', () => {
    const report = syntheticReport({ items: 4, criteria: ['c1'], judges, score: () => 4, missing: (j, item) => j === 'j1' && item === 'item-00' });
    const strict = evaluateGates(report, { significance: S, min_mean: { c1: 1 } });
    expect(byGate(strict, 'complete')).toEqual([{ gate: 'complete', subject: 'report synthetic', passed: false, actual: 1, threshold: 0, message: `1 of 8 verdicts missing: the report is incomplete (${report.incomplete!.resume}); pass --allow-incomplete to gate it anyway` }]);
    expect(strict.passed).toBe(false);
    const allowed = evaluateGates(report, { significance: S, min_mean: { c1: 1 } }, undefined, { allowIncomplete: true });
    expect(byGate(allowed, 'complete')[0]).toMatchObject({ passed: true, message: `1 of 8 verdicts missing: the report is incomplete (${report.incomplete!.resume}); gated anyway (--allow-incomplete)` });
    expect(allowed.passed).toBe(true);
  });

  it('simulated scores fail the gate unless --allow-simulated, for the report and for the baseline', () => {
    const real = steady('real');
    const mock = syntheticReport({ items: 20, criteria: ['c1'], judges, label: 'mock', score: () => 4, simulated: true });
    const gates = { significance: S, min_mean: { c1: 1 } };
    const own = evaluateGates(mock, gates);
    expect(byGate(own, 'not_simulated')).toEqual([{ gate: 'not_simulated', subject: 'report mock', passed: false, actual: null, threshold: 0, message: 'SIMULATED scores: the report was made with the mock judge, no model was asked; pass --allow-simulated to gate a pipeline check' }]);
    expect(own.warnings).toEqual(['SIMULATED: this report was made with the mock judge; no model was asked']);
    expect(own.passed).toBe(false);
    const baseline = evaluateGates(real, gates, undefined, { baseline: mock });
    expect(byGate(baseline, 'not_simulated').map((c) => [c.subject, c.passed])).toEqual([['baseline mock', false]]);
    expect(byGate(baseline, 'not_simulated')[0]!.message).toContain('the baseline was made with the mock judge');
    expect(baseline.warnings).toEqual(['SIMULATED: the baseline was made with the mock judge; no model was asked']);
    expect(baseline.passed).toBe(false);
    const allowed = evaluateGates(mock, gates, undefined, { allowSimulated: true, baseline: mock });
    expect(byGate(allowed, 'not_simulated').map((c) => [c.subject, c.passed, c.message.endsWith('; gated anyway (--allow-simulated)')])).toEqual([['report mock', true, true], ['baseline mock', true, true]]);
    expect(allowed.passed).toBe(true);
  });

  it('a gate that checked nothing fails, even when every precondition holds', () => {
    const report = syntheticReport({ items: 3, criteria: ['kind'], judges, scales: { kind: { type: 'categorical', labels: ['a', 'b'] } }, score: () => 'a' });
    const result = evaluateGates(report, { significance: S, min_mean: { '*': 3 } });
    expect(result.checks).toEqual([]);
    expect(result.passed).toBe(false);
    expect(result.warnings).toEqual(['none of the configured gates applies to this report: nothing was checked, so the gate fails']);
  });
});

describe('gate: the corners mutation testing found unpinned', () => {
  it('an undefined mean or alpha fails even a threshold of zero or below', () => {
    const report = syntheticReport({ items: 2, criteria: ['c1'], judges: ['j1'], score: () => 4, failed: () => true });
    const result = evaluateGates(report, { significance: S, min_mean: { c1: 0 }, min_alpha: { c1: -1 } }, undefined, { allowIncomplete: true });
    expect(byGate(result, 'min_mean')[0]).toMatchObject({ passed: false, message: 'mean undefined < 0' });
    expect(byGate(result, 'min_alpha')[0]).toMatchObject({ passed: false, actual: null });
    expect(result.passed).toBe(false);
  });

  it('below_threshold lists only the gated criterion’s units strictly under the line, without a turn key for whole conversations', () => {
    const report = syntheticReport({ items: 3, criteria: ['c1', 'c2'], judges, score: (_, item, c) => (c === 'c2' ? 1 : item === 'item-00' ? 2 : item === 'item-01' ? 3 : 5) });
    const result = evaluateGates(report, { significance: S, min_mean: { 'r/c1': 3 } });
    expect(result.below_threshold).toStrictEqual([{ item: 'item-00', rubric: 'r', criterion: 'c1', score: 2, threshold: 3 }]);
  });

  it('joins several comparability warnings with "; "', () => {
    const base = syntheticReport({ items: 20, criteria: ['c1'], judges, label: 'base', score: () => 4, rubricVersion: '1' });
    const other = syntheticReport({ items: 20, criteria: ['c1'], judges, label: 'cand', score: () => 4, rubricVersion: '2', model: (j) => `x-${j}` });
    const diff = diffReports(base, other);
    expect(diff.warnings).toHaveLength(2);
    expect(evaluateGates(other, { significance: S, max_regression: 0 }, diff).warnings).toEqual([`baseline and report are not comparable: ${diff.warnings[0]}; ${diff.warnings[1]}`]);
  });

  it('an allowed incomplete or simulated report with nothing else checked still fails: preconditions are not checks', () => {
    const scales = { kind: { type: 'categorical' as const, labels: ['a', 'b'] } };
    const incomplete = syntheticReport({ items: 3, criteria: ['kind'], judges, scales, score: () => 'a', missing: (j, item) => j === 'j1' && item === 'item-00' });
    const a = evaluateGates(incomplete, { significance: S, min_mean: { '*': 3 } }, undefined, { allowIncomplete: true });
    expect(a.checks.map((c) => [c.gate, c.passed])).toEqual([['complete', true]]);
    expect(a.passed).toBe(false);
    expect(a.warnings).toContain('none of the configured gates applies to this report: nothing was checked, so the gate fails');
    const simulated = syntheticReport({ items: 3, criteria: ['kind'], judges, scales, score: () => 'a', simulated: true });
    const b = evaluateGates(simulated, { significance: S, min_mean: { '*': 3 } }, undefined, { allowSimulated: true });
    expect(b.checks.map((c) => [c.gate, c.passed])).toEqual([['not_simulated', true]]);
    expect(b.passed).toBe(false);
  });

  it('slices: a slice with nothing paired is not "too small", a change that is not significant passes, and no warning when none is small', () => {
    const meta = (item: string) => ({ genre: Number(item.slice(-2)) < 12 ? 'jazz' : 'rock' });
    const base = syntheticReport({ items: 24, criteria: ['c1'], judges, label: 'base', score: () => 4, metadata: meta, failed: (_, item) => meta(item).genre === 'rock' });
    // Jazz: 3 of 12 items drop by 2 (not significant at 0.05 after Holm).
    const cand = syntheticReport({ items: 24, criteria: ['c1'], judges, label: 'cand', score: (_, item) => (['item-00', 'item-01', 'item-02'].includes(item) ? 2 : 4), metadata: meta });
    const diff = { ...diffReports(base, cand, {}), slices: diffSlices(base, cand, ['genre']) };
    const rock = diff.slices[0]!.rows.find((r) => r.value === 'rock')!;
    expect([rock.pairs, rock.test]).toEqual([0, null]);
    const result = evaluateGates(cand, { significance: S, max_slice_regression: 0.5, min_slice_items: 5 }, diff, { allowIncomplete: true });
    const jazz = byGate(result, 'max_slice_regression');
    expect(jazz.map((c) => [c.subject, c.passed, c.actual])).toEqual([['metadata.genre=jazz r/c1', true, -0.5]]);
    expect(jazz[0]!.message).toMatch(/^no significant change on 12 items: mean 4 → 3\.5 \(Δ -0\.5, Holm p 0\.\d+ in a family of 1\)$/);
    expect(result.warnings).toEqual([]);
  });

  it('exactly five small slices are all named; a sixth is elided', () => {
    const slices = (count: number) => {
      const meta = (item: string) => ({ g: `g${Number(item.slice(-2)) % count}` });
      const b = syntheticReport({ items: count * 2, criteria: ['c1'], judges, label: 'b', score: () => 4, metadata: meta });
      const c = syntheticReport({ items: count * 2, criteria: ['c1'], judges, label: 'c', score: () => 4, metadata: meta });
      return evaluateGates(c, { significance: S, max_slice_regression: 0 }, { ...diffReports(b, c), slices: diffSlices(b, c, ['g']) }).warnings[0];
    };
    expect(slices(5)).toBe('metadata.g: 5 slices with fewer than 10 matched items were not gated (g0, g1, g2, g3, g4)');
    expect(slices(6)).toBe('metadata.g: 6 slices with fewer than 10 matched items were not gated (g0, g1, g2, g3, g4, …)');
  });

  it('error rates: samples multiply what was planned; a judge found only in verdicts is counted, in id order', () => {
    const report = syntheticReport({ items: 5, criteria: ['c1'], judges: ['b', 'c'], samples: 2, score: () => 3, missing: (j, item, _, __, s) => j === 'b' && item === 'item-00' && s === 1 });
    const rates = (r: typeof report) => byGate(evaluateGates(r, { significance: S, max_error_rate: 0.5 }, undefined, { allowIncomplete: true }), 'max_error_rate').map((c) => [c.subject, c.actual, c.message]);
    expect(rates(report)).toEqual([['b', 0.1, '0 of 10 verdicts failed, 1 missing (10%)'], ['c', 0, '0 of 10 verdicts failed (0%)']]);
    // A report whose run lists only c, while verdicts of b are in it (a merged or hand-edited report).
    const unlisted = { ...report, run: { ...report.run, judges: report.run.judges.filter((j) => j.id === 'c') } };
    expect(rates(unlisted)).toEqual([['b', 0, '0 of 9 verdicts failed (0%)'], ['c', 0, '0 of 10 verdicts failed (0%)']]);
    // And a judge the run lists that left no verdict at all: everything it was planned to give is missing.
    const silent = { ...report, run: { ...report.run, judges: [...report.run.judges, { ...report.run.judges[0]!, id: 'a', samples: 3 }] } };
    expect(rates(silent)[0]).toEqual(['a', 1, '0 of 15 verdicts failed, 15 missing (100%)']);
  });
});
