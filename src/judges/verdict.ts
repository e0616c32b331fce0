import type { Score } from '../rubric/rubric.js';

/** `ambiguous`: the reply held more than one verdict object (e.g. one quoted from the transcript); none is taken. */
/** `no_logprobs`: `score_mode: logprob` found no usable probabilities at the score token, and may not fall back. */
export type FailureCause = 'rate_limit' | 'transient' | 'unreachable' | 'timeout' | 'auth' | 'bad_request' | 'unparseable' | 'off_scale' | 'ambiguous' | 'no_logprobs' | 'aborted';

/** A judge's answer on one criterion for one item. A failure is a state, never a number. */
export type Verdict =
  | { status: 'scored'; score: Score; reasoning: string; citedTurns: number[]; weighted?: WeightedNote }
  | { status: 'failed'; cause: FailureCause; message: string; raw?: string };

/**
 * How a `score_mode: logprob` verdict got its score: weighted (the score written and the probability mass on
 * scale points beside it), or the score written because no weighted one could be read (`fallback`: why).
 */
export type WeightedNote = { sampled: Score; mass: number } | { fallback: string };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };

/** What aggregation needs of a verdict: its score, or that it failed. Reasoning is read only for the report. */
export type VerdictOutcome = { status: 'scored'; score: Score } | { status: 'failed' };

/**
 * Where the report reads verdicts from (records in memory, or the journal on disk), by the plan's unit index,
 * judge and sample.
 */
export interface VerdictSource {
  /** Status and score; called for every planned verdict when aggregating, so it must be cheap. */
  outcome(unitIndex: number, judge: string, sample: number): VerdictOutcome | undefined;
  /** The whole verdict, for the report's items. */
  verdict(unitIndex: number, judge: string, sample: number): Verdict | undefined;
}
