import type { JudgeConfig } from '../config/config.js';
import type { JournalRecord, JournalWriter } from '../journal/journal.js';
import type { ParsedVerdict } from '../judges/parse-verdict.js';
import { judgeJobs, parseJob } from './jobs.js';
import { PreparedJobs } from './prepared-jobs.js';
import { scoreModeOf } from '../judges/score-logprobs.js';
import type { Failure, Provider, ProviderReply } from '../judges/provider.js';
import type { JudgeRequest } from '../judges/request.js';
import { NO_USAGE, type FailureCause, type Usage, type Verdict } from '../judges/verdict.js';
import type { Plan, PlannedCall } from '../plan/plan.js';
import { cacheKey } from './cache-key.js';
import type { ReplyCache } from './reply-cache.js';
import type { EventSink } from './events.js';
import { redact } from './redact.js';
import { Aimd, RateLimiter } from './rate-limit.js';
import { Slots } from './slots.js';
import { estimateTokens } from '../judges/provider.js';
import { decideRetry, type RetryPolicy } from './retry.js';
import type { SendGate } from '../judges/send-gate.js';

/** What a verdict's reasoning and score usually take, for estimating a call's tokens before it is made. */
export const EXPECTED_OUTPUT_TOKENS = 180;

/** Consecutive unreachable failures (connection refused, unknown host) after which a judge is taken as down. */
export const UNREACHABLE_STREAK = 6;

export interface PanelJudge {
  config: JudgeConfig;
  provider: Provider;
  /** Values to scrub from any stored or printed message. */
  secrets: string[];
}

export interface EngineOptions {
  plan: Plan;
  judges: ReadonlyMap<string, PanelJudge>;
  requestFor: (call: PlannedCall) => JudgeRequest;
  /** Calls with the same group key share one request (a combined rubric); undefined: a request of its own. */
  groupOf?: (call: PlannedCall) => string | undefined;
  journal: JournalWriter;
  /** Whether the journal already holds the call at this plan slot: such calls are never asked again. */
  done: (slot: number) => boolean;
  cache?: ReplyCache;
  concurrency: number;
  /**
   * The run's limit on requests on the wire (`concurrency`), built into the SDK providers' transport. With it,
   * a few more calls than `concurrency` are started, so that the next request is built before a place frees up.
   */
  sendGate?: SendGate;
  retry: RetryPolicy;
  onEvent?: EventSink;
  /** Stop scheduling: calls not yet sent are left for --resume; calls in flight may finish. */
  stop?: AbortSignal;
  /** Abort everything now, in-flight calls included. */
  signal?: AbortSignal;
  random?: () => number;
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/**
 * Obtains a verdict for every planned call not yet journaled, and journals each as it arrives; the journal
 * is the result (nothing is kept in memory per verdict). Per-judge limits wrap the global one, so a call
 * waiting for its slow judge holds no global slot and the other judges keep going; backoff sleeps hold no
 * slot at all.
 */
/** A rate-limit wait this long or longer is worth a line on the console. */
const LONG_WAIT_MS = 10_000;

export async function runPlan(options: EngineOptions): Promise<void> {
  const { plan, judges, done, onEvent } = options;
  const random = options.random ?? Math.random;
  const sleep = options.sleep ?? defaultSleep;
  const { sendGate } = options;
  // With a send gate, calls beyond `concurrency` wait inside the transport, fully built: a few, so that a call's
  // wait (which its timeout counts) stays a fraction of another call's time.
  const global = new Slots(options.concurrency + (sendGate ? Math.max(2, Math.ceil(options.concurrency / 8)) : 0));
  const perJudge = new Map([...judges].map(([id, judge]) => [id, new Slots(judge.config.max_concurrency)]));
  // Each judge paces itself: its own rpm/tpm buckets and its own concurrency backing off on 429s, so one
  // judge's limits never slow another judge.
  const limiters = new Map([...judges].map(([id, judge]) => [id, new RateLimiter(judge.config.rpm, judge.config.tpm)]));
  const aimd = new Map([...judges].map(([id, judge]) => [id, new Aimd(judge.config.max_concurrency, judge.config.max_concurrency, (c) => { perJudge.get(id)!.limit = c; })]));
  // A judge whose key is refused, or that cannot be reached at all, fails every later call the same way:
  // say it once and stop calling it.
  const down = new Map<string, Failure>();
  const unreachableStreak = new Map<string, number>();
  let cacheWarned = false;
  const longWaitSaid = new Set<string>();
  /**
   * Holds a judge's calls for the wait its provider asked (Retry-After, or a rate-limit reset header), capped at
   * its max_delay_ms: a reset eleven days away must not hold the run. A long wait is said once per judge.
   */
  const pauseJudge = (judgeId: string, limiter: RateLimiter, askedMs: number) => {
    const waitMs = Math.min(askedMs, options.retry.maxDelayMs);
    limiter.pause(waitMs);
    if (askedMs >= LONG_WAIT_MS && !longWaitSaid.has(judgeId)) {
      longWaitSaid.add(judgeId);
      onEvent?.({ type: 'note', message: `judge ${judgeId} is rate-limited: the provider asked to wait ${Math.round(askedMs / 1000)} s${askedMs > waitMs ? `; its calls wait ${Math.round(waitMs / 1000)} s (retries.max_delay_ms), and a call asked to wait longer fails as rate_limit` : ''}` });
    }
  };
  const stopped = () => Boolean(options.stop?.aborted || options.signal?.aborted);
  // One listener for the whole run (not one per call, which Node warns about past ten) aborts every call in flight.
  const inFlight = new Set<AbortController>();
  const abortInFlight = () => {
    for (const controller of inFlight) controller.abort(options.signal?.reason);
  };
  options.signal?.addEventListener('abort', abortInFlight, { once: true });
  let alreadyDone = 0;
  // Per judge, for a progress estimate from the slowest judge: slot = unit × perUnit + the judge's offset + sample.
  const judgeAt: number[] = plan.judges.flatMap((j, index) => Array.from({ length: j.samples }, () => index));
  const progress = plan.judges.map((j) => ({ id: j.id, total: plan.units.length * j.samples, done: 0 }));
  for (let slot = 0; slot < plan.size; slot++) {
    if (!done(slot)) continue;
    alreadyDone++;
    progress[judgeAt[slot % plan.perUnit]!]!.done++;
  }
  onEvent?.({ type: 'start', total: plan.size, alreadyDone, judges: progress });

  /**
   * Obtains the verdicts of one job: the calls that share one request (a single criterion, or every criterion
   * of a combined rubric for one item, judge and sample). A combined reply is kept only when every criterion in
   * it parses; after the last attempt the criteria that did parse are kept and the others recorded as failed.
   * The usage of a combined call is journaled on its first criterion, so token and cost totals stay exact.
   */
  async function obtain({ job, request, key }: PreparedJob): Promise<void> {
    const first = job[0]!;
    const judge = judges.get(first.judge);
    if (!judge) throw new Error(`no judge ${first.judge} in the panel`);
    const scoreMode = scoreModeOf(judge.config);
    const recordEach = (verdictOf: (call: PlannedCall) => Verdict, attempts: number, usage: Usage, latencyMs: number, source: 'provider' | 'cache', cached = false) =>
      job.forEach((call, i) => record(call, verdictOf(call), attempts, i === 0 ? usage : NO_USAGE, latencyMs, source, cached, i === 0 ? undefined : first.key));
    const abort = (attempts: number, usage: Usage) => recordEach(() => failed('aborted', 'the run was interrupted'), attempts, usage, 0, 'provider');
    const cache = cacheFor(judge);
    const cached = cache?.get(key);
    if (cached) {
      const parsed = parseJob(cached, request, job, scoreMode);
      if ([...parsed.values()].every((p) => p.ok)) return recordEach((call) => scored(parsed.get(call.key)!), 1, cached.usage, 0, 'cache', true);
    }
    const usage: Usage = { ...NO_USAGE };
    for (let attempt = 1; ; attempt++) {
      if (stopped()) return abort(attempt - 1, usage);
      const estimated = estimateTokens(request.system, request.transcript, request.criterion) + Math.min(EXPECTED_OUTPUT_TOKENS * job.length, judge.config.max_tokens);
      const limiter = limiters.get(first.judge)!;
      const outcome = await admitted(perJudge.get(first.judge)!, limiter, estimated, () => attemptOnce(judge, request));
      if (outcome.ok === true) {
        limiter.settle(estimated, outcome.reply.usage.inputTokens + outcome.reply.usage.outputTokens);
        if (outcome.reply.exhaustedForMs) pauseJudge(first.judge, limiter, outcome.reply.exhaustedForMs);
        aimd.get(first.judge)!.onSuccess();
      } else if (outcome.ok === false && outcome.failure.cause === 'rate_limit') {
        aimd.get(first.judge)!.onRateLimited();
        if (outcome.failure.retryAfterMs) pauseJudge(first.judge, limiter, outcome.failure.retryAfterMs);
      }
      if (outcome.ok === 'stopped') return abort(attempt - 1, usage);
      if (outcome.ok === 'down') return recordEach(() => failed(outcome.failure.cause, redact(outcome.failure.message, judge.secrets)), attempt - 1, usage, 0, 'provider');
      let failure: { cause: FailureCause; message: string; retryAfterMs?: number; raw?: string };
      let partial: Map<string, ParsedVerdict> | undefined;
      if (outcome.ok) {
        addUsage(usage, outcome.reply.usage);
        unreachableStreak.set(first.judge, 0);
        const parsed = parseJob(outcome.reply, request, job, scoreMode);
        const bad = [...parsed.values()].find((p): p is Extract<ParsedVerdict, { ok: false }> => !p.ok);
        if (!bad) {
          // A reply that parses is paid for, so a crash from here (kill -9) must not lose it: with a reply cache it
          // goes into the cache at once (`--resume` finds it there) and into the journal with the next few; without
          // one (`--no-cache`, a failed cache write) it is journaled now.
          const kept = cache ? keep(cache, key, judge, outcome.reply) : false;
          recordEach((call) => scored(parsed.get(call.key)!), attempt, usage, outcome.latencyMs, 'provider', kept);
          return;
        }
        failure = { cause: bad.cause, message: bad.message, raw: outcome.reply.text };
        partial = parsed;
      } else {
        failure = outcome.failure;
        const streak = failure.cause === 'unreachable' ? (unreachableStreak.get(first.judge) ?? 0) + 1 : 0;
        unreachableStreak.set(first.judge, streak);
        if ((failure.cause === 'auth' || streak >= UNREACHABLE_STREAK) && !down.has(first.judge)) {
          down.set(first.judge, outcome.failure);
          onEvent?.({ type: 'judge-down', judge: first.judge, cause: failure.cause, message: redact(failure.message, judge.secrets) });
        }
      }
      const decision = decideRetry(failure, attempt, options.retry, random());
      // A retry that the stop would cut short is left for --resume rather than recorded as a failure.
      if (decision.retry && stopped()) return abort(attempt, usage);
      if (!decision.retry) {
        if (decision.reason) failure = { ...failure, message: `${failure.message}; ${decision.reason}` };
        const failedVerdict = failed(failure.cause, redact(failure.message, judge.secrets), failure.raw === undefined ? undefined : redact(failure.raw, judge.secrets));
        return recordEach((call) => {
          const p = partial?.get(call.key);
          return p?.ok ? scored(p) : p ? failed(p.cause, p.message, failedVerdict.status === 'failed' ? failedVerdict.raw : undefined) : failedVerdict;
        }, attempt, usage, 0, 'provider');
      }
      onEvent?.({ type: 'retry', judge: first.judge, cause: failure.cause, attempt, delayMs: decision.delayMs });
      if (decision.delayMs > 0) await sleep(decision.delayMs, options.stop ? AbortSignal.any([options.stop, ...(options.signal ? [options.signal] : [])]) : options.signal).catch(() => undefined);
    }
  }

  // Simulated replies are cheaper to make than to look up, and must follow the mock's current logic.
  const cacheFor = (judge: PanelJudge) => (judge.provider.simulated ? undefined : options.cache);
  /** A job's request and cache key, made ahead of its worker (PreparedJobs). */
  const prepareFor = (judge: PanelJudge) => (job: readonly PlannedCall[]): PreparedJob => {
    const request = options.requestFor(job[0]!);
    return { job, request, key: cacheFor(judge) ? cacheKey(judge.config, request) : '' };
  };

  /**
   * Runs `call` holding a place of its judge, then its rate budget, then a place of the run: a call waiting for its
   * slow judge holds no run-wide place. Each step is taken without waiting when it can be (Slots.tryEnter,
   * RateLimiter.tryAcquire): at thousands of calls a minute the promises of three queues were a visible share of
   * the engine's CPU.
   */
  async function admitted<T>(judgeSlots: Slots, limiter: RateLimiter, estimated: number, call: () => Promise<T>): Promise<T | { ok: 'stopped' }> {
    if (!judgeSlots.tryEnter()) await judgeSlots.enter();
    try {
      if (stopped()) return { ok: 'stopped' };
      if (!limiter.tryAcquire(estimated)) await limiter.acquire(estimated);
      if (!global.tryEnter()) await global.enter();
      try {
        return await call();
      } finally {
        global.leave();
      }
    } finally {
      judgeSlots.leave();
    }
  }

  /** One call to the provider; latency is the call's own, not the time spent queueing for a slot. */
  async function attemptOnce(
    judge: PanelJudge,
    request: JudgeRequest,
  ): Promise<{ ok: true; reply: ProviderReply; latencyMs: number } | { ok: false; failure: Failure } | { ok: 'down'; failure: Failure } | { ok: 'stopped' }> {
    // Checked once the call holds its slot: calls queued before a stop, or before the judge went down, stay home.
    if (stopped()) return { ok: 'stopped' };
    const downFailure = down.get(judge.config.id);
    if (downFailure) return { ok: 'down', failure: downFailure };
    // Our own timer, cleared as soon as the call settles: AbortSignal.timeout would keep a timer (and, with
    // AbortSignal.any, a listener chain) alive for the full timeout after every call, which at thousands of
    // calls a minute is most of the engine's memory.
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new Error('timeout'));
    }, judge.config.timeout_s * 1000);
    inFlight.add(controller);
    const started = performance.now();
    // Providers that do not send through the gate (the mock) hold it for the whole call.
    const release = sendGate && !judge.provider.gated ? await new Promise<() => void>((resolve) => sendGate.enter(resolve, undefined, () => undefined)) : undefined;
    try {
      const reply = await judge.provider.judge(request, controller.signal);
      return { ok: true, reply, latencyMs: performance.now() - started };
    } catch (error) {
      const failure = judge.provider.classify(error);
      // Our own timer aborts the SDK call, which the SDK reports as a user abort: name it for what it was.
      if (failure.cause === 'aborted' && timedOut && !options.signal?.aborted) return { ok: false, failure: { cause: 'timeout', message: `no answer within ${judge.config.timeout_s}s` } };
      return { ok: false, failure };
    } finally {
      release?.();
      clearTimeout(timer);
      inFlight.delete(controller);
    }
  }

  /** Stores a reply in the cache; false when it could not be (said once: the run goes on without caching). */
  function keep(cache: ReplyCache, key: string, judge: PanelJudge, reply: ProviderReply): boolean {
    if (cache.put(key, judge.config, reply)) return true;
    if (!cacheWarned) {
      cacheWarned = true;
      onEvent?.({ type: 'note', message: `replies are no longer cached: ${cache.writeError}` });
    }
    return false;
  }

  /** Journals a verdict: `cached` when its reply is in the reply cache, so that the journal may take it with the next few. */
  function record(call: PlannedCall, verdict: Verdict, attempts: number, usage: Usage, latencyMs: number, source: 'provider' | 'cache', cached: boolean, sharesCallWith?: string): void {
    const entry: JournalRecord = {
      key: call.key,
      judge: call.judge,
      item: call.unit.item,
      ...(call.unit.turn === undefined ? {} : { turn: call.unit.turn }),
      ...(call.unit.order === undefined ? {} : { order: call.unit.order }),
      rubric: call.unit.rubric,
      criterion: call.unit.criterion,
      sample: call.sample,
      verdict,
      attempts,
      usage,
      latency_ms: Math.round(latencyMs),
      source,
      ...(sharesCallWith ? { shares_call_with: sharesCallWith } : {}),
    };
    // An interrupted call is not a verdict: leave it out of the journal (and the progress) so --resume asks again.
    if (verdict.status === 'failed' && verdict.cause === 'aborted') return;
    if (cached) options.journal.writeSoon(entry);
    else options.journal.write(entry);
    onEvent?.({ type: 'verdict', judge: call.judge, status: verdict.status, source, usage, ...(verdict.status === 'failed' ? { cause: verdict.cause } : {}) });
  }

  // Each judge walks its own jobs with a bounded window of workers: calls and requests are made just before
  // they are needed (not 100,000 at once), and a slow judge's backlog never holds up the others.
  const walkers = plan.judges.flatMap(({ id }) => {
    const judge = judges.get(id);
    if (!judge) return [];
    const jobs = new PreparedJobs(judgeJobs(plan, id, (call) => done(call.slot), options.groupOf), prepareFor(judge));
    return [{ jobs, window: Math.min(judge.config.max_concurrency, options.concurrency) + 8 }];
  });
  const workers: Promise<void>[] = [];
  // Workers start in turns across judges, yielding to I/O between starts: the first calls leave while the
  // rest are still being prepared, instead of all waiting for the whole first wave to be built.
  for (let w = 0; walkers.some((walker) => w < walker.window); w++) {
    for (const { jobs, window } of walkers) {
      if (w >= window) continue;
      const worker = (async () => {
        for (let next = jobs.take(); next; next = jobs.take()) await obtain(next);
      })();
      // Seen by Promise.all below; until then, a failure must not count as unhandled (it would end the process).
      worker.catch(() => undefined);
      workers.push(worker);
      await afterPendingIo();
    }
  }
  try {
    await Promise.all(workers);
  } finally {
    options.journal.flush();
  }
  options.signal?.removeEventListener('abort', abortInFlight);
  onEvent?.({ type: 'end' });
}

interface PreparedJob {
  job: readonly PlannedCall[];
  request: JudgeRequest;
  /** The reply cache's key for the request ('' when the judge's replies are not cached). */
  key: string;
}

function scored(parsed: ParsedVerdict): Verdict {
  if (!parsed.ok) throw new Error('scored() takes a parsed verdict');
  const verdict: Verdict = { status: 'scored', score: parsed.score, reasoning: parsed.reasoning, citedTurns: parsed.citedTurns };
  return parsed.weighted ? { ...verdict, weighted: parsed.weighted } : verdict;
}

function failed(cause: FailureCause, message: string, raw?: string): Verdict {
  return raw === undefined ? { status: 'failed', cause, message } : { status: 'failed', cause, message, raw };
}

function addUsage(total: Usage, add: Usage): void {
  total.inputTokens += add.inputTokens;
  total.outputTokens += add.outputTokens;
  total.cachedInputTokens += add.cachedInputTokens;
}

/** Resolves once the event loop has handled the I/O that is ready now (setImmediate runs after the poll phase). */
function afterPendingIo(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(new Error('aborted'));
    }, { once: true });
  });
}
