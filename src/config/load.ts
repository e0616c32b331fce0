import { statSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { checkSource } from '../diagnostics/check.js';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { parseSource, type SourceDoc } from '../diagnostics/source.js';
import { ConfigSchema, type Config, type TranscriptFormat } from './config.js';
import { readText } from './read-text.js';

export interface ResolvedConfig {
  config: Config;
  rubricFiles: string[];
  /** Every dataset file, once, sorted, with the format named for it in jury.yaml (auto when none). */
  datasetFiles: { file: string; format: TranscriptFormat | 'auto' }[];
  /** Where a field of jury.yaml is, for diagnostics found later (a judge's missing key). */
  locate: SourceDoc['locate'];
  /** A pairwise run: each side's files (resolved like `datasets`), the names of the sides, how pairs are ordered. */
  pairwise?: ResolvedPairwise;
}

export interface ResolvedPairwise {
  base: ResolvedConfig['datasetFiles'];
  candidate: ResolvedConfig['datasetFiles'];
  names: { base: string; candidate: string };
  orders: 'both' | 'one';
  seed: number;
}

/** `--pairwise <base> <candidate>`: globs relative to the current folder, replacing jury.yaml's `pairwise` sides. */
export interface PairwiseOverride {
  base: string;
  candidate: string;
}

/** Reads jury.yaml, validates it, and expands its globs relative to the config file's folder. */
export async function loadConfig(file: string, datasetsOverride?: string[], pairwiseOverride?: PairwiseOverride): Promise<Loaded<ResolvedConfig>> {
  const read = await readText(file);
  if (!read.ok) {
    const diagnostic = read.diagnostics[0];
    if (diagnostic?.message === 'file not found') {
      return { ok: false, diagnostics: [{ ...diagnostic, code: 'config/not-found', message: 'config file not found', hint: 'pass --config <file>, or run where jury.yaml is' }] };
    }
    return read;
  }
  const parsed = parseSource(file, read.text);
  if (!parsed.ok) return parsed;
  const checked = checkSource(ConfigSchema, parsed.doc, { invalid: 'config/invalid', unknownKey: 'config/unknown-key' });
  if (!checked.ok) return checked;
  const dir = path.dirname(path.resolve(file));
  const config: Config = { ...checked.value, file, dir };
  config.judges = config.judges.map((judge) => (judge.model_path ? { ...judge, model_path: resolveModelPath(judge.model_path, dir) } : judge));
  const diagnostics = [...duplicateJudges(config, parsed.doc), ...unreachableQuorum(config, parsed.doc), ...missingModels(config, parsed.doc)];
  const rubricFiles = await expand(config.rubrics, 'rubrics', dir, parsed.doc, diagnostics);
  const pairwise = await resolvePairwise(config, dir, parsed.doc, diagnostics, pairwiseOverride);
  if (!pairwise && !config.datasets && !datasetsOverride) {
    diagnostics.push({ code: 'config/invalid', severity: 'error', file: parsed.doc.file, path: ['datasets'], message: 'no `datasets` to judge', expected: 'a list of transcript files or globs (or a `pairwise:` section naming a base and a candidate)' });
  }
  const datasetFiles = pairwise ? [] : datasetsOverride ? (await expandFlag(datasetsOverride, diagnostics)).map((file) => ({ file, format: 'auto' as const })) : await expandDatasets(config.datasets ?? [], dir, parsed.doc, diagnostics, 'datasets');
  if (diagnostics.length) return { ok: false, diagnostics };
  return { ok: true, value: { config, rubricFiles, datasetFiles, locate: parsed.doc.locate, ...(pairwise ? { pairwise } : {}) }, warnings: [] };
}

/** The pairwise sides from jury.yaml, or from `--pairwise` (which keeps the section's orders and seed). */
async function resolvePairwise(config: Config, dir: string, doc: SourceDoc, diagnostics: Diagnostic[], override?: PairwiseOverride): Promise<ResolvedPairwise | undefined> {
  const section = config.pairwise;
  if (!section && !override) return undefined;
  const side = async (which: 'base' | 'candidate') => override
    ? (await expandFlag([override[which]], diagnostics, '--pairwise')).map((file) => ({ file, format: 'auto' as const }))
    : expandDatasets(section![which], dir, doc, diagnostics, `pairwise.${which}`);
  const base = await side('base');
  const candidate = await side('candidate');
  const patternOf = (which: 'base' | 'candidate') => override?.[which] ?? patternText(section![which][0]!);
  const named = override ? undefined : section?.names;
  const names = named ?? defaultNames(patternOf('base'), patternOf('candidate'));
  return { base, candidate, names, orders: section?.orders ?? 'both', seed: section?.seed ?? 0 };
}

function patternText(entry: NonNullable<Config['datasets']>[number]): string {
  return typeof entry === 'string' ? entry : entry.path;
}

/** A side's name from its first pattern: `datasets/v2.jsonl` → v2, `runs/v2/*.jsonl` → v2; base and candidate when those clash. */
export function defaultNames(base: string, candidate: string): { base: string; candidate: string } {
  const nameOf = (pattern: string) => {
    const parts = pattern.split(/[\\/]/).filter((p) => p !== '' && p !== '.');
    const last = parts.at(-1) ?? '';
    const stem = /[*?[{]/.test(last) ? parts.at(-2) ?? '' : last.replace(/(\.(jsonl|json|ya?ml|gz))+$/i, '');
    return stem.replace(/[^A-Za-z0-9_.-]/g, '-').replace(/^[^A-Za-z0-9]+/, '');
  };
  const a = nameOf(base);
  const b = nameOf(candidate);
  return a && b && a !== b ? { base: a, candidate: b } : { base: 'base', candidate: 'candidate' };
}

/** `~/models/x.gguf` from the home folder; a relative path from the config's folder, like every path in it. */
export function resolveModelPath(modelPath: string, dir: string): string {
  if (modelPath === '~' || modelPath.startsWith('~/')) return path.join(homedir(), modelPath.slice(1));
  return path.resolve(dir, modelPath);
}

/** A local judge's model file must be there before anything runs: found now, not after the first paid call. */
function missingModels(config: Config, doc: SourceDoc): Diagnostic[] {
  const out: Diagnostic[] = [];
  config.judges.forEach((judge, index) => {
    if (!judge.model_path) return;
    let problem: string | undefined;
    try {
      if (!statSync(judge.model_path).isFile()) problem = 'is a folder, not a model file';
    } catch {
      problem = 'does not exist';
    }
    if (!problem) return;
    const where = doc.locate(['judges', index, 'model_path']);
    out.push({ code: 'config/invalid', severity: 'error', file: doc.file, ...(where ?? {}), path: ['judges', index, 'model_path'], message: `judge \`${judge.id}\`: ${judge.model_path} ${problem}`, expected: 'the path of a GGUF model file (relative to this config, or ~/…)' });
  });
  return out;
}

function duplicateJudges(config: Config, doc: SourceDoc): Diagnostic[] {
  const seen = new Set<string>();
  const out: Diagnostic[] = [];
  config.judges.forEach((judge, index) => {
    if (seen.has(judge.id)) {
      const where = doc.locate(['judges', index, 'id']);
      out.push({ code: 'config/invalid', severity: 'error', file: doc.file, ...(where ?? {}), path: ['judges', index, 'id'], message: `judge id \`${judge.id}\` is used twice`, expected: 'a distinct id per judge' });
    }
    seen.add(judge.id);
  });
  return out;
}

/** A quorum larger than the panel can never be met: every unit would be unscored. Silently clamping it hid that. */
function unreachableQuorum(config: Config, doc: SourceDoc): Diagnostic[] {
  const quorum = config.aggregation.quorum;
  if (typeof quorum !== 'number' || quorum <= config.judges.length) return [];
  const where = doc.locate(['aggregation', 'quorum']);
  return [{ code: 'config/invalid', severity: 'error', file: doc.file, ...(where ?? {}), path: ['aggregation', 'quorum'], message: `quorum ${quorum} needs more judges than the panel has (${config.judges.length})`, expected: `a number from 1 to ${config.judges.length}, \`majority\` or \`all\`` }];
}

async function expand(patterns: string[], key: string, dir: string, doc: SourceDoc, diagnostics: Diagnostic[], at: (index: number) => (string | number)[] = (index) => [key, index]): Promise<string[]> {
  const files = new Set<string>();
  for (const [index, pattern] of patterns.entries()) {
    const matched = await glob(pattern, { cwd: dir, absolute: true, onlyFiles: true, expandDirectories: false });
    if (matched.length === 0) {
      const where = doc.locate(at(index));
      const folder = isFolder(path.resolve(dir, pattern));
      diagnostics.push({ code: 'config/no-match', severity: 'error', file: doc.file, ...(where ?? {}), path: at(index), message: folder ? `\`${pattern}\` is a folder, not a file` : `\`${pattern}\` matches no file`, expected: `a glob relative to ${path.relative(process.cwd(), dir) || '.'}`, ...(folder ? { hint: `name its files with a glob, e.g. \`${pattern.replace(/\/$/, '')}/**/*.jsonl\`` } : {}) });
    }
    for (const match of matched) files.add(path.normalize(match));
  }
  // Sorted so that the plan, and so the journal and report, do not depend on the file system's order.
  return [...files].sort();
}

/** The config's datasets with their formats; a file two entries match is read once, in the first one's format. */
async function expandDatasets(entries: NonNullable<Config['datasets']>, dir: string, doc: SourceDoc, diagnostics: Diagnostic[], key: string): Promise<ResolvedConfig['datasetFiles']> {
  const formats = new Map<string, TranscriptFormat | 'auto'>();
  const keyPath = key.split('.');
  for (const [index, entry] of entries.entries()) {
    const { pattern, format, at } = typeof entry === 'string' ? { pattern: entry, format: 'auto' as const, at: [...keyPath, index] } : { pattern: entry.path, format: entry.format, at: [...keyPath, index, 'path'] };
    for (const file of await expand([pattern], key, dir, doc, diagnostics, () => at)) if (!formats.has(file)) formats.set(file, format);
  }
  return [...formats.keys()].sort().map((file) => ({ file, format: formats.get(file)! }));
}

function isFolder(candidate: string): boolean {
  try {
    return statSync(candidate).isDirectory();
  } catch {
    return false;
  }
}

/** Dataset globs given on the command line (`jury view --dataset`), relative to the current folder. */
export async function expandDatasetFlag(patterns: string[]): Promise<{ files: string[]; diagnostics: Diagnostic[] }> {
  const diagnostics: Diagnostic[] = [];
  return { files: await expandFlag(patterns, diagnostics), diagnostics };
}

/** `--dataset` globs, relative to the current folder rather than the config's. */
async function expandFlag(patterns: string[], diagnostics: Diagnostic[], flag = '--dataset'): Promise<string[]> {
  const files = new Set<string>();
  for (const pattern of patterns) {
    const matched = await glob(pattern, { cwd: process.cwd(), absolute: true, onlyFiles: true, expandDirectories: false });
    if (matched.length === 0) diagnostics.push({ code: 'config/no-match', severity: 'error', file: flag, path: [], message: isFolder(path.resolve(pattern)) ? `\`${pattern}\` is a folder, not a file` : `\`${pattern}\` matches no file`, expected: 'a glob relative to the current folder' });
    for (const match of matched) files.add(path.normalize(match));
  }
  return [...files].sort();
}
