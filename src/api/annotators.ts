import { InputError } from '../diagnostics/diagnostic.js';
import { parseEach } from '../config/read-text.js';
import { parseLabels } from '../labels/labels.js';
import { readReport } from '../report/read.js';
import { labelTables } from '../annotators/table.js';
import { auditCriterion, type AuditOptions, type CriterionAudit } from '../annotators/audit.js';
import { judgeLabels, reportScales, withReportCriteria } from '../annotators/judges.js';
import { loadLabels } from './labels.js';

export interface AnnotatorsOptions extends AuditOptions {
  labels: string[];
  /** Files of reference answers (item, criterion, score; annotator optional). */
  gold?: string[];
  /** A report whose judges join the people as annotators, and whose rubrics give the scales. */
  report?: string;
  /** Only this criterion (`rubric/criterion`, or the bare name the labels use). */
  criterion?: string;
}

export interface AnnotatorsResult {
  version: 1;
  seed: number;
  resamples: number;
  min_gold_accuracy: number;
  judges: string[];
  criteria: CriterionAudit[];
  warnings: string[];
}

/** `jury annotators`: who agrees with whom, who is biased or careless, which items are hard, and the model's consensus. */
export async function auditAnnotators(opts: AnnotatorsOptions): Promise<AnnotatorsResult> {
  let people = await loadLabels(opts.labels);
  const { values: gold, diagnostics } = await parseEach(opts.gold ?? [], (file, text) => parseLabels(file, text, { annotator: 'gold' }));
  if (diagnostics.length) throw new InputError(diagnostics);
  const warnings: string[] = [];
  let judges: string[] = [];
  let scales;
  let allGold = gold;
  if (opts.report) {
    const report = await readReport(opts.report);
    if (report.simulated) warnings.push(`SIMULATED: report ${report.run.label} was made with the mock judge: its judges' rows describe no real model`);
    people = withReportCriteria(people, report);
    allGold = withReportCriteria(gold, report);
    const asAnnotators = judgeLabels(report, people);
    judges = [...new Set(asAnnotators.map((l) => l.annotator))];
    people = [...people, ...asAnnotators];
    scales = reportScales(report);
  }
  const clash = people.find((l) => !l.annotator.startsWith('judge:') && judges.includes(l.annotator));
  if (clash) throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.labels[0] ?? '', path: ['annotator'], message: `a person is named ${clash.annotator}, as a judge of the report is`, expected: 'annotator names that do not start with judge:' }]);
  let tables = labelTables(people, { scales, gold: allGold });
  if (opts.criterion) {
    const wanted = opts.criterion;
    tables = tables.filter((t) => t.criterion === wanted || t.criterion.endsWith(`/${wanted}`));
    if (tables.length === 0) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.labels[0] ?? '', path: ['criterion'], message: `no label is for criterion ${wanted}`, expected: [...new Set(people.map((l) => l.criterion))].slice(0, 10).join(', ') }]);
  }
  if (tables.length === 0) throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.labels[0] ?? '', path: [], message: 'no labels were found', expected: 'a labels file with item,criterion,annotator,score' }]);
  const criteria = tables.map((t) => auditCriterion(t, opts));
  for (const c of criteria) {
    if (c.off_scale) warnings.push(`${c.criterion}: ${c.off_scale} label${c.off_scale === 1 ? ' is' : 's are'} not on the scale and ${c.off_scale === 1 ? 'was' : 'were'} left out`);
    if (c.model && !c.model.converged) warnings.push(`${c.criterion}: Dawid–Skene stopped after ${c.model.iterations} iterations without converging; its figures are the last iteration's`);
  }
  return { version: 1, seed: opts.seed ?? 1, resamples: opts.resamples ?? 1000, min_gold_accuracy: opts.minGoldAccuracy ?? 0.7, judges, criteria, warnings };
}
