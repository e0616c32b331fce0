import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { JudgeConfig } from './config/config.js';
import { loadConfig, type ResolvedConfig } from './config/load.js';
import { InputError, RunError, type Diagnostic } from './diagnostics/diagnostic.js';
import { ReplyCache } from './engine/cache.js';
import type { EventSink } from './engine/events.js';
import { mockJudges, resolvePanel, type Env } from './engine/panel.js';
import { judgeRunStats } from './engine/run-stats.js';
import { runPlan, type PanelJudge } from './engine/run-plan.js';
import { lockRunFolder } from './journal/lock.js';
import { canonicalJson, sha256 } from './format/canonical-json.js';
import { JOURNAL_FORMAT, JournalWriter, replayJournal, type JournalRecord } from './journal/journal.js';
import { buildJudgeRequest } from './judges/request.js';
import { contextBudgetProblems } from './judges/context-budget.js';
import { buildPlan, type Plan } from './plan/plan.js';
import { buildReport } from './report/build.js';
import { RUN_FORMAT, type Report } from './report/report.js';
import { writeJson } from './report/write.js';
import { loadRubrics } from './rubric/load.js';
import type { Rubric } from './rubric/rubric.js';
import { loadDataset } from './transcript/load.js';
import { readText } from './config/read-text.js';
import { parseRatings, type Ratings } from './ratings/parse.js';
import { agreementSuite, type Statistic, type StatisticId } from './stats/suite.js';
import type { Level } from './stats/types.js';
import type { Gates } from './config/config.js';
import { diffReports, type Diff } from './diff/diff.js';
import { evaluateGates, type GateResult } from './gate/gate.js';
import { readReport } from './report/read.js';
import { calibrate, type Calibration } from './calibrate/calibrate.js';
import { compareAgainstPeople, type VersionComparison } from './calibrate/compare.js';
import { parseLabels, transcriptLabels, type HumanLabel } from './labels/labels.js';
import { selectForReview, type SelectOptions } from './review/select.js';
import { reviewRows, toCsv, toJsonl, toLabelStudio } from './review/export.js';
import { mergeLabels, readCompleted, serializeLabels } from './review/import.js';
import { writeAtomic } from './report/write.js';
import { AB_REDIAL_RUBRIC, importAbRedial } from './importers/ab-redial.js';
import { importVerdicts } from './importers/verdicts.js';
import type { Transcript } from './transcript/transcript.js';

export interface Inputs extends ResolvedConfig {
  rubrics: Rubric[];
  transcripts: Transcript[];
}

/** Loads and checks the config, every rubric and every transcript; throws one InputError with all problems. */
export async function loadInputs(configPath: string, datasets?: string[]): Promise<Inputs> {
  const loaded = await loadConfig(configPath, datasets);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  const [rubrics, dataset] = await Promise.all([loadRubrics(loaded.value.rubricFiles), loadDataset(loaded.value.datasetFiles)]);
  const diagnostics: Diagnostic[] = [...(rubrics.ok ? [] : rubrics.diagnostics), ...(dataset.ok ? [] : dataset.diagnostics)];
  if (!rubrics.ok || !dataset.ok) throw new InputError(diagnostics);
  return { ...loaded.value, rubrics: rubrics.value, transcripts: dataset.value };
}

export interface ValidateResult {
  inputs: Inputs;
  plan: Plan;
}

/** `jury validate`: everything a run would read, checked, and the plan it would make; no model is called. */
export async function validate(opts: { configPath: string }): Promise<ValidateResult> {
  const inputs = await loadInputs(opts.configPath);
  const tooLong = contextBudgetProblems(inputs.transcripts, inputs.rubrics, inputs.config.judges);
  if (tooLong.length) throw new InputError(tooLong);
  return { inputs, plan: buildPlan(inputs.transcripts, inputs.rubrics, inputs.config.judges) };
}

export interface RunOptions {
  configPath: string;
  /** Parent folder of the run folder; default: the config's `output`. */
  outDir?: string;
  label?: string;
  mock?: boolean;
  /** A run folder to finish: its journal's verdicts are kept and not asked again. */
  resume?: string;
  /** Globs (relative to the current folder) that replace the config's `datasets`. */
  datasets?: string[];
  cache?: boolean;
  env: Env;
  onEvent?: EventSink;
  /** Stop scheduling (first Ctrl-C): in-flight calls finish, the rest is left for --resume. */
  stop?: AbortSignal;
  /** Abort in-flight calls too. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  report: Report;
  dir: string;
  complete: boolean;
}

/**
 * Identity of what is judged and how: judges (their settings, never keys), rubrics, transcripts and
 * aggregation. A journal written under another hash is refused on resume.
 */
export function configHash(inputs: Inputs, judges: readonly JudgeConfig[]): string {
  const transcripts = inputs.transcripts.map(({ file: _file, line: _line, ...rest }) => rest);
  const rubrics = inputs.rubrics.map(({ file: _file, ...rest }) => rest);
  return sha256(canonicalJson({ judges, rubrics, transcripts, aggregation: inputs.config.aggregation })).slice(0, 16);
}

/** `jury run`: plan, judge (journaled, cached, resumable), aggregate, write report.json and run.json. */
export async function runEval(opts: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  const inputs = await loadInputs(opts.configPath, opts.datasets);
  const { config } = inputs;
  const judges = opts.mock ? mockJudges(config.judges) : config.judges;
  const tooLong = contextBudgetProblems(inputs.transcripts, inputs.rubrics, judges);
  if (tooLong.length) throw new InputError(tooLong);
  const resolved = resolvePanel(config, judges, opts.env, inputs.locate);
  if (!resolved.ok) throw new InputError(resolved.diagnostics);
  const hash = configHash(inputs, judges);

  const plan = buildPlan(inputs.transcripts, inputs.rubrics, judges);
  const dir = opts.resume ? path.resolve(opts.resume) : path.resolve(opts.outDir ?? path.resolve(config.dir, config.output), opts.label ?? config.label ?? 'latest');
  if (opts.resume && !existsSync(dir)) {
    throw new InputError([{ code: 'journal/invalid', severity: 'error', file: dir, path: [], message: 'no such run folder to resume', expected: 'the folder of an earlier `jury run` (it holds verdicts.jsonl)' }]);
  }
  mkdirSync(dir, { recursive: true });
  // The folder is ours before its journal is read: a run still writing it cannot be resumed under its feet.
  const unlock = lockRunFolder(dir);
  try {
    const previous = opts.resume ? readJournalForResume(opts.resume, hash) : undefined;
    const label = previous?.label ?? opts.label ?? config.label ?? 'latest';
    return await judgeAndReport({ inputs, judges, panel: resolved.panel, hash, plan, previous, label, dir, startedAt, opts });
  } finally {
    unlock();
  }
}

interface JudgeAndReport {
  inputs: Inputs;
  judges: JudgeConfig[];
  panel: Map<string, PanelJudge>;
  hash: string;
  plan: Plan;
  previous?: { label: string; records: JournalRecord[] };
  label: string;
  dir: string;
  startedAt: Date;
  opts: RunOptions;
}

async function judgeAndReport({ inputs, judges, panel, hash, plan, previous, label, dir, startedAt, opts }: JudgeAndReport): Promise<RunOutcome> {
  const { config } = inputs;
  const journalFile = path.join(dir, 'verdicts.jsonl');
  const journal = previous ? JournalWriter.append(journalFile) : JournalWriter.create(journalFile, { ...JOURNAL_FORMAT, config_hash: hash, label });
  const byKey = new Map<string, JournalRecord>((previous?.records ?? []).map((r) => [r.key, r]));
  const transcripts = new Map(inputs.transcripts.map((t) => [t.id, t]));
  const rubrics = new Map(inputs.rubrics.map((r) => [r.id, r]));
  // `judge_down: abort` turns the first judge that goes down into a stop, like a Ctrl-C.
  const stop = new AbortController();
  const downJudges: string[] = [];
  opts.stop?.addEventListener('abort', () => stop.abort(), { once: true });
  if (opts.stop?.aborted) stop.abort();
  const onEvent: EventSink = (event) => {
    if (event.type === 'judge-down') {
      downJudges.push(event.judge);
      if (config.judge_down === 'abort') stop.abort();
    }
    opts.onEvent?.(event);
  };
  let fresh: JournalRecord[];
  try {
    fresh = await runPlan({
      calls: plan.calls,
      judges: panel,
      requestFor: (call) => {
        const rubric = rubrics.get(call.unit.rubric)!;
        const criterion = rubric.criteria.find((c) => c.id === call.unit.criterion)!;
        const turnIndex = call.unit.turn === undefined ? undefined : call.unit.turn - 1;
        return buildJudgeRequest(rubric, criterion, transcripts.get(call.unit.item)!, { turnIndex, sample: call.sample });
      },
      journal,
      done: new Set(byKey.keys()),
      cache: opts.cache === false ? undefined : new ReplyCache(path.resolve(config.dir, config.cache)),
      concurrency: config.concurrency,
      retry: { maxAttempts: config.retries.max_attempts, baseDelayMs: config.retries.base_delay_ms, maxDelayMs: config.retries.max_delay_ms },
      onEvent,
      stop: stop.signal,
      signal: opts.signal,
    });
  } finally {
    journal.close();
  }
  for (const record of fresh) if (!(record.verdict.status === 'failed' && record.verdict.cause === 'aborted')) byKey.set(record.key, record);

  const complete = plan.calls.every((call) => byKey.has(call.key));
  const report = buildReport({
    label,
    configHash: hash,
    aggregation: config.aggregation,
    rubrics: inputs.rubrics,
    judges: judges.map((j) => ({ id: j.id, provider: j.provider, model: j.model, samples: j.samples, simulated: panel.get(j.id)!.provider.simulated })),
    units: plan.units,
    records: byKey,
    resumeHint: `jury run --resume ${path.relative(process.cwd(), dir) || dir}`,
  });
  writeJson(path.join(dir, 'report.json'), report);
  const finishedAt = new Date();
  const all = [...byKey.values()];
  writeJson(path.join(dir, 'run.json'), {
    ...RUN_FORMAT,
    label,
    config_hash: hash,
    complete,
    simulated: report.simulated,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: finishedAt.getTime() - startedAt.getTime(),
    planned_verdicts: plan.calls.length,
    resumed_verdicts: previous?.records.length ?? 0,
    judges: judgeRunStats(all),
    errors: all
      .filter((r) => r.verdict.status === 'failed')
      .slice(0, 200)
      .map((r) => ({ key: r.key, judge: r.judge, attempts: r.attempts, ...(r.verdict.status === 'failed' ? { cause: r.verdict.cause, message: r.verdict.message, raw: r.verdict.raw } : {}) })),
  });
  if (!complete && config.judge_down === 'abort' && downJudges.length) {
    throw new RunError(`judge ${downJudges.join(', ')} went down and judge_down is abort: the run stopped; finish it with --resume ${dir}`);
  }
  if (!complete && !stop.signal.aborted && !opts.signal?.aborted) throw new RunError(`the run ended with verdicts missing; finish it with --resume ${dir}`);
  if (all.length > 0 && all.every((r) => r.verdict.status === 'failed')) {
    const causes = [...new Set(all.map((r) => (r.verdict.status === 'failed' ? r.verdict.cause : '')))].join(', ');
    throw new RunError(`no judge returned a single verdict (${causes}); see ${path.join(dir, 'run.json')} for the errors`);
  }
  return { report, dir, complete };
}

function readJournalForResume(dir: string, hash: string): { label: string; records: JournalRecord[] } {
  const file = path.join(path.resolve(dir), 'verdicts.jsonl');
  if (!existsSync(file)) {
    throw new InputError([{ code: 'journal/invalid', severity: 'error', file, path: [], message: 'no journal to resume from', expected: 'the folder of an earlier `jury run` (it holds verdicts.jsonl)' }]);
  }
  const replay = replayJournal(readFileSync(file, 'utf8'));
  if (!replay.ok) throw new InputError([{ code: 'journal/invalid', severity: 'error', file, path: [], message: replay.reason }]);
  if (replay.header.config_hash !== hash) {
    throw new InputError([{
      code: 'journal/mismatch', severity: 'error', file, line: 1, path: ['config_hash'],
      message: `this journal was written for another configuration (hash ${replay.header.config_hash}; now ${hash})`,
      expected: 'the same jury.yaml, rubrics, transcripts and judges (and --mock or not) as the interrupted run',
      hint: 'start a new run instead of resuming',
    }]);
  }
  return { label: replay.header.label, records: replay.records };
}

export interface AgreementOptions {
  file: string;
  level: Level;
  stats?: StatisticId[];
  ci?: boolean;
  seed?: number;
  resamples?: number;
  /** For a labels file (item,criterion,annotator,score): which criterion. */
  criterion?: string;
}

/** `jury agreement`: agreement statistics on any ratings table (CSV wide or long, or JSONL). */
export async function agreement(opts: AgreementOptions): Promise<{ ratings: Ratings; statistics: Statistic[] }> {
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  const parsed = parseRatings(opts.file, read.text, opts.level, opts.criterion);
  if (!parsed.ok) throw new InputError(parsed.diagnostics);
  const ratings = parsed.value;
  const statistics = agreementSuite(ratings.table, { level: opts.level, raters: ratings.raters, stats: opts.stats, ci: opts.ci, seed: opts.seed, resamples: opts.resamples });
  return { ratings, statistics };
}

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

/** `jury run --gate`: the gates of the run's own config, on the report just written. */
export async function evaluateRunGates(configPath: string, report: Report, overrides: Partial<Gates>, baselinePath?: string): Promise<GateResult> {
  const { gates, baseline } = await resolveGates(configPath, overrides, baselinePath);
  const baseDiff = baseline ? diffReports(await readReport(baseline), report, { significance: gates.significance }) : undefined;
  return evaluateGates(report, gates, baseDiff);
}

/** Human labels from labels files (CSV/JSONL) and from transcripts that carry `labels`. */
export async function loadLabels(files: readonly string[], transcriptFiles: readonly string[] = []): Promise<HumanLabel[]> {
  const labels: HumanLabel[] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of files) {
    const read = await readText(file);
    if (!read.ok) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    const parsed = parseLabels(file, read.text);
    if (parsed.ok) labels.push(...parsed.value);
    else diagnostics.push(...parsed.diagnostics);
  }
  if (transcriptFiles.length) {
    const dataset = await loadDataset([...transcriptFiles]);
    if (dataset.ok) labels.push(...transcriptLabels(dataset.value));
    else diagnostics.push(...dataset.diagnostics);
  }
  if (diagnostics.length) throw new InputError(diagnostics);
  return labels;
}

export interface CalibrateOptions {
  reportPath: string;
  labels: string[];
  transcripts?: string[];
  /** A second report over the same labelled items (another rubric version): which agrees better with people. */
  compare?: string;
  seed?: number;
  resamples?: number;
}

/** `jury calibrate`: judges and panel against human labels, with the human-human ceiling and advice. */
export async function calibrateReport(opts: CalibrateOptions): Promise<{ calibration: Calibration; comparison?: { a: string; b: string; rows: VersionComparison[] } }> {
  const report = await readReport(opts.reportPath);
  const labels = await loadLabels(opts.labels, opts.transcripts);
  if (labels.length === 0) {
    throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.labels[0] ?? opts.reportPath, path: [], message: 'no human labels were found', expected: 'a labels file (--labels) or transcripts with `labels` (--transcripts)' }]);
  }
  const calibration = calibrate(report, labels, { seed: opts.seed, resamples: opts.resamples });
  if (!opts.compare) return { calibration };
  const other = await readReport(opts.compare);
  return { calibration, comparison: { a: report.run.label, b: other.run.label, rows: compareAgainstPeople(report, other, labels) } };
}

export interface ReviewExportOptions extends SelectOptions {
  reportPath: string;
  configPath: string;
  labels?: string[];
  /** Transcripts the report was made from, when not the config's datasets (as with `run --dataset`). */
  datasets?: string[];
  /** .csv, .jsonl, or .json (Label Studio tasks). */
  out: string;
}

/** `jury review export`: the units most worth a person's time, with transcript, criterion, anchors and reasoning. */
export async function reviewExport(opts: ReviewExportOptions): Promise<{ rows: number; reasons: Record<string, number> }> {
  const report = await readReport(opts.reportPath);
  const inputs = await loadInputs(opts.configPath, opts.datasets);
  const labels = opts.labels?.length ? await loadLabels(opts.labels) : transcriptLabels(inputs.transcripts);
  const units = selectForReview(report, labels, opts);
  const rows = reviewRows(units, new Map(inputs.transcripts.map((t) => [t.id, t])), new Map(inputs.rubrics.map((r) => [r.id, r])));
  const text = /\.jsonl$/i.test(opts.out) ? toJsonl(rows) : /\.json$/i.test(opts.out) ? toLabelStudio(rows) : toCsv(rows);
  writeAtomic(opts.out, text);
  const reasons: Record<string, number> = {};
  for (const u of units) for (const r of u.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
  return { rows: rows.length, reasons };
}

export interface ReviewImportOptions {
  file: string;
  labelsPath: string;
  annotator?: string;
  overwrite?: boolean;
}

/** `jury review import`: completed labels into the labels file, validated, conflicts refused, written atomically. */
export async function reviewImport(opts: ReviewImportOptions): Promise<{ added: number; unchanged: number; skipped: number }> {
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  const completed = readCompleted(opts.file, read.text, opts.annotator);
  if (completed.diagnostics.length) throw new InputError(completed.diagnostics);
  const existing = existsSync(opts.labelsPath) ? await loadLabels([opts.labelsPath]) : [];
  const merged = mergeLabels(existing, completed.labels, opts.overwrite);
  if (merged.conflicts.length) {
    throw new InputError(merged.conflicts.map(({ existing: old, incoming }) => ({
      code: 'review/conflict', severity: 'error', file: opts.labelsPath, path: [],
      message: `${incoming.annotator} labelled ${incoming.item} on ${incoming.criterion}${incoming.turn ? ` turn ${incoming.turn}` : ''} as ${JSON.stringify(old.score)} before and ${JSON.stringify(incoming.score)} now`,
      expected: 'one score per annotator and unit', hint: 'nothing was written; use --overwrite to replace the earlier labels',
    })));
  }
  writeAtomic(opts.labelsPath, serializeLabels(opts.labelsPath, merged.labels));
  return { added: merged.added, unchanged: merged.unchanged, skipped: completed.skipped };
}

/** `jury import ab-redial`: AB-ReDial's dialogues as transcripts, its ratings as a labels file, and a rubric. */
export async function importAbRedialFiles(opts: { file: string; outDir: string }): Promise<{ transcripts: number; labels: number; files: string[] }> {
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  const imported = importAbRedial(read.text);
  if ('error' in imported) throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.file, ...(imported.line ? { line: imported.line } : {}), path: [], message: imported.error }]);
  const files = ['ab-redial.jsonl', 'ab-redial-labels.csv', 'ab-redial.rubric.yaml', 'jury.yaml'].map((f) => path.join(opts.outDir, f));
  writeAtomic(files[0]!, imported.transcripts.map((t) => JSON.stringify(t)).join('\n') + '\n');
  writeAtomic(files[1]!, serializeLabels(files[1]!, imported.labels));
  writeAtomic(files[2]!, AB_REDIAL_RUBRIC);
  writeAtomic(files[3]!, `# AB-ReDial, imported by jury: judge it (here with the mock judge) and calibrate against its raters:\n#   jury run --mock -c jury.yaml && jury calibrate reports/ab-redial/report.json --labels ab-redial-labels.csv\nlabel: ab-redial\ndatasets: [ab-redial.jsonl]\nrubrics: [ab-redial.rubric.yaml]\njudges:\n  - { id: judge-a, provider: mock, model: a }\n  - { id: judge-b, provider: mock, model: b }\n  - { id: judge-c, provider: mock, model: c }\n`);
  return { transcripts: imported.transcripts.length, labels: imported.labels.length, files };
}

/** `jury import verdicts`: judgments made elsewhere, reported like a jury run (report.json in <out>/<label>/). */
export async function importVerdictsRun(opts: { file: string; configPath: string; label?: string; outDir?: string }): Promise<{ report: Report; dir: string }> {
  const inputs = await loadInputs(opts.configPath);
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  const imported = importVerdicts(opts.file, read.text, inputs.rubrics);
  if ('diagnostics' in imported) throw new InputError(imported.diagnostics);
  const label = opts.label ?? path.basename(opts.file).replace(/\.jsonl$/i, '');
  const usedRubrics = inputs.rubrics.filter((r) => imported.units.some((u) => u.rubric === r.id));
  const report = buildReport({
    label, configHash: sha256(read.text).slice(0, 16), aggregation: inputs.config.aggregation, rubrics: usedRubrics,
    judges: imported.judges, units: imported.units, records: imported.records,
  });
  const dir = path.resolve(opts.outDir ?? path.resolve(inputs.config.dir, inputs.config.output), label);
  writeJson(path.join(dir, 'report.json'), report);
  return { report, dir };
}
