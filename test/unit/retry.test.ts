import { describe, expect, it } from 'vitest';
import { decideRetry } from '../../src/engine/retry.js';
import { retryAfterMs } from '../../src/judges/sdk-errors.js';

const policy = { maxAttempts: 4, baseDelayMs: 1000, maxDelayMs: 8000 };

describe('retry policy', () => {
  it('backs off exponentially with equal jitter, capped', () => {
    expect(decideRetry({ cause: 'transient' }, 1, policy, 0)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry({ cause: 'transient' }, 1, policy, 0.999999)).toEqual({ retry: true, delayMs: 1000 });
    expect(decideRetry({ cause: 'timeout' }, 3, policy, 0)).toEqual({ retry: true, delayMs: 2000 });
    expect(decideRetry({ cause: 'transient' }, 3, { ...policy, maxDelayMs: 3000 }, 0)).toEqual({ retry: true, delayMs: 1500 });
  });

  it("honours the provider's Retry-After over its own guess", () => {
    expect(decideRetry({ cause: 'rate_limit', retryAfterMs: 7000 }, 1, policy, 0.5)).toEqual({ retry: true, delayMs: 7000 });
  });

  it('waits as long as max_delay_ms at most: a longer Retry-After fails the call, saying how long was asked', () => {
    expect(decideRetry({ cause: 'rate_limit', retryAfterMs: 8000 }, 1, policy, 0.5)).toEqual({ retry: true, delayMs: 8000 });
    expect(decideRetry({ cause: 'rate_limit', retryAfterMs: 8001 }, 1, policy, 0.5)).toEqual({ retry: false, reason: 'the provider asked to wait 8 s, longer than retries.max_delay_ms (8 s)' });
    expect(decideRetry({ cause: 'rate_limit', retryAfterMs: 86_400_000 }, 1, policy, 0.5)).toEqual({ retry: false, reason: 'the provider asked to wait 24.0 h, longer than retries.max_delay_ms (8 s)' });
  });

  it('stops after the last attempt, and never retries auth or bad requests', () => {
    expect(decideRetry({ cause: 'transient' }, 4, policy, 0)).toEqual({ retry: false });
    expect(decideRetry({ cause: 'auth' }, 1, policy, 0)).toEqual({ retry: false });
    expect(decideRetry({ cause: 'bad_request' }, 1, policy, 0)).toEqual({ retry: false });
  });

  it('asks once more, at once, when a reply held two verdicts (ambiguous), and no more', () => {
    expect(decideRetry({ cause: 'ambiguous' }, 1, policy, 0.3)).toEqual({ retry: true, delayMs: 0 });
    expect(decideRetry({ cause: 'ambiguous' }, 2, policy, 0.3)).toEqual({ retry: false });
  });

  it('retries an unreachable server and a timeout with backoff, an off-scale verdict at once; a long wait reads in hours from one hour', () => {
    expect(decideRetry({ cause: 'unreachable' }, 1, policy, 0)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry({ cause: 'timeout' }, 1, policy, 0)).toEqual({ retry: true, delayMs: 500 });
    expect(decideRetry({ cause: 'off_scale' }, 1, policy, 0.9)).toEqual({ retry: true, delayMs: 0 });
    expect(decideRetry({ cause: 'aborted' }, 1, policy, 0)).toEqual({ retry: false });
    const hour = decideRetry({ cause: 'rate_limit', retryAfterMs: 3_600_000 }, 1, policy, 0);
    expect(hour).toEqual({ retry: false, reason: 'the provider asked to wait 1.0 h, longer than retries.max_delay_ms (8 s)' });
    expect(decideRetry({ cause: 'rate_limit', retryAfterMs: 3_599_000 }, 1, policy, 0)).toEqual({ retry: false, reason: 'the provider asked to wait 3599 s, longer than retries.max_delay_ms (8 s)' });
  });

  it('asks again at once for an unparseable verdict', () => {
    expect(decideRetry({ cause: 'unparseable' }, 1, policy, 0.7)).toEqual({ retry: true, delayMs: 0 });
  });

  it('reads retry-after-ms, retry-after seconds and retry-after dates', () => {
    expect(retryAfterMs(new Headers({ 'retry-after-ms': '250' }))).toBe(250);
    expect(retryAfterMs(new Headers({ 'retry-after': '2' }))).toBe(2000);
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterMs(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }), now)).toBe(3000);
    expect(retryAfterMs(new Headers({ 'retry-after': 'soon' }))).toBeUndefined();
    // Not capped: a day is a day, and the retry policy decides what to do with it.
    expect(retryAfterMs(new Headers({ 'retry-after': '86400' }))).toBe(86_400_000);
  });
});
