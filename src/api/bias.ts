import { auditBias, type BiasAudit } from '../calibrate/bias.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { namesCriterion } from '../format/criterion-name.js';
import { readReport } from '../report/read.js';

export interface BiasOptions {
  reportPath: string;
  /** Criteria to audit (`rubric/criterion` or an id); default every one. */
  criteria?: string[];
  seed?: number;
  resamples?: number;
}

/** `jury bias`: how each judge uses each criterion's scale, leans against the panel, agrees with itself, and favours its own kind. */
export async function bias(opts: BiasOptions): Promise<BiasAudit> {
  const report = await readReport(opts.reportPath);
  const wanted = opts.criteria?.length ? opts.criteria : undefined;
  const unknown = (wanted ?? []).filter((name) => !report.criteria.some((c) => namesCriterion(name, c.rubric, c.criterion)));
  if (unknown.length) {
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.reportPath, path: ['criteria'], message: `--criteria: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a criterion of the report`, expected: report.criteria.map((c) => `${c.rubric}/${c.criterion}`).join(', ') }]);
  }
  return auditBias(report, { seed: opts.seed, resamples: opts.resamples, criteria: wanted ? (rubric, criterion) => wanted.some((name) => namesCriterion(name, rubric, criterion)) : undefined });
}
