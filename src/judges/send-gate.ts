/**
 * At most `limit` requests on the wire at once, first come first served. A request waiting for its turn has
 * been built already (the SDK did that before calling fetch), so when a reply has been read the next request
 * is handed the place at once, in the same turn of the event loop, before the reply is even parsed.
 */
export class SendGate {
  private active = 0;
  private readonly waiting: Waiter[] = [];

  constructor(readonly limit: number) {}

  /**
   * Calls `start` with a `release` function (idempotent) as soon as a place is free: now, or from the release of
   * another request. Aborting `signal` while waiting drops the wait and calls `aborted` instead.
   */
  enter(start: (release: () => void) => void, signal: AbortSignal | undefined, aborted: () => void): void {
    if (this.active < this.limit) {
      this.active++;
      start(this.releaser());
      return;
    }
    const waiter: Waiter = {
      start: (release) => {
        signal?.removeEventListener('abort', onAbort);
        start(release);
      },
    };
    const onAbort = () => {
      const at = this.waiting.indexOf(waiter);
      if (at >= 0) this.waiting.splice(at, 1);
      aborted();
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    this.waiting.push(waiter);
  }

  /** Requests on the wire now. */
  get inUse(): number {
    return this.active;
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.waiting.shift();
      if (next) next.start(this.releaser());
      else this.active--;
    };
  }
}

interface Waiter {
  start: (release: () => void) => void;
}
