import { describe, expect, it } from 'vitest';
import { Aimd, RateLimiter } from '../../src/engine/rate-limit.js';

/** A clock that only moves when the limiter sleeps. */
function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), elapsed: () => t };
}

describe('RateLimiter', () => {
  it('lets a tenth of the rpm through at once, then one request per 60/rpm seconds', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(120, undefined, clock.now, clock.sleep);
    for (let i = 0; i < 12; i++) await limiter.acquire(0);
    expect(clock.elapsed()).toBe(0);
    for (let i = 0; i < 10; i++) await limiter.acquire(0);
    // 120 rpm = 2 a second: the 10 after the burst of 12 take 5 s.
    expect(clock.elapsed()).toBeGreaterThanOrEqual(4999);
    expect(clock.elapsed()).toBeLessThanOrEqual(5010);
  });

  it('meters tokens per minute, and corrects its estimate from reported usage', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, 60_000, clock.now, clock.sleep);
    await limiter.acquire(6_000);
    expect(clock.elapsed()).toBe(0);
    await limiter.acquire(1_000);
    // The bucket (6,000 = a tenth of the minute) is empty: 1,000 tokens at 1,000 a second take a second.
    expect(clock.elapsed()).toBe(1000);
    // The call really used 200 tokens, not 1,000: 800 come back at once.
    limiter.settle(1_000, 200);
    await limiter.acquire(800);
    expect(clock.elapsed()).toBe(1000);
  });

  it('holds calls until a provider-announced reset', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, undefined, clock.now, clock.sleep);
    limiter.pause(1500);
    await limiter.acquire(10);
    expect(clock.elapsed()).toBe(1500);
  });
});

describe('Aimd', () => {
  it('halves on a 429 and climbs back by one per window of successes, up to the cap', () => {
    const seen: number[] = [];
    const aimd = new Aimd(8, 8, (c) => seen.push(c));
    aimd.onRateLimited();
    aimd.onRateLimited();
    expect(aimd.concurrency).toBe(2);
    for (let i = 0; i < 2; i++) aimd.onSuccess();
    expect(aimd.concurrency).toBe(3);
    for (let i = 0; i < 100; i++) aimd.onSuccess();
    expect(aimd.concurrency).toBe(8);
    expect(seen).toEqual([4, 2, 3, 4, 5, 6, 7, 8]);
  });
});
