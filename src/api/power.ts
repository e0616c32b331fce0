import { InputError } from '../diagnostics/diagnostic.js';
import { reportPower, type PowerReport } from '../diff/power.js';
import { readReport } from '../report/read.js';
import { namesCriterion } from '../format/criterion-name.js';

export interface PowerOptions {
  reportPath: string;
  /** A second report of the same items: the noise is then their paired differences, centred. */
  baselinePath?: string;
  /** A drop to plan for: how many items would detect it. */
  effect?: number;
  /** Criteria to report on (`rubric/criterion` or an id); default every numeric one, or the primary ones. */
  criteria?: string[];
  /** Criteria gated as their own Holm family: the family is then their number. */
  primary?: string[];
  /** Tests in the Holm family; default the primary criteria's number, else the report's numeric criteria. */
  family?: number;
  significance?: number;
  power?: number;
  simulations?: number;
  seed?: number;
}

/** `jury power`: how small a drop each criterion can detect, and how many items a chosen drop needs. */
export async function power(opts: PowerOptions): Promise<PowerReport> {
  const report = await readReport(opts.reportPath);
  const baseline = opts.baselinePath ? await readReport(opts.baselinePath) : undefined;
  const numeric = report.criteria.filter((c) => c.scale.type !== 'categorical');
  const named = (name: string) => numeric.some((c) => namesCriterion(name, c.rubric, c.criterion));
  for (const [flag, names] of [['--criteria', opts.criteria], ['--primary', opts.primary]] as const) {
    const unknown = (names ?? []).filter((n) => !named(n));
    if (unknown.length) {
      throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.reportPath, path: ['criteria'], message: `${flag}: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a numeric criterion of the report`, expected: numeric.map((c) => `${c.rubric}/${c.criterion}`).join(', ') || 'a report with a numeric criterion' }]);
    }
  }
  if (numeric.length === 0) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.reportPath, path: ['criteria'], message: 'the report has no numeric criterion: power is about a drop of a mean', expected: 'a report with a likert or binary criterion' }]);
  if (baseline && !report.items.some(((ids) => (j: { id: string }) => ids.has(j.id))(new Set(baseline.items.map((i) => i.id))))) {
    throw new InputError([{ code: 'report/incomparable', severity: 'error', file: opts.baselinePath!, path: ['items'], message: `no item id is in both reports (${baseline.run.label} and ${report.run.label})`, expected: 'two reports judged on the same transcripts (items are matched by id)' }]);
  }
  const family = opts.family ?? (opts.primary?.length ? opts.primary.length : numeric.length);
  return reportPower(report, { significance: opts.significance ?? 0.05, family, power: opts.power, simulations: opts.simulations, seed: opts.seed }, { baseline, effect: opts.effect, criteria: opts.criteria?.length ? opts.criteria : opts.primary });
}
