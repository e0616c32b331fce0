import type { Gates } from '../config/config.js';
import type { Diff } from '../diff/diff.js';
import type { Report } from '../report/report.js';

export interface GateCheck {
  gate: 'min_mean' | 'max_regression' | 'min_alpha' | 'max_error_rate';
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
}

/**
 * The threshold for a criterion: `rubric/criterion`, then the criterion id, then `*` (unless `wildcard` is
 * false: a mean threshold on a 1–5 scale means nothing for a 0/1 one, so `*` means likert criteria only).
 */
export function thresholdFor(table: Record<string, number> | undefined, rubric: string, criterion: string, wildcard = true): number | undefined {
  if (!table) return undefined;
  return table[`${rubric}/${criterion}`] ?? table[criterion] ?? (wildcard ? table['*'] : undefined);
}

const fmt = (x: number | null) => (x === null ? 'undefined' : String(Math.round(x * 1000) / 1000));

/** Evaluates the configured gates on a report (and its diff against a baseline, when there is one). Pure. */
export function evaluateGates(report: Report, gates: Gates, diff?: Diff): GateResult {
  const checks: GateCheck[] = [];
  const below: BelowThreshold[] = [];
  const warnings: string[] = [];
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
    if (!diff) warnings.push('max_regression is set but no baseline was given: the regression gate was not evaluated');
    else {
      if (!diff.comparable) warnings.push(`baseline and report are not comparable: ${diff.warnings.join('; ')}`);
      for (const c of diff.criteria) {
        if (!c.test) continue;
        const drop = c.difference === null ? 0 : -c.difference;
        const failed = c.change === 'regressed' && drop > gates.max_regression;
        checks.push({ gate: 'max_regression', subject: `${c.rubric}/${c.criterion}`, passed: !failed, actual: c.difference, threshold: gates.max_regression, message: `${c.change}: mean ${fmt(c.base_mean)} → ${fmt(c.candidate_mean)} (Δ ${fmt(c.difference)}, Holm p ${fmt(c.test.p_holm)})` });
      }
    }
  }
  if (gates.max_error_rate !== undefined) {
    const totals = new Map<string, { failed: number; all: number }>();
    for (const item of report.items) {
      for (const unit of item.results) {
        for (const v of unit.verdicts) {
          const t = totals.get(v.judge) ?? { failed: 0, all: 0 };
          t.all++;
          if (v.status === 'failed') t.failed++;
          totals.set(v.judge, t);
        }
      }
    }
    for (const [judge, t] of [...totals].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const rate = t.all ? t.failed / t.all : 0;
      checks.push({ gate: 'max_error_rate', subject: judge, passed: rate <= gates.max_error_rate, actual: rate, threshold: gates.max_error_rate, message: `${t.failed} of ${t.all} verdicts failed (${fmt(rate * 100)}%)` });
    }
  }
  return { passed: checks.every((c) => c.passed), checks, below_threshold: below, warnings };
}
