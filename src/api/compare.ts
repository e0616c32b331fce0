import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { type Report } from '../report/report.js';
import type { Gates } from '../config/config.js';
import { diffReports, type Diff } from '../diff/diff.js';
import { diffSlices } from '../diff/slices.js';
import { NO_VALUE, summarizeSlices, type SliceFamily } from '../report/slices.js';
import { DEFAULT_BASELINE_GATE, DEFAULT_PAIRWISE_GATE, effectiveGates, evaluateGates, type GateOptions as GatePreconditions, type GateResult } from '../gate/gate.js';
import { readReport } from '../report/read.js';

// `jury diff` and `jury gate`: reading reports and comparing them.
export interface DiffOptions {
  basePath: string;
  candidatePath: string;
  minDrop?: number;
  significance?: number;
  /** Refuse reports made with different rubric versions or judges. */
  strict?: boolean;
  /** Metadata keys to cut the comparison by (`--by`). */
  by?: string[];
  /** Criteria tested as their own Holm family. */
  primary?: string[];
}

/** `jury diff`: paired comparison of two reports of the same scenarios. */
export async function diff(opts: DiffOptions): Promise<Diff> {
  const [base, candidate] = await Promise.all([readReport(opts.basePath), readReport(opts.candidatePath)]);
  // A pairwise report compares two versions already; its scores are positions, not means to subtract.
  for (const [file, report] of [[opts.basePath, base], [opts.candidatePath, candidate]] as const) {
    if (report.pairwise) throw new InputError([{ code: 'usage/invalid', severity: 'error', file, path: ['pairwise'], message: `this is a pairwise report (${report.pairwise.candidate} against ${report.pairwise.base}): it already compares two versions, and its verdicts are positions, not scores to subtract`, expected: 'two reports of `jury run` on one dataset each', hint: 'to order more than two versions from pairwise reports, use jury rank <reports...>' }]);
  }
  const result = diffReports(base, candidate, { minDrop: opts.minDrop, significance: opts.significance, primary: opts.primary });
  refuseDisjoint(result, base, candidate, opts.basePath, opts.candidatePath);
  if (opts.by?.length) withSlices(result, base, candidate, opts.by, { significance: opts.significance });
  if (opts.strict && !result.comparable) {
    throw new InputError(result.warnings.filter((w) => !w.startsWith('simulated')).map((message) => ({
      code: 'report/incomparable', severity: 'error', file: opts.candidatePath, path: ['run'], message,
      expected: 'the same rubric versions and judges in both reports', hint: 'drop --strict to compare anyway',
    })));
  }
  return result;
}

export interface GateOptions {
  reportPath: string;
  baselinePath?: string;
  /** Gates from a jury.yaml; flags override them. */
  configPath?: string;
  overrides?: Partial<Gates>;
  /** Gate an incomplete report / simulated scores anyway (never the default). */
  allowIncomplete?: boolean;
  allowSimulated?: boolean;
  /** Metadata keys for slice gates (`--by`); default: the config's `slices`. */
  by?: string[];
}

/**
 * Two reports that share no item id compare nothing: every paired statistic would be empty and every gate on
 * them would pass. That is a mistake of input (a wrong file, ids renamed), so it stops with both labels and a
 * few ids of each.
 */
function refuseDisjoint(result: Diff, base: Report, candidate: Report, basePath: string, candidatePath: string): void {
  if (result.items.matched > 0) return;
  const sample = (report: Report) => report.items.slice(0, 5).map((i) => JSON.stringify(i.id)).join(', ') + (report.items.length > 5 ? ', …' : '') || '(no items)';
  throw new InputError([{
    code: 'report/incomparable', severity: 'error', file: candidatePath, path: ['items'],
    message: `no item id is in both reports: base ${JSON.stringify(base.run.label)} (${basePath}, ${base.items.length} items: ${sample(base)}) and candidate ${JSON.stringify(candidate.run.label)} (${candidatePath}, ${candidate.items.length} items: ${sample(candidate)})`,
    expected: 'two reports judged on the same transcripts (items are matched by id)',
  }]);
}

/** Gates from the config (if any) with flag overrides applied; the baseline path from a flag or the config. */
export async function resolveGates(configPath: string | undefined, overrides: Partial<Gates> = {}, baselinePath?: string): Promise<{ gates: Gates; baseline?: string; slices?: string[] }> {
  let gates: Gates = { significance: 0.05 };
  let baseline = baselinePath;
  let slices: string[] | undefined;
  if (configPath) {
    const loaded = await loadConfig(configPath);
    if (!loaded.ok) throw new InputError(loaded.diagnostics);
    gates = { ...gates, ...(loaded.value.config.gates ?? {}) };
    if (!baseline && loaded.value.config.baseline) baseline = path.resolve(loaded.value.config.dir, loaded.value.config.baseline);
    slices = loaded.value.config.slices;
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) (gates as Record<string, unknown>)[key] = value;
  return { gates, baseline, ...(slices ? { slices } : {}) };
}

/** `jury gate`: the configured quality gates on a report, against a baseline when given. */
export async function gate(opts: GateOptions): Promise<{ result: GateResult; report: Report }> {
  const report = await readReport(opts.reportPath);
  return { result: await gateReport(report, opts), report };
}

/** `jury run --gate`: the gates of the run's own config, on the report just written (read back: per-item gates need its items). */
export async function evaluateRunGates(configPath: string, reportPath: string, overrides: Partial<Gates>, baselinePath?: string, allow: Pick<GateOptions, 'allowIncomplete' | 'allowSimulated' | 'by'> = {}): Promise<GateResult> {
  return gateReport(await readReport(reportPath), { reportPath, configPath, overrides, baselinePath, ...allow });
}

async function gateReport(report: Report, opts: GateOptions): Promise<GateResult> {
  const resolved = await resolveGates(opts.configPath, opts.overrides, opts.baselinePath);
  const notes: string[] = [];
  if (report.pairwise) {
    // The base of a pairwise report is inside it; a baseline report has nothing to add.
    if (opts.baselinePath) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.baselinePath, path: [], message: `${opts.reportPath} is a pairwise report (${report.pairwise.candidate} against ${report.pairwise.base}): it is gated on its own comparison, not against a baseline`, expected: 'no --baseline; gate with --min-win-rate or --fail-on-significant-loss' }]);
    if (resolved.baseline) notes.push(`jury.yaml's baseline is not used: ${opts.reportPath} is a pairwise report, gated on its own comparison`);
    resolved.baseline = undefined;
  }
  const effective = effectiveGates(resolved.gates, resolved.baseline !== undefined, report.pairwise !== undefined);
  if (!effective.ok) {
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.configPath ?? opts.reportPath, path: [], message: effective.reason, expected: 'at least one gate: e.g. --min-mean 3.5, or --baseline <report.json> for "no significant regression"' }]);
  }
  let baseline: Report | undefined;
  let baseDiff: Diff | undefined;
  if (resolved.baseline) {
    baseline = await readReport(resolved.baseline);
    baseDiff = diffReports(baseline, report, { significance: effective.gates.significance, primary: effective.gates.primary });
    refuseDisjoint(baseDiff, baseline, report, resolved.baseline, opts.reportPath);
    const keys = opts.by ?? resolved.slices;
    if (keys?.length) withSlices(baseDiff, baseline, report, keys, { significance: effective.gates.significance });
  }
  const options: GatePreconditions = { allowIncomplete: opts.allowIncomplete, allowSimulated: opts.allowSimulated, baseline };
  const evaluated = evaluateGates(report, effective.gates, baseDiff, options);
  const result = notes.length ? { ...evaluated, warnings: [...evaluated.warnings, ...notes] } : evaluated;
  return effective.defaulted ? { ...result, default_gate: report.pairwise ? DEFAULT_PAIRWISE_GATE : DEFAULT_BASELINE_GATE } : result;
}

/** Adds the comparison cut by metadata to a diff, warning when no matched item carries a key at all. */
function withSlices(result: Diff, base: Report, candidate: Report, keys: string[], options: { significance?: number }): void {
  result.slices = diffSlices(base, candidate, keys, options);
  for (const family of result.slices) {
    if (family.rows.every((r) => r.value === NO_VALUE)) result.warnings.push(`no matched item has ${family.by}: every item is in the slice ${NO_VALUE}`);
  }
}

/** A report's summaries cut by metadata keys (`jury run --by`, the config's `slices`). */
export async function sliceReport(reportPath: string, keys: readonly string[]): Promise<SliceFamily[]> {
  return summarizeSlices(await readReport(reportPath), keys);
}
