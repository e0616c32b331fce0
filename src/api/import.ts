import path from 'node:path';
import { InputError } from '../diagnostics/diagnostic.js';
import { sha256 } from '../format/canonical-json.js';
import { buildReport, recordSource } from '../report/build.js';
import { type Report } from '../report/report.js';
import { writeJson } from '../report/write.js';
import { readText } from '../config/read-text.js';
import { serializeLabels } from '../review/import.js';
import { writeAtomic } from '../report/write.js';
import { AB_REDIAL_RUBRIC, importAbRedial } from '../importers/ab-redial.js';
import { importVerdicts } from '../importers/verdicts.js';
import { loadInputs } from './inputs.js';

// `jury import`: data made elsewhere.
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
    judges: imported.judges, units: imported.units, verdicts: recordSource(imported.records, imported.units),
  });
  const dir = path.resolve(opts.outDir ?? path.resolve(inputs.config.dir, inputs.config.output), label);
  writeJson(path.join(dir, 'report.json'), report);
  return { report, dir };
}
