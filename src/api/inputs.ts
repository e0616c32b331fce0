import type { JudgeConfig } from '../config/config.js';
import { loadConfig, type PairwiseOverride, type ResolvedConfig, type ResolvedPairwise } from '../config/load.js';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { canonicalJson, sha256 } from '../format/canonical-json.js';
import { contextBudgetProblems } from '../judges/context-budget.js';
import { buildPlan, planItems, type Plan } from '../plan/plan.js';
import { loadRubrics } from '../rubric/load.js';
import type { Rubric } from '../rubric/rubric.js';
import { loadDataset, streamDataset, transcriptDigest, type Dataset } from '../transcript/load.js';
import type { Transcript } from '../transcript/transcript.js';
import { conversationLength, type PairedDataset } from '../transcript/pairs.js';
import type { ReportInput } from '../report/build.js';
import { loadPairs } from './pairwise-inputs.js';

// Loading and checking what a run reads; the identity of a configuration.
export interface Inputs extends ResolvedConfig {
  rubrics: Rubric[];
  transcripts: Transcript[];
  /** How many transcripts were read in each format. */
  formats: Record<string, number>;
  /** What the dataset's files hold that jury read past (one note per file and kind). */
  notes: Diagnostic[];
}

/** Loads and checks the config, every rubric and every transcript; throws one InputError with all problems. */
export async function loadInputs(configPath: string, datasets?: string[], onConfig?: (config: ResolvedConfig) => void): Promise<Inputs> {
  const loaded = await loadConfig(configPath, datasets);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  onConfig?.(loaded.value);
  const [rubrics, dataset] = await Promise.all([loadRubrics(loaded.value.rubricFiles), loadDataset(loaded.value.datasetFiles)]);
  const diagnostics: Diagnostic[] = [...(rubrics.ok ? [] : rubrics.diagnostics), ...(dataset.ok ? [] : dataset.diagnostics)];
  if (!rubrics.ok || !dataset.ok) throw new InputError(diagnostics);
  return { ...loaded.value, rubrics: rubrics.value, transcripts: dataset.value, formats: dataset.formats ?? {}, notes: dataset.warnings };
}

export interface ValidateResult {
  inputs: Inputs;
  plan: Plan;
  /** A pairwise configuration: how many scenarios both sides played, and what was said about the rest. */
  pairs?: { matched: number; base: { name: string; transcripts: number; only: number }; candidate: { name: string; transcripts: number; only: number }; notices: string[] };
}

/** `jury validate`: everything a run would read, checked, and the plan it would make; no model is called. */
export async function validate(opts: { configPath: string; datasets?: string[]; pairwise?: PairwiseOverride }): Promise<ValidateResult> {
  const config = await loadConfig(opts.configPath, opts.datasets, opts.pairwise);
  if (config.ok && config.value.pairwise) return validatePairs(opts);
  const inputs = await loadInputs(opts.configPath, opts.datasets);
  const tooLong = contextBudgetProblems(inputs.transcripts, inputs.rubrics, inputs.config.judges);
  if (tooLong.length) throw new InputError(tooLong);
  return { inputs, plan: buildPlan(planItems(inputs.transcripts), inputs.rubrics, inputs.config.judges) };
}


/** `jury validate` of a pairwise configuration: both sides streamed and matched, the plan of both orders. */
async function validatePairs(opts: { configPath: string; datasets?: string[]; pairwise?: PairwiseOverride }): Promise<ValidateResult> {
  const run = await loadRunInputs(opts.configPath, opts.datasets, (config) => config.judges, undefined, opts.pairwise);
  try {
    const pairs = run.pairs!;
    const names = run.pairwise!.names;
    const plan = buildPlan(run.dataset.entries, run.rubrics, run.config.judges, run.pairwise);
    const inputs: Inputs = { ...run, transcripts: [], formats: {}, notes: [...run.dataset.notes] };
    return {
      inputs, plan,
      pairs: {
        matched: pairs.entries.length,
        base: { name: names.base, transcripts: pairs.entries.length + pairs.baseOnly.length, only: pairs.baseOnly.length },
        candidate: { name: names.candidate, transcripts: pairs.entries.length + pairs.candidateOnly.length, only: pairs.candidateOnly.length },
        notices: run.notices,
      },
    };
  } finally {
    run.dataset.close();
  }
}

/**
 * Identity of what is judged and how: judges (their settings, never keys), rubrics, the content of every
 * transcript (by digest, in id order) and aggregation. A journal written under another hash is refused on
 * resume, and shards of different configurations are not merged.
 */
export function configHash(inputs: Pick<Inputs, 'config' | 'rubrics'> & { digests: readonly string[]; pairwise?: ResolvedPairwise }, judges: readonly JudgeConfig[]): string {
  const rubrics = inputs.rubrics.map(({ file: _file, ...rest }) => rest);
  // Resamples shape only the report's intervals, not a verdict: a journal can be resumed and reported with more.
  const { method, quorum } = inputs.config.aggregation;
  // A pairwise run is also defined by which side is which and how pairs are ordered (its digests pair both sides).
  const pairwise = inputs.pairwise ? { pairwise: { names: inputs.pairwise.names, orders: inputs.pairwise.orders, seed: inputs.pairwise.seed } } : {};
  // A local model counts by its weights (model_file's SHA-256), not by where the file lies on this machine.
  const panel = judges.map(({ model_path: _where, ...judge }) => judge);
  return sha256(canonicalJson({ judges: panel, rubrics, transcripts: inputs.digests, aggregation: { method, quorum }, ...pairwise })).slice(0, 16);
}

/** The digests configHash takes, for transcripts held in memory (sorted by id, as loaded). */
export function digestsOf(transcripts: readonly Transcript[]): string[] {
  return transcripts.map(transcriptDigest);
}

/** What a run judges, one entry per plan item: transcripts, or pairs of them (pairs.ts). */
export type JudgedSet = Pick<Dataset, 'get' | 'close'> & { readonly entries: readonly { id: string; digest: string; turns: number[] }[]; readonly notes: readonly Diagnostic[] };

/** What `jury run` reads: the dataset as a stream (entries and digests kept, texts read back when judged). */
export interface RunInputs extends ResolvedConfig {
  rubrics: Rubric[];
  dataset: JudgedSet;
  /** Set for a pairwise run: the same object as `dataset`, with the pairs; the rubrics are then asked pairwise. */
  pairs?: PairedDataset;
  /** What the run should say before it starts (unmatched ids, rubrics a pairwise run leaves out). */
  notices: string[];
}

/**
 * Loads the config, the rubrics and the dataset for a run, checking every transcript against the judges'
 * context budgets as it streams past. `judgesOf` names the judges that will run (the mock ones for --mock);
 * `onConfig` is told the config as soon as it is read.
 */
export async function loadRunInputs(configPath: string, datasets: string[] | undefined, judgesOf: (config: ResolvedConfig['config']) => JudgeConfig[], onConfig?: (config: ResolvedConfig) => void, pairwise?: PairwiseOverride): Promise<RunInputs> {
  const loaded = await loadConfig(configPath, datasets, pairwise);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  onConfig?.(loaded.value);
  const rubrics = await loadRubrics(loaded.value.rubricFiles);
  const judges = judgesOf(loaded.value.config);
  if (loaded.value.pairwise) {
    if (!rubrics.ok) throw new InputError(rubrics.diagnostics);
    return { ...loaded.value, ...(await loadPairs(loaded.value.pairwise, rubrics.value, judges)) };
  }
  const tooLong: Diagnostic[] = [];
  const dataset = await streamDataset(loaded.value.datasetFiles, (transcript) => {
    if (rubrics.ok) tooLong.push(...contextBudgetProblems([transcript], rubrics.value, judges));
  });
  const diagnostics: Diagnostic[] = [...(rubrics.ok ? [] : rubrics.diagnostics), ...(dataset.ok ? [] : dataset.diagnostics), ...tooLong];
  if (!rubrics.ok || !dataset.ok || diagnostics.length) {
    if (dataset.ok) dataset.value.close();
    throw new InputError(diagnostics);
  }
  return { ...loaded.value, rubrics: rubrics.value, dataset: dataset.value, notices: [] };
}

/** What a pairwise run's report needs beyond a pointwise one's: the sides' names, the order rule, each pair's lengths. */
export function pairwiseReportInput(inputs: Pick<RunInputs, 'pairwise' | 'pairs'>): Pick<ReportInput, 'pairwise'> {
  const { pairwise, pairs } = inputs;
  if (!pairwise || !pairs) return {};
  return {
    pairwise: {
      names: pairwise.names,
      orders: pairwise.orders,
      seed: pairwise.seed,
      lengthsOf: (id) => {
        const { base, candidate } = pairs.pair(id);
        return { base: conversationLength(base), candidate: conversationLength(candidate) };
      },
    },
  };
}
