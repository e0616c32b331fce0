import type { Score } from '../rubric/rubric.js';

export type FailureCause = 'rate_limit' | 'transient' | 'unreachable' | 'timeout' | 'auth' | 'bad_request' | 'unparseable' | 'off_scale' | 'aborted';

/** A judge's answer on one criterion for one item. A failure is a state, never a number. */
export type Verdict =
  | { status: 'scored'; score: Score; reasoning: string; citedTurns: number[] }
  | { status: 'failed'; cause: FailureCause; message: string; raw?: string };

export interface Usage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
}

export const NO_USAGE: Usage = { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 };
