/**
 * A counting limit with a synchronous way in: `tryEnter` takes a place now when one is free and nobody waits
 * (no promise, no turn of the event loop), `enter` waits its turn, first come first served. The limit may change
 * while places are held (a judge backing off on 429s): a lower one is reached as places are left, a higher one lets
 * waiters in at once. Used by the engine instead of p-limit on every call's path (issue 21).
 */
export class Slots {
  private active = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(private max: number) {}

  get limit(): number {
    return this.max;
  }

  set limit(max: number) {
    this.max = max;
    while (this.active < this.max && this.waiting.length > 0) {
      this.active++;
      this.waiting.shift()!();
    }
  }

  /** Places held now. */
  get inUse(): number {
    return this.active;
  }

  tryEnter(): boolean {
    if (this.active >= this.max || this.waiting.length > 0) return false;
    this.active++;
    return true;
  }

  /** Resolves once a place is held (at once when tryEnter would have taken one). */
  enter(): Promise<void> {
    if (this.tryEnter()) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push(resolve));
  }

  /** Gives a held place back: to the first waiter while the limit allows, otherwise it is free. */
  leave(): void {
    if (this.active <= this.max && this.waiting.length > 0) {
      this.waiting.shift()!();
      return;
    }
    this.active--;
  }
}
