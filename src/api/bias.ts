import { auditBias, type BiasAudit } from '../calibrate/bias.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { namesCriterion } from '../format/criterion-name.js';
import { readReport } from '../report/read.js';
import type { Report } from '../report/report.js';
import type { SideVote } from '../calibrate/pairwise-bias.js';
import { sideLabels } from '../calibrate/pairwise-report.js';
import { loadLabels } from './labels.js';

export interface BiasOptions {
  reportPath: string;
  /** Criteria to audit (`rubric/criterion` or an id); default every one. */
  criteria?: string[];
  seed?: number;
  resamples?: number;
  /** Pairwise reports: people's votes by side, to set the judges' preference for the longer conversation against theirs. */
  labels?: string[];
}

/** `jury bias`: how each judge uses each criterion's scale, leans against the panel, agrees with itself, and favours its own kind. */
export async function bias(opts: BiasOptions): Promise<BiasAudit> {
  const report = await readReport(opts.reportPath);
  const wanted = opts.criteria?.length ? opts.criteria : undefined;
  const unknown = (wanted ?? []).filter((name) => !report.criteria.some((c) => namesCriterion(name, c.rubric, c.criterion)));
  if (unknown.length) {
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.reportPath, path: ['criteria'], message: `--criteria: ${unknown.join(', ')} ${unknown.length === 1 ? 'is' : 'are'} not a criterion of the report`, expected: report.criteria.map((c) => `${c.rubric}/${c.criterion}`).join(', ') }]);
  }
  const votes = opts.labels?.length ? await sideVotes(report, opts.labels, opts.reportPath) : undefined;
  return auditBias(report, { seed: opts.seed, resamples: opts.resamples, criteria: wanted ? (rubric, criterion) => wanted.some((name) => namesCriterion(name, rubric, criterion)) : undefined, ...(votes ? { votes } : {}) });
}

/** People's pairwise votes by side (the criteria audited or all), for the length comparison. */
async function sideVotes(report: Report, files: string[], reportPath: string): Promise<SideVote[]> {
  if (!report.pairwise) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: reportPath, path: ['pairwise'], message: '--labels compares length preferences, which need a pairwise report', expected: 'the report.json of a jury run --pairwise' }]);
  const { labels } = sideLabels(await loadLabels(files), report.pairwise);
  return labels.flatMap((l) => (l.score === 'base' || l.score === 'candidate' || l.score === 'tie' ? [{ item: l.item, side: l.score }] : []));
}
