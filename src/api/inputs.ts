import type { JudgeConfig } from '../config/config.js';
import { loadConfig, type ResolvedConfig } from '../config/load.js';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { canonicalJson, sha256 } from '../format/canonical-json.js';
import { contextBudgetProblems } from '../judges/context-budget.js';
import { buildPlan, type Plan } from '../plan/plan.js';
import { loadRubrics } from '../rubric/load.js';
import type { Rubric } from '../rubric/rubric.js';
import { loadDataset } from '../transcript/load.js';
import type { Transcript } from '../transcript/transcript.js';

// Loading and checking what a run reads; the identity of a configuration.
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
