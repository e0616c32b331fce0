import { existsSync } from 'node:fs';
import { InputError } from '../diagnostics/diagnostic.js';
import { loadDataset } from '../transcript/load.js';
import { parseEach, readText } from '../config/read-text.js';
import { readReport } from '../report/read.js';
import type { Report } from '../report/report.js';
import { calibrate, type Calibration } from '../calibrate/calibrate.js';
import { combinedReport, sideLabels } from '../calibrate/pairwise-report.js';
import type { ConsensusMethod } from '../annotators/consensus.js';
import { compareAgainstPeople, type VersionComparison } from '../calibrate/compare.js';
import { parseLabels, transcriptLabels, type HumanLabel } from '../labels/labels.js';
import { selectForReview, type SelectOptions } from '../review/select.js';
import { reviewRows, toCsv, toJsonl, toLabelStudio } from '../review/export.js';
import { mergeLabels, readCompleted, serializeLabels } from '../review/import.js';
import { writeAtomic } from '../report/write.js';
import { loadInputs } from './inputs.js';

// Human labels: `jury calibrate` and `jury review`.
export async function loadLabels(files: readonly string[], transcriptFiles: readonly string[] = []): Promise<HumanLabel[]> {
  const { values: labels, diagnostics } = await parseEach(files, parseLabels);
  if (transcriptFiles.length) {
    const dataset = await loadDataset([...transcriptFiles]);
    if (dataset.ok) labels.push(...transcriptLabels(dataset.value));
    else diagnostics.push(...dataset.diagnostics);
  }
  if (diagnostics.length) throw new InputError(diagnostics);
  return labels;
}

/** Advice and review picks drawn from mock scores mean nothing about the judges; every output says so. */
function simulatedWarnings(reports: readonly Report[]): string[] {
  return reports.filter((r) => r.simulated).map((r) => `SIMULATED: report ${r.run.label} was made with the mock judge (no model was asked); its agreement with people, and any advice drawn from it, say nothing about real judges`);
}

export interface CalibrateOptions {
  reportPath: string;
  labels: string[];
  transcripts?: string[];
  /** A second report over the same labelled items (another rubric version): which agrees better with people. */
  compare?: string;
  seed?: number;
  resamples?: number;
  /** The human reference: majority, median or Dawid–Skene (default: median on numeric scales, most frequent label otherwise). */
  consensus?: ConsensusMethod;
}

/** `jury calibrate`: judges and panel against human labels, with the human-human ceiling and advice. */
export async function calibrateReport(opts: CalibrateOptions): Promise<{ calibration: Calibration; comparison?: { a: string; b: string; rows: VersionComparison[] }; warnings: string[] }> {
  const report = await readReport(opts.reportPath);
  const warnings = simulatedWarnings([report]);
  const labels = await loadLabels(opts.labels, opts.transcripts);
  if (labels.length === 0) {
    throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.labels[0] ?? opts.reportPath, path: [], message: 'no human labels were found', expected: 'a labels file (--labels) or transcripts with `labels` (--transcripts)' }]);
  }
  if (report.pairwise) return { calibration: calibratePairwise(report, labels, opts), warnings };
  const calibration = calibrate(report, labels, { seed: opts.seed, resamples: opts.resamples, consensus: opts.consensus });
  if (!opts.compare) return { calibration, warnings };
  const other = await readReport(opts.compare);
  return { calibration, comparison: { a: report.run.label, b: other.run.label, rows: compareAgainstPeople(report, other, labels) }, warnings: simulatedWarnings([report, other]) };
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
export async function reviewExport(opts: ReviewExportOptions): Promise<{ rows: number; reasons: Record<string, number>; warnings: string[] }> {
  if (!/\.(csv|jsonl|json)$/i.test(opts.out)) {
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.out, path: [], message: 'unknown review file type: the extension picks the format', expected: '.csv, .jsonl, or .json (Label Studio tasks)' }]);
  }
  const report = await readReport(opts.reportPath);
  const inputs = await loadInputs(opts.configPath, opts.datasets);
  const labels = opts.labels?.length ? await loadLabels(opts.labels) : transcriptLabels(inputs.transcripts);
  const units = selectForReview(report, labels, opts);
  const rows = reviewRows(units, new Map(inputs.transcripts.map((t) => [t.id, t])), new Map(inputs.rubrics.map((r) => [r.id, r])));
  const text = /\.jsonl$/i.test(opts.out) ? toJsonl(rows) : /\.json$/i.test(opts.out) ? toLabelStudio(rows) : toCsv(rows);
  writeAtomic(opts.out, text);
  const reasons: Record<string, number> = {};
  for (const u of units) for (const r of u.reasons) reasons[r] = (reasons[r] ?? 0) + 1;
  return { rows: rows.length, reasons, warnings: simulatedWarnings([report]) };
}

export interface ReviewImportOptions {
  file: string;
  labelsPath: string;
  annotator?: string;
  overwrite?: boolean;
  /** Every label read is an adjudicated final answer, not a vote. */
  adjudicated?: boolean;
}

/** `jury review import`: completed labels into the labels file, validated, conflicts refused, written atomically. */
export async function reviewImport(opts: ReviewImportOptions): Promise<{ added: number; unchanged: number; skipped: number }> {
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  const completed = readCompleted(opts.file, read.text, opts.annotator, opts.adjudicated);
  if (completed.diagnostics.length) throw new InputError(completed.diagnostics);
  const existing = existsSync(opts.labelsPath) ? await loadLabels([opts.labelsPath]) : [];
  const merged = mergeLabels(existing, completed.labels, opts.overwrite);
  if (merged.conflicts.length) {
    throw new InputError(merged.conflicts.map(({ existing: old, incoming }) => ({
      code: 'review/conflict', severity: 'error', file: opts.labelsPath, path: [],
      message: incoming.adjudicated
        ? `${incoming.item} on ${incoming.criterion}${incoming.turn ? ` turn ${incoming.turn}` : ''} was adjudicated as ${JSON.stringify(old.score)} (by ${old.annotator}) before and ${JSON.stringify(incoming.score)} (by ${incoming.annotator}) now`
        : `${incoming.annotator} labelled ${incoming.item} on ${incoming.criterion}${incoming.turn ? ` turn ${incoming.turn}` : ''} as ${JSON.stringify(old.score)} before and ${JSON.stringify(incoming.score)} now`,
      expected: incoming.adjudicated ? 'one adjudicated answer per unit' : 'one score per annotator and unit', hint: 'nothing was written; use --overwrite to replace the earlier labels',
    })));
  }
  writeAtomic(opts.labelsPath, serializeLabels(opts.labelsPath, merged.labels));
  return { added: merged.added, unchanged: merged.unchanged, skipped: completed.skipped };
}

/** `jury import ab-redial`: AB-ReDial's dialogues as transcripts, its ratings as a labels file, and a rubric. */

/**
 * A pairwise report against people's pairwise votes: each judge's combined verdict (both orders) and the panel's
 * winner, against votes naming a side, with per-vote agreement and the human–human ceiling, ties kept and removed.
 */
function calibratePairwise(report: Report, given: HumanLabel[], opts: CalibrateOptions): Calibration {
  const pw = report.pairwise!;
  if (opts.compare) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.compare, path: [], message: '--compare is for two pointwise reports; this one is pairwise', expected: 'jury calibrate <pairwise report> --labels <votes>' }]);
  const { labels, positional } = sideLabels(given, pw);
  if (positional.length) {
    const first = positional[0]!;
    throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.labels[0] ?? opts.reportPath, path: ['score'], message: `${positional.length} vote(s) say A or B (e.g. item ${first.item}, ${first.annotator}): a position, which depends on the order each person saw the pair in`, expected: `the side the person preferred: ${pw.base} or ${pw.candidate} (or base / candidate), or tie` }]);
  }
  return calibrate(combinedReport(report), labels, { seed: opts.seed, resamples: opts.resamples, consensus: opts.consensus });
}
