import { readdirSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decodeUtf8 } from '../diagnostics/source.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { sha256 } from '../format/canonical-json.js';
import { buildReport, recordSource } from '../report/build.js';
import { type Report } from '../report/report.js';
import { writeJson } from '../report/write.js';
import { readText, unreadable } from '../config/read-text.js';
import { serializeLabels } from '../review/import.js';
import { writeAtomic } from '../report/write.js';
import { AB_REDIAL_RUBRIC, importAbRedial } from '../importers/ab-redial.js';
import { importVerdicts } from '../importers/verdicts.js';
import { importPairwiseVerdicts } from '../importers/pairwise-verdicts.js';
import { toPairwise } from '../rubric/pairwise.js';
import { CRSARENA_RUBRIC, battlesAsPairs, readCrsDialogues, readCrsVotes, type CrsDialogue, type CrsPair, type Problem } from '../importers/crsarena-dial.js';
import { importOtel } from '../importers/otel.js';
import { importDices } from '../importers/dices.js';
import { readOtlp, type OtlpRecord } from '../importers/otlp.js';
import type { HumanLabel } from '../labels/labels.js';
import { loadInputs, type Inputs } from './inputs.js';

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

/** `jury import dices`: DICES crowd ratings (and the expert file as gold) as labels files for `jury annotators`. */
export async function importDicesFiles(opts: { crowd: string; expert?: string; outDir: string; positionsAreRaters?: boolean }): Promise<{ labels: number; gold: number; files: string[] }> {
  const read = async (file: string, options: Parameters<typeof importDices>[1]) => {
    const text = await readText(file);
    if (!text.ok) throw new InputError(text.diagnostics);
    let value: unknown;
    try {
      value = JSON.parse(text.text);
    } catch (e) {
      throw new InputError([{ code: 'usage/invalid', severity: 'error', file, path: [], message: `not JSON: ${(e as Error).message.split(' in JSON')[0]}` }]);
    }
    const imported = importDices(value, options);
    if ('error' in imported) throw new InputError([{ code: 'usage/invalid', severity: 'error', file, path: [], message: imported.error }]);
    return imported.labels;
  };
  const labels = await read(opts.crowd, { positionsAreRaters: opts.positionsAreRaters });
  const files = [path.join(opts.outDir, 'dices-labels.csv')];
  writeAtomic(files[0]!, serializeLabels(files[0]!, labels));
  let gold: HumanLabel[] = [];
  if (opts.expert) {
    gold = await read(opts.expert, { annotator: 'expert' });
    files.push(path.join(opts.outDir, 'dices-gold.csv'));
    writeAtomic(files[1]!, serializeLabels(files[1]!, gold));
  }
  return { labels: labels.length, gold: gold.length, files };
}

/** `jury import verdicts`: judgments made elsewhere, reported like a jury run (report.json in <out>/<label>/). */
export async function importVerdictsRun(opts: { file: string; configPath: string; label?: string; outDir?: string; pairwise?: { names?: { base: string; candidate: string } } }): Promise<{ report: Report; dir: string }> {
  const inputs = await loadInputs(opts.configPath);
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  if (opts.pairwise) return importPairwiseRun(inputs, read.text, { ...opts, pairwise: opts.pairwise });
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

/** `jury import otel`: OpenTelemetry GenAI traces (OTLP/JSON files) as one transcript per conversation. */
export async function importOtelFiles(opts: { files: string[]; outDir: string }): Promise<{ conversations: number; notes: string[]; file: string }> {
  const records: OtlpRecord[] = [];
  for (const file of opts.files) {
    const text = await readMaybeGzipped(file);
    const read = readOtlp(text);
    if (!read.ok) throw new InputError([{ code: 'usage/invalid', severity: 'error', file, line: read.line, path: [], message: read.message, expected: 'OTLP/JSON as a collector file exporter writes it (resourceSpans or resourceLogs)' }]);
    // Records of later files come after earlier ones at equal times.
    records.push(...read.records.map((r) => ({ ...r, order: r.order + records.length })));
  }
  const imported = importOtel(records);
  if (imported.conversations.length === 0) {
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.files.join(', '), path: [], message: `no GenAI conversation with an assistant reply in ${records.length} spans and log records${imported.notes.length ? ` (${imported.notes.join('; ')})` : ''}`, expected: 'chat spans with gen_ai.input.messages / gen_ai.output.messages, or gen_ai.*.message events (content capture on)' }]);
  }
  const file = path.join(opts.outDir, 'otel.jsonl');
  writeAtomic(file, imported.conversations.map((c) => JSON.stringify(c)).join('\n') + '\n');
  return { conversations: imported.conversations.length, notes: imported.notes, file };
}

/** `jury import crsarena-dial`: dialogues, the users' verdicts as labels, battles as pairs, a rubric and a jury.yaml. */
export async function importCrsArenaFiles(opts: { paths: string[]; outDir: string }): Promise<{ dialogues: number; labels: number; pairs: number; unmatched: number; unjudgeable: number; files: string[] }> {
  const inputs = opts.paths.flatMap((p) => (isFolder(p) ? readdirSync(p).filter((f) => /^(crs_arena_dial_.*\.json|votes_.*\.csv)$/.test(f)).sort().map((f) => path.join(p, f)) : [p]));
  const settingOf = (file: string) => /_([a-z0-9-]+)\.(json|csv)(\.gz)?$/i.exec(path.basename(file))?.[1] ?? 'default';
  const dialogues: CrsDialogue[] = [];
  const labels: HumanLabel[] = [];
  const fail = (problem: Problem) => new InputError([{ code: 'usage/invalid', severity: 'error', file: problem.file, ...(problem.line ? { line: problem.line } : {}), path: problem.path, message: problem.message, ...(problem.expected ? { expected: problem.expected } : {}) }]);
  const byId = new Map<string, string>();
  let unjudgeable = 0;
  for (const file of inputs.filter((f) => /\.json(\.gz)?$/i.test(f))) {
    const text = await readMaybeGzipped(file);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      throw fail({ file, path: [], message: 'not valid JSON', expected: 'crs_arena_dial_<setting>.json as released' });
    }
    const read = readCrsDialogues(file, settingOf(file), value);
    if ('message' in read) throw fail(read);
    for (const d of read.dialogues) {
      if (byId.has(d.id)) throw fail({ file, path: [], message: `dialogue \`${d.id}\` is also in ${byId.get(d.id)}`, expected: 'each dialogue once' });
      byId.set(d.id, file);
    }
    dialogues.push(...read.dialogues);
    labels.push(...read.labels);
    unjudgeable += read.unjudgeable;
  }
  if (dialogues.length === 0) throw fail({ file: opts.paths.join(', '), path: [], message: 'no dialogues file given', expected: 'the data folder, or crs_arena_dial_<setting>.json files (with votes_<setting>.csv for pairs)' });
  const pairs: CrsPair[] = [];
  let unmatched = 0;
  for (const file of inputs.filter((f) => /\.csv(\.gz)?$/i.test(f))) {
    const read = readCrsVotes(file, settingOf(file), await readMaybeGzipped(file), new Set(byId.keys()));
    if ('message' in read) throw fail(read);
    pairs.push(...read.pairs);
    unmatched += read.unmatched;
  }
  const files = ['crsarena-dial.jsonl', 'crsarena-dial-labels.csv', 'crsarena-dial-pairs.jsonl', 'crsarena-dial.rubric.yaml', 'jury.yaml', 'crsarena-dial-first.jsonl', 'crsarena-dial-second.jsonl', 'crsarena-dial-pair-votes.csv', 'jury-pairwise.yaml'].map((f) => path.join(opts.outDir, f));
  writeAtomic(files[0]!, dialogues.map((d) => JSON.stringify(d)).join('\n') + '\n');
  writeAtomic(files[1]!, serializeLabels(files[1]!, labels));
  writeAtomic(files[2]!, pairs.map((p) => JSON.stringify(p)).join('\n') + (pairs.length ? '\n' : ''));
  writeAtomic(files[3]!, CRSARENA_RUBRIC);
  writeAtomic(files[4]!, `# CRSArena-Dial, imported by jury: judge it (here with the mock judge) and calibrate against the users' own verdicts:\n#   jury run --mock -c jury.yaml && jury calibrate reports/crsarena-dial/report.json --labels crsarena-dial-labels.csv\nlabel: crsarena-dial\ndatasets: [crsarena-dial.jsonl]\nrubrics: [crsarena-dial.rubric.yaml]\njudges:\n  - { id: judge-a, provider: mock, model: a }\n  - { id: judge-b, provider: mock, model: b }\n  - { id: judge-c, provider: mock, model: c }\n`);
  // The battles as pairwise items: the dialogue the user met first against the second, with the user's own vote.
  const sides = battlesAsPairs(pairs, new Map(dialogues.map((d) => [d.id, d])));
  writeAtomic(files[5]!, sides.first.map((d) => JSON.stringify(d)).join('\n') + (sides.first.length ? '\n' : ''));
  writeAtomic(files[6]!, sides.second.map((d) => JSON.stringify(d)).join('\n') + (sides.second.length ? '\n' : ''));
  writeAtomic(files[7]!, serializeLabels(files[7]!, sides.votes));
  writeAtomic(files[8]!, `# CRSArena-Dial's battles judged head to head: in each, the dialogue the user met first (\`first\`) against the second.\n# Judge them (here with the mock judge) and calibrate against the users' own votes:\n#   jury run --mock -c jury-pairwise.yaml && jury calibrate reports/crsarena-dial-pairwise/report.json --labels crsarena-dial-pair-votes.csv\nlabel: crsarena-dial-pairwise\npairwise:\n  base: [crsarena-dial-first.jsonl]\n  candidate: [crsarena-dial-second.jsonl]\n  names: { base: first, candidate: second }\nrubrics: [crsarena-dial.rubric.yaml]\njudges:\n  - { id: judge-a, provider: mock, model: a }\n  - { id: judge-b, provider: mock, model: b }\n  - { id: judge-c, provider: mock, model: c }\n`);
  return { dialogues: dialogues.length, labels: labels.length, pairs: pairs.length, unmatched, unjudgeable, files };
}

async function readMaybeGzipped(file: string): Promise<string> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    throw new InputError([unreadable(file, error)]);
  }
  if (/\.gz$/i.test(file)) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new InputError([{ code: 'file/encoding', severity: 'error', file, path: [], message: `not a readable gzip file (${(error as Error).message})` }]);
    }
  }
  const decoded = decodeUtf8(file, bytes);
  if (!decoded.ok) throw new InputError([decoded.diagnostic]);
  return decoded.text.replace(/^\uFEFF/, '');
}

function isFolder(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/** `jury import verdicts --pairwise`: pairwise verdicts made elsewhere as a pairwise report (format v2). */
function importPairwiseRun(inputs: Inputs, text: string, opts: { file: string; configPath: string; label?: string; outDir?: string; pairwise: { names?: { base: string; candidate: string } } }): { report: Report; dir: string } {
  const rubrics = inputs.rubrics.filter((r) => r.scope !== 'assistant_turn').map(toPairwise);
  const names = opts.pairwise.names ?? { base: 'base', candidate: 'candidate' };
  const imported = importPairwiseVerdicts(opts.file, text, rubrics, names);
  if ('diagnostics' in imported) throw new InputError(imported.diagnostics);
  const label = opts.label ?? path.basename(opts.file).replace(/\.jsonl$/i, '');
  const usedRubrics = rubrics.filter((r) => imported.units.some((u) => u.rubric === r.id));
  const both = new Set(imported.units.filter((u) => u.order === 'ba').map((u) => `${u.item}\u0000${u.rubric}/${u.criterion}`));
  const orders = imported.combined ? 'imported' : imported.units.every((u) => both.has(`${u.item}\u0000${u.rubric}/${u.criterion}`)) ? 'both' : 'one';
  const report = buildReport({
    label, configHash: sha256(text).slice(0, 16), aggregation: inputs.config.aggregation, rubrics: usedRubrics,
    judges: imported.judges, units: imported.units, verdicts: recordSource(imported.records, imported.units),
    pairwise: { names, orders, seed: 0 },
  });
  const dir = path.resolve(opts.outDir ?? path.resolve(inputs.config.dir, inputs.config.output), label);
  writeJson(path.join(dir, 'report.json'), report);
  return { report, dir };
}
