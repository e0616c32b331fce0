import { describe, expect, it } from 'vitest';
import { PREPARED_AHEAD, PreparedJobs } from '../../src/engine/prepared-jobs.js';

const nextTurn = () => new Promise((resolve) => setImmediate(resolve));

describe('PreparedJobs', () => {
  it('gives every job once, in order, prepared; a take that finds none ready prepares its own, and the store is topped up a batch at a time on the next turn', async () => {
    const prepared: number[] = [];
    const jobs = new PreparedJobs([0, 1, 2, 3, 4, 5, 6, 7, 8, 9][Symbol.iterator](), (n: number) => {
      prepared.push(n);
      return `job ${n}`;
    }, 4);
    expect(prepared).toEqual([]);
    expect(jobs.take()).toBe('job 0');
    // The first take found nothing ready: it made its own job, and nothing more until the event loop turns.
    expect(prepared).toEqual([0]);
    await nextTurn();
    expect(prepared).toEqual([0, 1, 2, 3, 4]);
    expect(jobs.take()).toBe('job 1');
    expect(jobs.take()).toBe('job 2');
    // Two of four left: not below half, no top-up yet.
    await nextTurn();
    expect(prepared).toEqual([0, 1, 2, 3, 4]);
    expect(jobs.take()).toBe('job 3');
    await nextTurn();
    // One left: topped up to four.
    expect(prepared).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    const rest: (string | undefined)[] = [];
    for (let job = jobs.take(); job !== undefined; job = jobs.take()) rest.push(job);
    expect(rest).toEqual(['job 4', 'job 5', 'job 6', 'job 7', 'job 8', 'job 9']);
    expect(jobs.take()).toBeUndefined();
    expect(prepared).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  it('keeps PREPARED_AHEAD jobs ready by default', async () => {
    let made = 0;
    const jobs = new PreparedJobs(Array.from({ length: 100 }, (_, n) => n)[Symbol.iterator](), (n: number) => {
      made++;
      return n;
    });
    jobs.take();
    await nextTurn();
    expect(made).toBe(1 + PREPARED_AHEAD);
  });

  it('hands a job whose making threw to the worker that takes it, as that error, and goes on with the next', async () => {
    const jobs = new PreparedJobs([1, 2, 3][Symbol.iterator](), (n: number) => {
      if (n === 2) throw new Error('the transcript of job 2 changed while it was judged');
      return n;
    }, 4);
    expect(jobs.take()).toBe(1);
    await nextTurn();
    expect(() => jobs.take()).toThrow(expect.objectContaining({ message: 'the transcript of job 2 changed while it was judged' }));
    expect(jobs.take()).toBe(3);
    expect(jobs.take()).toBeUndefined();
  });

  it('ends with the error when the jobs themselves cannot be listed', async () => {
    function* failing(): Generator<number> {
      yield 1;
      throw new Error('the plan could not be read');
    }
    const jobs = new PreparedJobs(failing(), (n: number) => n, 4);
    expect(jobs.take()).toBe(1);
    await nextTurn();
    expect(() => jobs.take()).toThrow(expect.objectContaining({ message: 'the plan could not be read' }));
    expect(jobs.take()).toBeUndefined();
  });
});
