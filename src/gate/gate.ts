import type { Gates } from '../config/config.js';
import type { Diff } from '../diff/diff.js';
import type { Report, ReportHead } from '../report/report.js';
import { compareIds } from '../format/compare-ids.js';
import { pairwiseChecks } from './pairwise-gates.js';

export interface GateCheck {
  /** The thresholds of jury.yaml / flags, and the two preconditions every gate has: a complete, real report. */
  gate: 'min_mean' | 'max_regression' | 'max_slice_regression' | 'min_alpha' | 'max_error_rate' | 'min_win_rate' | 'no_significant_loss' | 'complete' | 'not_simulated';
  /** `rubric/criterion` or a judge id. */
  subject: string;
  passed: boolean;
  actual: number | null;
  threshold: number;
  message: string;
}

export interface BelowThreshold {
  item: string;
  turn?: number;
  rubric: string;
  criterion: string;
  score: number;
  threshold: number;
}

export interface GateResult {
  passed: boolean;
  checks: GateCheck[];
  /** Item × criterion panel scores under their criterion's min_mean: where to look first. */
  below_threshold: BelowThreshold[];
  warnings: string[];
  /** Set when no threshold was configured and the default check was applied (with a baseline only). */
  default_gate?: string;
}

export interface GateOptions {
  /** Gate an incomplete report anyway (its missing verdicts still count as errors in max_error_rate). */
  allowIncomplete?: boolean;
  /** Gate simulated (mock) scores anyway: for checking a pipeline, never an assistant. */
  allowSimulated?: boolean;
  /** The baseline report, whose completeness and realness the regression gate also depends on. */
  baseline?: ReportHead;
}

/** The threshold gates configured (significance is a setting, not a gate). */
export function configuredGates(gates: Gates): string[] {
  return (['min_mean', 'max_regression', 'max_slice_regression', 'min_alpha', 'max_error_rate', 'min_win_rate', 'no_significant_loss'] as const).filter((g) => gates[g] !== undefined && gates[g] !== false && !(typeof gates[g] === 'object' && Object.keys(gates[g]).length === 0));
}

export const DEFAULT_PAIRWISE_GATE = 'no gate was configured: on a pairwise report, the default gate is no significant loss on any criterion (no_significant_loss)';

export const DEFAULT_BASELINE_GATE = 'no gate was configured: with a baseline, the default gate is no significant regression on any criterion (max_regression 0)';

/**
 * The gates to evaluate, or why there is nothing to check. A gate with nothing to check must never say "passed";
 * with a baseline and no thresholds, the one check that always means something is applied: no criterion
 * regressed significantly (docs/ci.md).
 */
export function effectiveGates(gates: Gates, hasBaseline: boolean, pairwise = false): { ok: true; gates: Gates; defaulted: boolean } | { ok: false; reason: string } {
  if (configuredGates(gates).length > 0) return { ok: true, gates, defaulted: false };
  // A pairwise report carries its own comparison: with no threshold, the candidate must not lose any criterion.
  if (pairwise) return { ok: true, gates: { ...gates, no_significant_loss: true }, defaulted: true };
  if (hasBaseline) return { ok: true, gates: { ...gates, max_regression: 0 }, defaulted: true };
  return { ok: false, reason: 'no gate to check: neither jury.yaml `gates` nor a gate flag (--min-mean, --max-regression, --min-alpha, --max-error-rate, --min-win-rate, --fail-on-significant-loss) sets a threshold, and no baseline was given' };
}

/**
 * The threshold for a criterion: `rubric/criterion`, then the criterion id, then `*` (unless `wildcard` is
 * false: a mean threshold on a 1–5 scale means nothing for a 0/1 one, so `*` means likert criteria only).
 */
export function thresholdFor(table: Record<string, number> | undefined, rubric: string, criterion: string, wildcard = true): number | undefined {
  if (!table) return undefined;
  return table[`${rubric}/${criterion}`] ?? table[criterion] ?? (wildcard ? table['*'] : undefined);
}

/** "No significant change" is not "no difference": the drop these items could have shown, said beside it. */
export function detectableText(d: Diff['criteria'][number]['detectable']): string {
  if (!d) return '';
  // The diff asks for 80% power (DEFAULT_POWER); the effect found has at least that.
  return d.effect === null ? `; ${d.reason}` : `; these items would catch a drop of ${fmt(d.effect)} or more 80% of the time`;
}

const fmt = (x: number | null) => (x === null ? 'undefined' : String(Math.round(x * 1000) / 1000));

/** Evaluates the configured gates on a report (and its diff against a baseline, when there is one). Pure. */
export function evaluateGates(report: Report, gates: Gates, diff?: Diff, options: GateOptions = {}): GateResult {
  const checks: GateCheck[] = preconditions(report, options, 'report');
  if (options.baseline) checks.push(...preconditions(options.baseline, options, 'baseline'));
  const below: BelowThreshold[] = [];
  const warnings: string[] = [];
  if (report.simulated || options.baseline?.simulated) warnings.push(`SIMULATED: ${report.simulated ? 'this report' : 'the baseline'} was made with the mock judge; no model was asked`);
  if (diff?.items.coverage) warnings.push(diff.items.coverage);
  for (const c of report.criteria) {
    const subject = `${c.rubric}/${c.criterion}`;
    const minMean = thresholdFor(gates.min_mean, c.rubric, c.criterion, c.scale.type === 'likert');
    if (minMean !== undefined && c.scale.type !== 'categorical') {
      checks.push({ gate: 'min_mean', subject, passed: c.mean !== null && c.mean >= minMean, actual: c.mean, threshold: minMean, message: `mean ${fmt(c.mean)} ${c.mean !== null && c.mean >= minMean ? '≥' : '<'} ${minMean}` });
      for (const item of report.items) {
        for (const unit of item.results) {
          if (unit.rubric === c.rubric && unit.criterion === c.criterion && unit.panel.status === 'scored' && typeof unit.panel.score === 'number' && unit.panel.score < minMean) {
            below.push({ item: item.id, ...(unit.turn === undefined ? {} : { turn: unit.turn }), rubric: c.rubric, criterion: c.criterion, score: unit.panel.score, threshold: minMean });
          }
        }
      }
    }
    const minAlpha = thresholdFor(gates.min_alpha, c.rubric, c.criterion);
    if (minAlpha !== undefined) {
      const alpha = c.agreement.alpha.value;
      checks.push({ gate: 'min_alpha', subject, passed: alpha !== null && alpha >= minAlpha, actual: alpha, threshold: minAlpha, message: alpha === null ? `alpha undefined (${c.agreement.alpha.reason}): reliability cannot be shown` : `alpha ${fmt(alpha)} ${alpha >= minAlpha ? '≥' : '<'} ${minAlpha}` });
    }
  }
  if (gates.max_regression !== undefined) {
    if (!diff) checks.push({ gate: 'max_regression', subject: 'baseline', passed: false, actual: null, threshold: gates.max_regression, message: 'no baseline was given, so the regression gate could not be checked (give --baseline, or drop max_regression)' });
    else {
      if (!diff.comparable) warnings.push(`baseline and report are not comparable: ${diff.warnings.join('; ')}`);
      for (const c of diff.criteria) {
        if (!c.test) continue;
        const drop = c.difference === null ? 0 : -c.difference;
        const failed = c.change === 'regressed' && drop > gates.max_regression;
        checks.push({ gate: 'max_regression', subject: `${c.rubric}/${c.criterion}`, passed: !failed, actual: c.difference, threshold: gates.max_regression, message: `${c.change}: mean ${fmt(c.base_mean)} → ${fmt(c.candidate_mean)} (Δ ${fmt(c.difference)}, Holm p ${c.test.p_holm < 0.001 ? '<0.001' : fmt(c.test.p_holm)}${c.family ? ` in the ${c.family} family` : ''})${detectableText(c.detectable)}` });
      }
    }
  }
  if (gates.max_slice_regression !== undefined) checks.push(...sliceChecks(gates, diff, warnings));
  checks.push(...pairwiseChecks(report, gates));
  if (gates.max_error_rate !== undefined) {
    for (const [judge, t] of verdictTotals(report)) {
      const rate = t.planned ? (t.failed + t.missing) / t.planned : 0;
      const missing = t.missing ? `, ${t.missing} missing` : '';
      checks.push({ gate: 'max_error_rate', subject: judge, passed: rate <= gates.max_error_rate, actual: rate, threshold: gates.max_error_rate, message: `${t.failed} of ${t.planned} verdicts failed${missing} (${fmt(rate * 100)}%)` });
    }
  }
  // Thresholds that matched nothing (a min_mean naming only categorical criteria, say) checked nothing.
  const thresholds = checks.filter((c) => c.gate !== 'complete' && c.gate !== 'not_simulated');
  if (thresholds.length === 0) warnings.push('none of the configured gates applies to this report: nothing was checked, so the gate fails');
  return { passed: thresholds.length > 0 && checks.every((c) => c.passed), checks, below_threshold: below, warnings };
}

/**
 * No significant drop larger than the threshold in any slice with at least `min_slice_items` matched items.
 * Without a baseline, or without a slice big enough to test, it fails: nothing was checked.
 */
function sliceChecks(gates: Gates, diff: Diff | undefined, warnings: string[]): GateCheck[] {
  const threshold = gates.max_slice_regression!;
  const minItems = gates.min_slice_items ?? 10;
  const fail = (subject: string, message: string): GateCheck[] => [{ gate: 'max_slice_regression', subject, passed: false, actual: null, threshold, message }];
  if (!diff) return fail('baseline', 'no baseline was given, so the slice regression gate could not be checked (give --baseline, or drop max_slice_regression)');
  if (!diff.slices?.length) return fail('slices', 'no slices to check: name metadata keys with `slices:` in jury.yaml or --by');
  const checks: GateCheck[] = [];
  for (const family of diff.slices) {
    const small = new Set<string>();
    const eligible = new Set<string>();
    const before = checks.length;
    for (const row of family.rows) {
      if (!row.test) continue;
      if (row.pairs < minItems) {
        small.add(row.value);
        continue;
      }
      eligible.add(row.value);
      // A criterion on which no item of the slice changed is checked, and says nothing: it is not listed.
      if (row.test.n === 0) continue;
      const drop = row.difference === null ? 0 : -row.difference;
      const failed = row.change === 'regressed' && drop > threshold;
      checks.push({ gate: 'max_slice_regression', subject: `${family.by}=${row.value} ${row.rubric}/${row.criterion}`, passed: !failed, actual: row.difference, threshold, message: `${row.change} on ${row.pairs} items: mean ${fmt(row.base_mean)} → ${fmt(row.candidate_mean)} (Δ ${fmt(row.difference)}, Holm p ${row.test.p_holm < 0.001 ? '<0.001' : fmt(row.test.p_holm)} in a family of ${family.family})` });
    }
    if (eligible.size && checks.length === before) checks.push({ gate: 'max_slice_regression', subject: family.by, passed: true, actual: 0, threshold, message: `no item changed on any criterion in the ${eligible.size} slice${eligible.size === 1 ? '' : 's'} with ${minItems} or more items` });
    if (small.size) warnings.push(`${family.by}: ${small.size} slice${small.size === 1 ? '' : 's'} with fewer than ${minItems} matched items ${small.size === 1 ? 'was' : 'were'} not gated (${[...small].slice(0, 5).join(', ')}${small.size > 5 ? ', …' : ''})`);
  }
  return checks.length ? checks : fail('slices', `no slice has ${minItems} or more matched items, so none could be checked (lower min_slice_items, or judge more items)`);
}

/** Completeness and realness: a gate never passes what it could not check, unless the user says so explicitly. */
function preconditions(report: ReportHead, options: GateOptions, role: 'report' | 'baseline'): GateCheck[] {
  const checks: GateCheck[] = [];
  const subject = `${role} ${report.run.label}`;
  if (report.incomplete) {
    const missing = report.incomplete.missing_verdicts;
    const planned = missing + Object.values(report.judge_errors).reduce((n, j) => n + j.verdicts, 0);
    const allowed = options.allowIncomplete === true;
    checks.push({ gate: 'complete', subject, passed: allowed, actual: missing, threshold: 0, message: `${missing} of ${planned} verdicts missing: the ${role} is incomplete (${report.incomplete.resume})${allowed ? '; gated anyway (--allow-incomplete)' : '; pass --allow-incomplete to gate it anyway'}` });
  }
  if (report.simulated) {
    const allowed = options.allowSimulated === true;
    checks.push({ gate: 'not_simulated', subject, passed: allowed, actual: null, threshold: 0, message: `SIMULATED scores: the ${role} was made with the mock judge, no model was asked${allowed ? '; gated anyway (--allow-simulated)' : '; pass --allow-simulated to gate a pipeline check'}` });
  }
  return checks;
}

/** Per judge, in id order: verdicts planned (every unit × the judge's samples), failed, and missing from the report. */
function verdictTotals(report: Report): [string, { planned: number; failed: number; missing: number }][] {
  const units = report.items.reduce((n, item) => n + item.results.length, 0);
  const present = new Map<string, { verdicts: number; failed: number }>();
  for (const item of report.items) {
    for (const unit of item.results) {
      for (const v of unit.verdicts) {
        const t = present.get(v.judge) ?? { verdicts: 0, failed: 0 };
        t.verdicts++;
        if (v.status === 'failed') t.failed++;
        present.set(v.judge, t);
      }
    }
  }
  const judges = report.run.judges.map((j) => j.id);
  for (const id of present.keys()) if (!judges.includes(id)) judges.push(id);
  return judges.sort(compareIds).map((id) => {
    const samples = report.run.judges.find((j) => j.id === id)?.samples ?? 1;
    const t = present.get(id) ?? { verdicts: 0, failed: 0 };
    const planned = Math.max(units * samples, t.verdicts);
    return [id, { planned, failed: t.failed, missing: planned - t.verdicts }];
  });
}
