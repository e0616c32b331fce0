import type { JudgeConfig } from '../config/config.js';
import { createHash } from 'node:crypto';
import { canonicalJson } from '../format/canonical-json.js';
import type { JudgeRequest } from '../judges/request.js';

/** Enters every key: changing how a request is keyed means a new version here (and every old entry a miss). */
export const CACHE_FORMAT = { format: 'jury.cache', version: 2 } as const;

/**
 * The canonical request that a reply answers: provider, model, endpoint, every generation parameter, the
 * full prompt, the schema and the sample number. No key, no judge id (two judges with the same model and
 * parameters share replies; a renamed judge keeps its cache).
 */
export function cacheKey(judge: JudgeConfig, request: JudgeRequest): string {
  // The small settings go through canonicalJson; the long texts are hashed as they are, each preceded by its
  // length so that no two different requests can run together into the same bytes.
  const settings = settingsJson(judge, request);
  const hash = createHash('sha256');
  for (const part of [settings, request.system, request.transcript, request.criterion]) hash.update(`${part.length}:`).update(part);
  return hash.digest('hex');
}

/** The settings part of the key, memoised per judge, schema object and sample (the same for thousands of calls). */
const settingsMemo = new WeakMap<JudgeConfig, WeakMap<object, Map<number, string>>>();

function settingsJson(judge: JudgeConfig, request: JudgeRequest): string {
  let bySchema = settingsMemo.get(judge);
  if (!bySchema) settingsMemo.set(judge, (bySchema = new WeakMap()));
  let bySample = bySchema.get(request.schema);
  if (!bySample) bySchema.set(request.schema, (bySample = new Map()));
  let json = bySample.get(request.sample);
  if (json === undefined) {
    json = canonicalSettings(judge, request);
    bySample.set(request.sample, json);
  }
  return json;
}

function canonicalSettings(judge: JudgeConfig, request: JudgeRequest): string {
  return canonicalJson({
    format: CACHE_FORMAT,
    provider: judge.provider,
    model: judge.model,
    base_url: judge.base_url ?? null,
    temperature: judge.temperature ?? null,
    max_tokens: judge.max_tokens,
    seed: judge.seed ?? null,
    structured_output: judge.structured_output,
    options: judge.options,
    schema: request.schema,
    sample: request.sample,
    // A local model's replies depend on its weights and on the grammar's reasoning limit (absent for APIs, so
    // their keys are what they were).
    // Asked with logprobs: another request, and a reply that carries the score's probabilities.
    ...(judge.score_mode === 'logprob' ? { score_mode: 'logprob' } : {}),
    ...(judge.model_file ? { model_sha256: judge.model_file.sha256, reasoning_max_chars: judge.reasoning_max_chars ?? null } : {}),
  });
}
