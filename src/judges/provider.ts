import type { JudgeConfig } from '../config/config.js';
import { createHttpFetch } from './http-fetch.js';
import type { SendGate } from './send-gate.js';
import type { JudgeRequest } from './request.js';
import type { Capabilities } from './openai-probe.js';
import type { ScoreProbabilities } from './score-logprobs.js';
import type { FailureCause, Usage } from './verdict.js';

export interface ProviderReply {
  /** The verdict as text (a tool call's input is serialised), read by one parser for every provider. */
  text: string;
  usage: Usage;
  /** Set when the provider's rate-limit headers say its budget is spent: how long until it resets. */
  exhaustedForMs?: number;
  /** `score_mode: logprob`: the probabilities of the scale's points at the score token (kept in the reply cache). */
  scoreProbabilities?: ScoreProbabilities;
}

/** Why a call failed, as the engine needs it to decide on a retry. */
export interface Failure {
  cause: Extract<FailureCause, 'rate_limit' | 'transient' | 'unreachable' | 'timeout' | 'auth' | 'bad_request' | 'unparseable' | 'aborted'>;
  message: string;
  /** From Retry-After / retry-after-ms, when the provider said how long to wait. */
  retryAfterMs?: number;
}

/**
 * How an API is reached. An adapter only translates: JudgeRequest → SDK call → ProviderReply, and SDK errors
 * → Failure. Retries, timeouts, concurrency, cache and cost live in the engine, once.
 */
export interface Provider {
  /** True when scores are made up (the mock); every report made with such a judge says so. */
  readonly simulated: boolean;
  /** True when its requests wait for the context's send gate themselves; otherwise the engine holds it around a call. */
  readonly gated?: boolean;
  judge(request: JudgeRequest, signal: AbortSignal): Promise<ProviderReply>;
  classify(error: unknown): Failure;
  /** Present when the provider has a batch API (`jury run --batch`). */
  batch?: BatchApi;
  /**
   * Work done once before the first call (loading a local model, probing an endpoint). What it returns is
   * recorded in run.json; a SetupError it throws is the user's to fix (exit 2).
   */
  prepare?(context: SetupContext): Promise<JudgeSetup>;
  /** Asks its endpoint now what it honours (`jury probe`); only OpenAI-compatible providers can be probed. */
  probe?(signal?: AbortSignal): Promise<Capabilities>;
  /** Frees what the provider holds (a loaded model), once the run is over. */
  close?(): Promise<void>;
}

/** What a judge's set-up may use: a memory of probed endpoints (kept in the cache folder), and a stop. */
export interface SetupContext {
  signal?: AbortSignal;
  endpoints?: { get(key: string): Capabilities | undefined; set(key: string, capabilities: Capabilities): void };
  /** Probe again even when remembered (`jury probe`). */
  fresh?: boolean;
}

/** Facts about how a judge was set up, for run.json: the backend of a local model, the probed output mode. */
export type JudgeSetup = Record<string, string | number | boolean | Record<string, unknown>>;

/** A judge that cannot be set up as configured (a missing package, a file that is not a model). */
export class SetupError extends Error {
  /** The judge's config field to point at. */
  readonly field: string;
  constructor(message: string, field: string) {
    super(message);
    this.name = 'SetupError';
    this.field = field;
  }
}

export type BatchResult = { ok: true; reply: ProviderReply } | { ok: false; message: string };

/** A provider's batch API: submit many requests at once, poll, collect. Cheaper, and slower to answer. */
export interface BatchApi {
  /** Submits the requests (each with a custom id) and returns the batch id. */
  submit(requests: { id: string; request: JudgeRequest }[]): Promise<string>;
  status(batchId: string): Promise<{ done: boolean; completed: number; total: number; problem?: string }>;
  /** Replies by custom id; a request missing from the map was not answered. */
  results(batchId: string): Promise<Map<string, BatchResult>>;
}

export interface ProviderContext {
  /** The judge's key, already read from the environment; undefined for keyless servers and the mock. */
  apiKey: string | undefined;
  /** The run's limit on requests on the wire; a provider that sends through it says so (`gated`). */
  sendGate?: SendGate;
}

export type ProviderFactory = (judge: JudgeConfig, context: ProviderContext) => Provider;

/** Rough token count for texts, for estimates only: about four characters a token in English. */
export function estimateTokens(...texts: string[]): number {
  let characters = 0;
  for (const text of texts) characters += text.length;
  return Math.ceil(characters / 4);
}

let httpFetch: typeof fetch | undefined;

/** Options both SDK clients take alike; with a gate, their requests wait for it (see SendGate). */
export function sdkClientOptions(
  judge: JudgeConfig,
  apiKey: string | undefined,
  sendGate?: SendGate,
): { apiKey: string; baseURL: string | undefined; maxRetries: number; timeout: number; logLevel: 'off'; fetch: typeof fetch } {
  return {
    // Every client shares one set of keep-alive pools; far less CPU per call than the built-in fetch.
    fetch: sendGate ? createHttpFetch(sendGate) : (httpFetch ??= createHttpFetch()),
    // The SDKs read OPENAI_LOG / ANTHROPIC_LOG and would print request details (transcripts) to our stdout.
    logLevel: 'off',
    // Keyless local servers still need a non-empty string for the SDKs' constructors.
    apiKey: apiKey ?? 'no-key',
    baseURL: judge.base_url,
    // The engine retries, with backoff that knows about every judge; two layers must not retry one 429.
    maxRetries: 0,
    timeout: judge.timeout_s * 1000,
  };
}
