/** Jobs kept ready ahead of the workers that take them, per judge. */
export const PREPARED_AHEAD = 16;

/**
 * Takes jobs from `jobs` with their requests already made, made a batch at a time (issue 21). With replies 200 ms
 * away, every reply wakes the process on its own, and the first work after a wake-up runs several times slower
 * than the same work done straight after more of its kind (bench/cold-cpu.mjs): a request made as its worker
 * takes the job ran cold, one at a time. Here a worker's take tops the store up on the next turn of the event
 * loop, `batch` jobs in a row; only a take that finds the store empty makes its job itself.
 *
 * A job whose making threw carries the error to the worker that takes it, which fails as it would have.
 */
export class PreparedJobs<Job, Prepared> {
  private readonly ready: ({ ok: true; value: Prepared } | { ok: false; error: unknown })[] = [];
  private exhausted = false;
  private refilling = false;

  constructor(
    private readonly jobs: Iterator<Job>,
    private readonly prepare: (job: Job) => Prepared,
    private readonly batch = PREPARED_AHEAD,
  ) {}

  /** The next job, prepared; undefined when there are no more. */
  take(): Prepared | undefined {
    if (this.ready.length === 0) this.fill(1);
    const entry = this.ready.shift();
    if (!entry) return undefined;
    if (this.ready.length < this.batch / 2 && !this.exhausted && !this.refilling) {
      this.refilling = true;
      setImmediate(() => {
        this.refilling = false;
        this.fill(this.batch - this.ready.length);
      });
    }
    if (!entry.ok) throw entry.error;
    return entry.value;
  }

  private fill(count: number): void {
    for (let i = 0; i < count && !this.exhausted; i++) {
      let next: IteratorResult<Job>;
      try {
        next = this.jobs.next();
      } catch (error) {
        this.ready.push({ ok: false, error });
        this.exhausted = true;
        return;
      }
      if (next.done) {
        this.exhausted = true;
        return;
      }
      try {
        this.ready.push({ ok: true, value: this.prepare(next.value) });
      } catch (error) {
        this.ready.push({ ok: false, error });
      }
    }
  }
}
