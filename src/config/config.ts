import path from 'node:path';
import { z } from 'zod';

const Id = z.string().regex(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/, 'expected an id: letters, digits, ".", "_" or "-"');

export const PROVIDERS = ['openai', 'anthropic', 'llama-cpp', 'mock'] as const;
export type ProviderName = (typeof PROVIDERS)[number];

/** The settings only an embedded llama.cpp judge (`provider: llama-cpp`) takes. */
const LOCAL_ONLY = ['model_path', 'context_size', 'threads', 'gpu_layers', 'reasoning_max_chars'] as const;

const JudgeFields = z.strictObject({
  id: Id,
  provider: z.enum(PROVIDERS),
  /** Required except for `llama-cpp`, whose model is named after its file unless given. */
  model: z.string().min(1).optional(),
  /** `llama-cpp`: the GGUF file to load in-process (relative to jury.yaml, or `~/…`). */
  model_path: z.string().min(1).optional(),
  /** `llama-cpp`: tokens of context per parallel sequence (default: the model's own, at most 8,192). */
  context_size: z.number().int().min(256).optional(),
  /** `llama-cpp`: CPU threads (default: node-llama-cpp's choice for this machine). */
  threads: z.number().int().min(1).max(512).optional(),
  /** `llama-cpp`: layers offloaded to the GPU: `auto` (default; none without a GPU), `max`, or a count. */
  gpu_layers: z.union([z.literal('auto'), z.literal('max'), z.number().int().min(0)]).optional(),
  /** `llama-cpp`: longest reasoning the grammar lets the model write, so a verdict always closes within max_tokens. */
  reasoning_max_chars: z.number().int().min(1).max(100_000).optional(),
  /** An OpenAI-compatible server (vLLM, Ollama, llama.cpp, LM Studio) or a proxy. */
  base_url: z.url().optional(),
  /**
   * Name of the environment variable holding this judge's key; never the key itself. `null` for a local
   * server that takes no key (Ollama, llama.cpp). Default: OPENAI_API_KEY or ANTHROPIC_API_KEY.
   */
  api_key_env: z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'expected an environment variable name').nullable().optional(),
  /** Unset leaves the provider's default: newer reasoning models refuse any other value. */
  temperature: z.number().min(0).max(2).optional(),
  max_tokens: z.number().int().positive().default(1024),
  seed: z.number().int().optional(),
  samples: z.number().int().min(1).max(20).default(1),
  max_concurrency: z.number().int().min(1).max(1024).default(8),
  /** Requests per minute this judge may send (a token bucket; unset: no limit but the provider's 429s). */
  rpm: z.number().positive().optional(),
  /** Tokens per minute (input estimated before each call, corrected from the usage the provider reports). */
  tpm: z.number().positive().optional(),
  timeout_s: z.number().positive().max(3600).default(120),
  /**
   * The judge's context budget for one request, in tokens (estimated at four characters a token). A
   * transcript that does not fit is an input error, never silently truncated.
   */
  max_input_tokens: z.number().int().positive().optional(),
  /**
   * How a verdict is asked for: strict JSON schema, a forced tool call, JSON mode, or plain text read by the
   * tolerant parser; `auto` probes the endpoint once and takes the strongest it honours (the default for an
   * OpenAI-compatible server, i.e. with `base_url`; OpenAI itself defaults to json_schema).
   */
  structured_output: z.enum(['auto', 'json_schema', 'tools', 'json_object', 'none']).optional(),
  /** US dollars per million tokens, overriding the built-in price of the model. */
  price: z.strictObject({ input: z.number().min(0), output: z.number().min(0), cached_input: z.number().min(0).optional() }).optional(),
  /**
   * `logprob`: the score is the probability-weighted mean over the scale's points at the score token (G-Eval),
   * recorded beside the score written; OpenAI-compatible judges (and the mock). Default: the score written.
   */
  score_mode: z.enum(['sampled', 'logprob']).optional(),
  /** `logprob` without usable probabilities: `fail` the verdict (default), or record the `sampled` score and say so. */
  logprob_fallback: z.enum(['sampled', 'fail']).optional(),
  /** Least probability on scale points at the score token for a weighted score to count (default 0.5). */
  logprob_min_mass: z.number().gt(0).max(1).optional(),
  /** Extra request-body fields passed to the provider as they are. */
  options: z.record(z.string(), z.unknown()).default({}),
});

export const JudgeSchema = JudgeFields.superRefine((judge, ctx) => {
  if (judge.score_mode === 'logprob' && judge.provider !== 'openai' && judge.provider !== 'mock') {
    ctx.addIssue({ code: 'custom', path: ['score_mode'], message: `score_mode: logprob needs token logprobs, which only OpenAI-compatible endpoints return (this judge is ${judge.provider})` });
  }
  for (const key of ['logprob_fallback', 'logprob_min_mass'] as const) {
    if (judge[key] !== undefined && judge.score_mode !== 'logprob') ctx.addIssue({ code: 'custom', path: [key], message: `\`${key}\` applies only with \`score_mode: logprob\`` });
  }
  if (judge.provider === 'llama-cpp') {
    if (!judge.model_path) ctx.addIssue({ code: 'custom', path: ['model_path'], message: 'a llama-cpp judge needs `model_path`: the GGUF file it loads' });
    for (const key of ['base_url', 'api_key_env', 'price'] as const) {
      if (judge[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `\`${key}\` does not apply to a llama-cpp judge: it runs in this process, with no server, key or price` });
    }
    return;
  }
  if (!judge.model) ctx.addIssue({ code: 'custom', path: ['model'], message: 'missing `model`: the model name the provider knows' });
  for (const key of LOCAL_ONLY) {
    if (judge[key] !== undefined) ctx.addIssue({ code: 'custom', path: [key], message: `\`${key}\` applies only to \`provider: llama-cpp\` (this judge is ${judge.provider})` });
  }
}).transform((judge) => ({
  ...judge,
  model: judge.model ?? path.basename(judge.model_path ?? ''),
  structured_output: judge.structured_output ?? (judge.provider === 'openai' && judge.base_url ? ('auto' as const) : ('json_schema' as const)),
}));

/** What a loaded GGUF file is, so a report says exactly which weights judged it (filled in at run time). */
export interface ModelFile {
  name: string;
  bytes: number;
  sha256: string;
}

export type JudgeConfig = z.infer<typeof JudgeSchema> & { model_file?: ModelFile };

/** Thresholds keyed by `rubric/criterion`, by criterion id, or `*` for every criterion; the most specific wins. */
const PerCriterion = z.record(z.string().min(1), z.number());

export const GatesSchema = z.strictObject({
  /** Lowest acceptable panel mean per criterion (`*` applies to likert criteria; name binary ones). */
  min_mean: PerCriterion.optional(),
  /** Largest acceptable significant drop of a criterion's mean against the baseline (0: none at all). */
  max_regression: z.number().min(0).optional(),
  /** Lowest acceptable Krippendorff's alpha of the panel per criterion. */
  min_alpha: PerCriterion.optional(),
  /** Largest acceptable share of failed verdicts per judge (0..1). */
  max_error_rate: z.number().min(0).max(1).optional(),
  /**
   * Largest acceptable significant drop of a criterion's mean within any slice (`slices` / `--by`) against the
   * baseline; slices with fewer than `min_slice_items` matched items are reported, not gated.
   */
  max_slice_regression: z.number().min(0).optional(),
  min_slice_items: z.number().int().min(1).optional(),
  /**
   * Criteria (`rubric/criterion` or an id) tested as their own Holm family for the regression gates: a smaller
   * family detects smaller drops on them. The rest form a second family; both gate, so a false alarm somewhere
   * is at most twice as likely as `significance` (docs/statistics.md).
   */
  primary: z.array(z.string().min(1)).min(1).optional(),
  /**
   * Pairwise runs: lowest acceptable win rate of the candidate per criterion (ties count half); a criterion fails
   * when the upper end of its 95% interval is below it, i.e. when the data rule the rate out.
   */
  min_win_rate: z.record(z.string().min(1), z.number().min(0).max(1)).optional(),
  /** Pairwise runs: fail when the candidate loses on any criterion by the sign test (Holm across criteria). */
  no_significant_loss: z.boolean().optional(),
  /** Significance level (after Holm's correction) for the regression gate. */
  significance: z.number().gt(0).lt(1).default(0.05),
});
export type Gates = z.infer<typeof GatesSchema>;

/** A run label names a folder under `output`: no separators, no `..`, nothing hidden. */
export const LABEL_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]*$/;

/** The transcript formats jury reads natively; `auto` tells them apart by shape, transcript by transcript. */
export const TRANSCRIPT_FORMATS = ['openai-chat', 'anthropic', 'responses'] as const;
export type TranscriptFormat = (typeof TRANSCRIPT_FORMATS)[number];

/** A dataset: a glob, or a glob with the format its transcripts are in. */
const DatasetEntry = z.union([
  z.string().min(1),
  z.strictObject({ path: z.string().min(1), format: z.enum(['auto', ...TRANSCRIPT_FORMATS]).default('auto') }),
]);

/** Two versions of an agent on the same scenarios, matched by transcript id: `jury run` then compares them. */
export const PairwiseSchema = z.strictObject({
  base: z.array(DatasetEntry).min(1),
  candidate: z.array(DatasetEntry).min(1),
  /** What the report calls each side (default: the name of each side's first file, e.g. v1 and v2). */
  names: z.strictObject({ base: z.string().regex(LABEL_PATTERN, 'expected a name of letters, digits, ".", "_" or "-"'), candidate: z.string().regex(LABEL_PATTERN, 'expected a name of letters, digits, ".", "_" or "-"') }).optional(),
  /** `both` judges every pair in both orders (a position swap); `one` in one order per pair, chosen by `seed`. */
  orders: z.enum(['both', 'one']).default('both'),
  seed: z.number().int().min(0).default(0),
});
export type PairwiseConfig = z.infer<typeof PairwiseSchema>;

/** How often and how patiently a failed call is asked again (judges, and the simulated listener). */
export const RetriesSchema = z
  .strictObject({
    max_attempts: z.number().int().min(1).max(20).default(4),
    base_delay_ms: z.number().int().min(0).default(500),
    max_delay_ms: z.number().int().min(0).default(30_000),
  })
  .prefault({});

export const ConfigSchema = z.strictObject({
  version: z.literal(1).default(1),
  label: z.string().regex(LABEL_PATTERN, 'expected a label usable as a folder name').optional(),
  /** Required unless `pairwise` names the two datasets. */
  datasets: z.array(DatasetEntry).min(1).optional(),
  pairwise: PairwiseSchema.optional(),
  /** Metadata keys that cut summaries, diffs and gates into slices, e.g. [metadata.genre, metadata.agent]. */
  slices: z.array(z.string().min(1)).optional(),
  rubrics: z.array(z.string().min(1)).min(1),
  judges: z.array(JudgeSchema).min(1),
  aggregation: z
    .strictObject({
      method: z.enum(['mean', 'median', 'majority']).default('mean'),
      /** How many judges must return a verdict for a panel score: `majority` of the panel, or a count. */
      quorum: z.union([z.literal('majority'), z.literal('all'), z.number().int().min(1)]).default('majority'),
      /** Bootstrap resamples behind the report's intervals (mean, alpha); 1,000 when not set. */
      resamples: z.number().int().min(100).max(100_000).optional(),
    })
    .prefault({}),
  concurrency: z.number().int().min(1).max(4096).default(16),
  retries: RetriesSchema,
  /** When a judge is refused or unreachable: go on with the rest of the panel (quorum decides), or stop. */
  judge_down: z.enum(['continue', 'abort']).default('continue'),
  output: z.string().min(1).default('reports'),
  cache: z.string().min(1).default('.jury/cache'),
  gates: GatesSchema.optional(),
  /** A baseline report for `jury run --gate` and `jury gate`, relative to this file. */
  baseline: z.string().min(1).optional(),
});
export type ConfigInput = z.infer<typeof ConfigSchema>;

/** A loaded config: paths resolved against the config file's folder. */
export interface Config extends ConfigInput {
  file: string;
  dir: string;
}

/**
 * When the judges' own caps add up to less than `concurrency`, the run can never have that many calls in flight
 * (three judges at 8 each run 24 calls at most, whatever `concurrency: 64` says). The sentence that says so, or
 * undefined when `concurrency` is reachable.
 */
export function unreachableConcurrency(config: Pick<Config, 'concurrency'>, judges: readonly Pick<JudgeConfig, 'id' | 'max_concurrency'>[]): string | undefined {
  const reachable = judges.reduce((n, j) => n + j.max_concurrency, 0);
  if (reachable >= config.concurrency) return undefined;
  return `concurrency is ${config.concurrency}, but the judges' max_concurrency add up to ${reachable} (${judges.map((j) => `${j.id} ${j.max_concurrency}`).join(', ')}): at most ${reachable} calls will be in flight; raise max_concurrency on the judges to use more`;
}
