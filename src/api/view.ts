import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { calibrate } from '../calibrate/calibrate.js';
import { expandDatasetFlag, loadConfig } from '../config/load.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { diffReports } from '../diff/diff.js';
import { readReport } from '../report/read.js';
import type { Report } from '../report/report.js';
import { writeAtomic } from '../report/write.js';
import { renderHtmlReport, type HtmlInput } from '../render/html/page.js';
import type { RunFacts } from '../render/html/sections.js';
import { loadDataset } from '../transcript/load.js';
import type { Transcript } from '../transcript/transcript.js';
import { loadLabels } from './labels.js';

export interface ViewOptions {
  reportPath: string;
  baselinePath?: string;
  labels?: string[];
  /** The transcripts the report judged (globs); default: the datasets of `configPath` when it exists. */
  datasets?: string[];
  /** The baseline's transcripts, for its side of a comparison; default: the report's. */
  baselineDatasets?: string[];
  configPath?: string;
  /** Default: report.html beside the report. */
  out?: string;
}

/** `jury view`: one self-contained HTML file of a report (with its diff against a baseline, and calibration). */
export async function viewReport(opts: ViewOptions): Promise<{ file: string; transcripts: number; notes: string[] }> {
  const report = await readReport(opts.reportPath);
  const notes: string[] = [];
  const transcripts = await transcriptsFor(report, opts.datasets, opts.configPath, notes, 'the report');
  let baseline: HtmlInput['baseline'];
  if (opts.baselinePath) {
    const base = await readReport(opts.baselinePath);
    const diff = diffReports(base, report);
    const baseTranscripts = opts.baselineDatasets ? await transcriptsFor(base, opts.baselineDatasets, undefined, notes, 'the baseline') : transcripts;
    baseline = { report: base, diff, transcripts: baseTranscripts };
  }
  const calibration = opts.labels?.length ? calibrate(report, await loadLabels(opts.labels)) : undefined;
  const file = path.resolve(opts.out ?? path.join(path.dirname(opts.reportPath), 'report.html'));
  const html = renderHtmlReport({ report, run: runFacts(path.join(path.dirname(opts.reportPath), 'run.json')), transcripts, ...(baseline ? { baseline } : {}), ...(calibration ? { calibration } : {}), source: path.basename(opts.reportPath) });
  writeAtomic(file, html);
  return { file, transcripts: transcripts.size, notes };
}

/** The transcripts of a report's items, from globs or the config's datasets; a few missing ones are said, not fatal. */
async function transcriptsFor(report: Report, datasets: string[] | undefined, configPath: string | undefined, notes: string[], whose: string): Promise<Map<string, Transcript>> {
  let files: readonly (string | { file: string; format: 'auto' | 'openai-chat' | 'anthropic' | 'responses' })[] = [];
  if (datasets?.length) {
    const expanded = await expandDatasetFlag(datasets);
    if (expanded.diagnostics.length) throw new InputError(expanded.diagnostics);
    files = expanded.files;
  } else if (configPath && existsSync(configPath)) {
    const loaded = await loadConfig(configPath);
    if (!loaded.ok) throw new InputError(loaded.diagnostics);
    files = loaded.value.datasetFiles;
  }
  if (files.length === 0) {
    notes.push(`no transcripts for ${whose}: the page shows verdicts without conversations (give --dataset, or -c jury.yaml)`);
    return new Map();
  }
  const loaded = await loadDataset(files);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  const wanted = new Set(report.items.map((i) => i.id));
  const map = new Map(loaded.value.filter((t) => wanted.has(t.id)).map((t) => [t.id, t]));
  const missing = report.items.length - map.size;
  if (missing > 0) notes.push(`${missing} of ${report.items.length} items of ${whose} have no transcript in the datasets given (another --dataset?)`);
  return map;
}

function runFacts(file: string): RunFacts | undefined {
  try {
    const value = JSON.parse(readFileSync(file, 'utf8')) as RunFacts;
    return value && typeof value === 'object' && value.judges && typeof value.judges === 'object' ? value : undefined;
  } catch {
    return undefined;
  }
}
