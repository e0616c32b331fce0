import type { FailureCause } from '../judges/verdict.js';

export interface RetryPolicy {
  maxAttempts: number;
  baseDelayMs: number;
  maxDelayMs: number;
}

export type RetryDecision = { retry: true; delayMs: number } | { retry: false; reason?: string };

const RETRYABLE: ReadonlySet<FailureCause> = new Set(['rate_limit', 'transient', 'unreachable', 'timeout', 'unparseable', 'off_scale', 'ambiguous', 'no_logprobs']);

/**
 * Whether to try again after a failed attempt (1-based), and how long to wait. Exponential backoff with
 * "equal jitter" (half fixed, half random) so that a burst of 429s does not come back as one burst;
 * a provider's Retry-After wins over our own guess. `random` is in [0, 1).
 */
export function decideRetry(
  failure: { cause: FailureCause; retryAfterMs?: number },
  attempt: number,
  policy: RetryPolicy,
  random: number,
): RetryDecision {
  if (!RETRYABLE.has(failure.cause) || attempt >= policy.maxAttempts) return { retry: false };
  // A bad verdict is the model's doing, not the server's: ask again at once.
  if (failure.cause === 'unparseable' || failure.cause === 'off_scale') return { retry: true, delayMs: 0 };
  // Two verdicts in one reply is a sign the transcript steers the judge: asked once more, then recorded as failed.
  // Asked once more: another sample may quote no verdict, or write its score as one token.
  if (failure.cause === 'ambiguous' || failure.cause === 'no_logprobs') return attempt < 2 ? { retry: true, delayMs: 0 } : { retry: false };
  if (failure.retryAfterMs !== undefined) {
    // A Retry-After of a day (or a reset header of eleven) would hold the run silently; the judge's own
    // max_delay_ms is the longest it may wait, past that the verdict fails as rate-limited.
    if (failure.retryAfterMs > policy.maxDelayMs) return { retry: false, reason: `the provider asked to wait ${seconds(failure.retryAfterMs)}, longer than retries.max_delay_ms (${seconds(policy.maxDelayMs)})` };
    return { retry: true, delayMs: failure.retryAfterMs };
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return { retry: true, delayMs: Math.round(ceiling / 2 + (ceiling / 2) * random) };
}

function seconds(ms: number): string {
  return ms >= 3_600_000 ? `${(ms / 3_600_000).toFixed(1)} h` : `${Math.round(ms / 1000)} s`;
}
