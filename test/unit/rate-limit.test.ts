import { describe, expect, it } from 'vitest';
import { Aimd, RateLimiter } from '../../src/engine/rate-limit.js';

/** A clock that only moves when the limiter sleeps. */
function fakeClock() {
  let t = 0;
  return { now: () => t, sleep: async (ms: number) => void (t += ms), elapsed: () => t, advance: (ms: number) => void (t += ms) };
}

describe('RateLimiter.tryAcquire', () => {
  it('takes a request and its tokens only when both fit now, exactly as acquire would without sleeping', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(120, 60_000, clock.now, clock.sleep);
    // Buckets of 12 requests and 6,000 tokens.
    expect(limiter.tryAcquire(5_000)).toBe(true);
    expect(limiter.tryAcquire(1_000)).toBe(true);
    expect(limiter.tryAcquire(1)).toBe(false);
    clock.advance(1);
    // One millisecond refills one token (1,000 a second): exactly enough for one more.
    expect(limiter.tryAcquire(2)).toBe(false);
    expect(limiter.tryAcquire(1)).toBe(true);
    const requests = new RateLimiter(120, undefined, clock.now, clock.sleep);
    for (let i = 0; i < 12; i++) expect(requests.tryAcquire(0)).toBe(true);
    expect(requests.tryAcquire(0)).toBe(false);
    clock.advance(499);
    expect(requests.tryAcquire(0)).toBe(false);
    clock.advance(1);
    expect(requests.tryAcquire(0)).toBe(true);
  });

  it('lets a call larger than the token bucket through at a full bucket, and refuses while the judge is paused', () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, 60_000, clock.now, clock.sleep);
    expect(limiter.tryAcquire(50_000)).toBe(true);
    expect(limiter.tryAcquire(1)).toBe(false);
    const free = new RateLimiter(undefined, undefined, clock.now, clock.sleep);
    expect(free.tryAcquire(1e9)).toBe(true);
    free.pause(1_000);
    expect(free.tryAcquire(1)).toBe(false);
    clock.advance(999);
    expect(free.tryAcquire(1)).toBe(false);
    clock.advance(1);
    expect(free.tryAcquire(1)).toBe(true);
  });
});

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

  it('sleeps once for exactly as long as the next request needs, not in small steps', async () => {
    const clock = fakeClock();
    const sleeps: number[] = [];
    const limiter = new RateLimiter(120, undefined, clock.now, async (ms) => {
      sleeps.push(ms);
      await clock.sleep(ms);
    });
    for (let i = 0; i < 13; i++) await limiter.acquire(0);
    // The 13th request, one past the burst of 12, waits one refill at 2 a second: 500 ms, in one sleep.
    expect(sleeps).toEqual([500]);
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

  it('with the real clock and timers (the defaults), a call past the burst waits for the refill', async () => {
    // 600 rpm: a burst of 60, then one request per 100 ms.
    const limiter = new RateLimiter(600, undefined);
    for (let i = 0; i < 60; i++) await limiter.acquire(0);
    const start = performance.now();
    // The wait sleeps on a timer, so other work (here a 10 ms timer) goes on meanwhile rather than after.
    let other = false;
    setTimeout(() => void (other = true), 10);
    await limiter.acquire(0);
    expect(performance.now() - start).toBeGreaterThanOrEqual(60);
    expect(other).toBe(true);
  });

  it('holds calls until a provider-announced reset', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, undefined, clock.now, clock.sleep);
    limiter.pause(1500);
    await limiter.acquire(10);
    expect(clock.elapsed()).toBe(1500);
  });
});

describe('RateLimiter arithmetic', () => {
  // 120,000 tokens a minute: 2 a millisecond, a bucket of 12,000.
  it('refills in proportion to the time passed, and waits exactly for the rest', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, 120_000, clock.now, clock.sleep);
    await limiter.acquire(12_000);
    clock.advance(250); // 500 tokens back
    await limiter.acquire(1_500);
    expect(clock.elapsed()).toBe(250 + 500);
  });

  it('settling gives back what the estimate over-counted, and takes what it under-counted', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, 120_000, clock.now, clock.sleep);
    await limiter.acquire(12_000);
    limiter.settle(1_000, 900); // 100 back
    await limiter.acquire(500);
    expect(clock.elapsed()).toBe(200);
    limiter.settle(500, 900); // 400 more were used than estimated
    await limiter.acquire(200);
    expect(clock.elapsed()).toBe(200 + 300);
  });

  it('a call larger than the bucket takes the whole bucket, and settles against that', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, 120_000, clock.now, clock.sleep);
    await limiter.acquire(30_000);
    expect(clock.elapsed()).toBe(0);
    limiter.settle(30_000, 4_000); // 12,000 were taken: 8,000 come back
    await limiter.acquire(10_000);
    expect(clock.elapsed()).toBe(1_000);
  });

  it('settling never fills the bucket past its size', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, 120_000, clock.now, clock.sleep);
    limiter.settle(1_000, 0);
    await limiter.acquire(12_000);
    await limiter.acquire(1_000);
    expect(clock.elapsed()).toBe(500);
  });

  it('a pause asked while paused keeps the later end, and is capped at ten minutes', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter(undefined, undefined, clock.now, clock.sleep);
    limiter.pause(3_000);
    limiter.pause(1_000);
    await limiter.acquire(0);
    expect(clock.elapsed()).toBe(3_000);
    limiter.pause(86_400_000);
    await limiter.acquire(0);
    expect(clock.elapsed()).toBe(3_000 + 600_000);
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
