/**
 * Runs `work` with a signal of its own that aborts when the run's signal does or when `ms` pass (if given). Unlike AbortSignal.any, the
 * listener on the run's signal is removed when the work ends: a simulation makes thousands of calls under one signal.
 */
export async function withDeadline<T>(signal: AbortSignal, ms: number | undefined, work: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const stop = () => controller.abort(signal.reason);
  signal.addEventListener('abort', stop, { once: true });
  const timer = ms === undefined ? undefined : setTimeout(() => controller.abort(new DOMException(`no answer within ${ms / 1000} s`, 'TimeoutError')), ms);
  try {
    return await work(controller.signal);
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', stop);
  }
}
