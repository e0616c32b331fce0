/**
 * Per-judge request and token budgets (`rpm`, `tpm`) as token buckets that refill continuously. A bucket holds
 * at most a tenth of a minute's allowance, so a run starts at a steady pace instead of spending a whole
 * minute's quota in its first second. Tokens are estimated before a call and corrected from the usage the
 * provider reports. A provider's own rate-limit headers (remaining 0, reset in N s) pause the judge until reset.
 */
export class RateLimiter {
  private requests: number;
  private tokens: number;
  private last: number;
  private pausedUntil = 0;
  private readonly requestCapacity: number;
  private readonly tokenCapacity: number;

  constructor(
    private readonly rpm: number | undefined,
    private readonly tpm: number | undefined,
    private readonly now: () => number = () => Date.now(),
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.requestCapacity = rpm ? Math.max(1, rpm / 10) : Infinity;
    this.tokenCapacity = tpm ? Math.max(1, tpm / 10) : Infinity;
    this.requests = this.requestCapacity;
    this.tokens = this.tokenCapacity;
    this.last = now();
  }

  private refill(): void {
    const t = this.now();
    const elapsed = t - this.last;
    this.last = t;
    if (this.rpm) this.requests = Math.min(this.requestCapacity, this.requests + (elapsed * this.rpm) / 60_000);
    if (this.tpm) this.tokens = Math.min(this.tokenCapacity, this.tokens + (elapsed * this.tpm) / 60_000);
  }

  /** Takes one request and `estimatedTokens` when they fit now (and no pause holds the judge); false otherwise. */
  tryAcquire(estimatedTokens: number): boolean {
    if (!this.rpm && !this.tpm && this.pausedUntil === 0) return true;
    this.refill();
    if (this.pausedUntil > this.now()) return false;
    const tokens = Math.min(estimatedTokens, this.tokenCapacity);
    if ((this.rpm && this.requests < 1) || (this.tpm && this.tokens < tokens)) return false;
    if (this.rpm) this.requests -= 1;
    if (this.tpm) this.tokens -= tokens;
    return true;
  }

  /** Waits until one request and `estimatedTokens` fit, then takes them. */
  async acquire(estimatedTokens: number): Promise<void> {
    // A single call larger than the bucket could never fit; let it through at a full bucket instead.
    const tokens = Math.min(estimatedTokens, this.tokenCapacity);
    for (;;) {
      this.refill();
      const pause = this.pausedUntil - this.now();
      if (pause > 0) {
        await this.sleep(pause);
        continue;
      }
      const needRequests = this.rpm ? Math.max(0, 1 - this.requests) / (this.rpm / 60_000) : 0;
      const needTokens = this.tpm ? Math.max(0, tokens - this.tokens) / (this.tpm / 60_000) : 0;
      const wait = Math.max(needRequests, needTokens);
      if (wait <= 0) {
        if (this.rpm) this.requests -= 1;
        if (this.tpm) this.tokens -= tokens;
        return;
      }
      await this.sleep(Math.ceil(wait));
    }
  }

  /** Corrects the token bucket once the provider has said what a call really used. */
  settle(estimatedTokens: number, actualTokens: number): void {
    if (this.tpm) this.tokens = Math.min(this.tokenCapacity, this.tokens + Math.min(estimatedTokens, this.tokenCapacity) - actualTokens);
  }

  /** The provider said its budget is spent until `resetMs` from now: hold every call of this judge till then. */
  pause(resetMs: number): void {
    this.pausedUntil = Math.max(this.pausedUntil, this.now() + Math.min(resetMs, 600_000));
  }
}

/**
 * Additive increase, multiplicative decrease of a judge's concurrency: halve it on a 429, and grow it back by
 * one after each full window of successes, up to the configured cap.
 */
export class Aimd {
  private successes = 0;
  constructor(
    private current: number,
    private readonly max: number,
    private readonly apply: (concurrency: number) => void,
  ) {}

  get concurrency(): number {
    return this.current;
  }

  onRateLimited(): void {
    this.current = Math.max(1, Math.floor(this.current / 2));
    this.successes = 0;
    this.apply(this.current);
  }

  onSuccess(): void {
    if (this.current >= this.max) return;
    if (++this.successes >= this.current) {
      this.current++;
      this.successes = 0;
      this.apply(this.current);
    }
  }
}
