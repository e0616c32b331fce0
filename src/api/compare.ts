import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { type Report } from '../report/report.js';
import type { Gates } from '../config/config.js';
import { diffReports, type Diff } from '../diff/diff.js';
import { evaluateGates, type GateResult } from '../gate/gate.js';
import { readReport } from '../report/read.js';

// `jury diff` and `jury gate`: reading reports and comparing them.
export interface DiffOptions {
  basePath: string;
  candidatePath: string;
  minDrop?: number;
  significance?: number;
  /** Refuse reports made with different rubric versions or judges. */
  strict?: boolean;
}

/** `jury diff`: paired comparison of two reports of the same scenarios. */
export async function diff(opts: DiffOptions): Promise<Diff> {
  const [base, candidate] = await Promise.all([readReport(opts.basePath), readReport(opts.candidatePath)]);
  const result = diffReports(base, candidate, { minDrop: opts.minDrop, significance: opts.significance });
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
}

/** Gates from the config (if any) with flag overrides applied; the baseline path from a flag or the config. */
export async function resolveGates(configPath: string | undefined, overrides: Partial<Gates> = {}, baselinePath?: string): Promise<{ gates: Gates; baseline?: string }> {
  let gates: Gates = { significance: 0.05 };
  let baseline = baselinePath;
  if (configPath) {
    const loaded = await loadConfig(configPath);
    if (!loaded.ok) throw new InputError(loaded.diagnostics);
    gates = { ...gates, ...(loaded.value.config.gates ?? {}) };
    if (!baseline && loaded.value.config.baseline) baseline = path.resolve(loaded.value.config.dir, loaded.value.config.baseline);
  }
  for (const [key, value] of Object.entries(overrides)) if (value !== undefined) (gates as Record<string, unknown>)[key] = value;
  return { gates, baseline };
}

/** `jury gate`: the configured quality gates on a report, against a baseline when given. */
export async function gate(opts: GateOptions): Promise<{ result: GateResult; report: Report }> {
  const { gates, baseline } = await resolveGates(opts.configPath, opts.overrides, opts.baselinePath);
  const report = await readReport(opts.reportPath);
  const baseDiff = baseline ? diffReports(await readReport(baseline), report, { significance: gates.significance }) : undefined;
  return { result: evaluateGates(report, gates, baseDiff), report };
}

/** `jury run --gate`: the gates of the run's own config, on the report just written (read back: per-item gates need its items). */
export async function evaluateRunGates(configPath: string, reportPath: string, overrides: Partial<Gates>, baselinePath?: string): Promise<GateResult> {
  const { gates, baseline } = await resolveGates(configPath, overrides, baselinePath);
  const report = await readReport(reportPath);
  const baseDiff = baseline ? diffReports(await readReport(baseline), report, { significance: gates.significance }) : undefined;
  return evaluateGates(report, gates, baseDiff);
}

/** Human labels from labels files (CSV/JSONL) and from transcripts that carry `labels`. */
