import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { unreachableConcurrency, type Config, type JudgeConfig } from '../config/config.js';
import { InputError, RunError } from '../diagnostics/diagnostic.js';
import { checkFreshFolder, makeRunFolder, refuseUnpricedBudget, removeLeftovers } from './run-folder.js';
import { ReplyCache } from '../engine/reply-cache.js';
import { LEAN_HEAP_FROM, leanHeap } from '../engine/heap-policy.js';
import type { EventSink } from '../engine/events.js';
import { mockJudges, resolvePanel, type Env } from '../engine/panel.js';
import { runPlan, type PanelJudge } from '../engine/run-plan.js';
import { runBatches } from '../engine/batch.js';
import { lockRunFolder } from '../journal/lock.js';
import { JOURNAL_FORMAT, JournalWriter, type BatchEntry, type JournalRecord } from '../journal/journal.js';
import { loadProviders, type ProviderFactories } from '../judges/providers.js';
import { SendGate } from '../judges/send-gate.js';
import { routeSdkWarnings } from '../judges/sdk-warnings.js';
import { buildPlan, inShard, type Plan, type Shard } from '../plan/plan.js';
import { requestMaker } from './run-requests.js';
import { reportHead, reportItems, type ReportInput } from '../report/build.js';
import { ItemSpool } from '../report/item-spool.js';
import { SummaryTally } from '../report/summary-tally.js';
import { RUN_FORMAT, type ReportHead } from '../report/report.js';
import { costOf, priceOf } from '../judges/prices.js';
import { writeJson, writeReport } from '../report/write.js';
import { RunLedger } from './ledger.js';
import { configHash, loadRunInputs, pairwiseReportInput, type RunInputs } from './inputs.js';
import type { PairwiseOverride } from '../config/load.js';
import { readJournalForResume } from './run-resume.js';
import { closeJudges, endpointMemory, prepareJudges, settleJudges, withModelFiles } from './judge-setup.js';
import type { JudgeSetup } from '../judges/provider.js';

// `jury run`: plan, judge (journaled, cached, resumable), aggregate, write report.json and run.json.
export interface RunOptions {
  configPath: string;
  /** Parent folder of the run folder; default: the config's `output`. */
  outDir?: string;
  label?: string;
  mock?: boolean;
  /** A run folder to finish: its journal's verdicts are kept and not asked again. */
  resume?: string;
  /** Globs (relative to the current folder) that replace the config's `datasets`. */
  datasets?: string[];
  /** Send the pending calls through the providers' batch APIs first (OpenAI Batch, Anthropic Message Batches). */
  batch?: boolean;
  /** Seconds between polls of a batch. */
  batchPollSeconds?: number;
  /** Stop scheduling once this many dollars are spent (calls in flight still finish); resumable. */
  maxCost?: number;
  /** Compare two datasets (base, candidate globs relative to the current folder) instead of scoring one. */
  pairwise?: PairwiseOverride;
  /** Judge only this deterministic part of the items; `jury merge` joins the shards. */
  shard?: Shard;
  /**
   * This run is one of `share` workers of `jury run --workers`: it takes that share of `concurrency` and of each
   * judge's `max_concurrency`, `rpm` and `tpm`, so that the workers together stay within them. The config hash is
   * the whole run's.
   */
  share?: number;
  cache?: boolean;
  env: Env;
  onEvent?: EventSink;
  /** Stop scheduling (first Ctrl-C): in-flight calls finish, the rest is left for --resume. */
  stop?: AbortSignal;
  /** Abort in-flight calls too. */
  signal?: AbortSignal;
}

export interface RunOutcome {
  /** The report without its items (they are in report.json, written item by item). */
  report: ReportHead;
  dir: string;
  complete: boolean;
  /**
   * Dollars per judge at the prices of `priceOf`: over the whole journal (what run.json says), and what this
   * invocation added; `unpriced` are the judges whose price is unknown (counted as zero in the sums).
   */
  cost: { total: Record<string, number>; thisRun: Record<string, number>; unpriced: string[] };
  /** The config's `slices`: metadata keys its summaries are cut by. */
  slices?: string[];
  /** How the judges that needed set-up were set up (as in run.json's `judge_setup`). */
  setups: Record<string, JudgeSetup>;
}


export async function runEval(opts: RunOptions): Promise<RunOutcome> {
  const startedAt = new Date();
  // The SDKs load while the transcripts are read.
  let providers: Promise<ProviderFactories> | undefined;
  const judgesOf = (config: Config) => (opts.mock ? mockJudges(config.judges) : config.judges);
  const inputs = await loadRunInputs(opts.configPath, opts.datasets, judgesOf, ({ config }) => {
    providers = loadProviders(judgesOf(config).map((j) => j.provider));
    providers.catch(() => undefined);
  }, opts.pairwise);
  try {
    return await runLoaded(inputs, await withModelFiles(judgesOf(inputs.config)), await providers!, startedAt, opts);
  } finally {
    inputs.dataset.close();
  }
}

async function runLoaded(inputs: RunInputs, judges: JudgeConfig[], providers: ProviderFactories, startedAt: Date, opts: RunOptions): Promise<RunOutcome> {
  const { config } = inputs;
  if (opts.maxCost !== undefined) refuseUnpricedBudget(config, judges, inputs.locate);
  // At most `concurrency` requests on the wire, counted where they are sent (judges/send-gate.ts).
  const sendGate = new SendGate(sharedLimit(config.concurrency, opts.share));
  const resolved = resolvePanel(config, opts.share ? judges.map((j) => shareOf(j, opts.share!)) : judges, opts.env, inputs.locate, providers, sendGate);
  if (!resolved.ok) throw new InputError(resolved.diagnostics);
  const setups = await prepareJudges(resolved.panel, config, inputs.locate, { endpoints: endpointMemory(path.resolve(config.dir, config.cache)), ...(opts.signal ? { signal: opts.signal } : {}) });
  try {
    for (const message of settleJudges(resolved.panel, setups)) opts.onEvent?.({ type: 'note', message });
    return await runPrepared(inputs, judges, resolved.panel, setups, sendGate, startedAt, opts);
  } finally {
    await closeJudges(resolved.panel);
  }
}

async function runPrepared(inputs: RunInputs, judges: JudgeConfig[], panel: Map<string, PanelJudge>, setups: Record<string, JudgeSetup>, sendGate: SendGate, startedAt: Date, opts: RunOptions): Promise<RunOutcome> {
  const { config } = inputs;
  const hash = configHash({ ...inputs, digests: inputs.dataset.entries.map((e) => e.digest) }, judges);

  const plan = buildPlan(inShard(inputs.dataset.entries, opts.shard), inputs.rubrics, judges, inputs.pairwise);
  // A pairwise run is named after its sides unless told otherwise (`--pairwise` on a pointwise config keeps its label off).
  const pairLabel = inputs.pairwise ? `${inputs.pairwise.names.base}-vs-${inputs.pairwise.names.candidate}` : undefined;
  const defaultLabel = (config.pairwise ? config.label : undefined) ?? pairLabel ?? config.label ?? 'latest';
  const folder = `${opts.label ?? defaultLabel}${opts.shard ? `-shard-${opts.shard.index}of${opts.shard.count}` : ''}`;
  const dir = opts.resume ? path.resolve(opts.resume) : path.resolve(opts.outDir ?? path.resolve(config.dir, config.output), folder);
  if (opts.resume && (!existsSync(dir) || !statSync(dir).isDirectory())) {
    throw new InputError([{ code: 'journal/invalid', severity: 'error', file: dir, path: [], message: existsSync(dir) ? '--resume takes a run folder, and this is a file' : 'no such run folder to resume', expected: 'the folder of an earlier `jury run` (it holds verdicts.jsonl)' }]);
  }
  makeRunFolder(dir);
  // The folder is ours before its journal is read: a run still writing it cannot be resumed under its feet.
  const unlock = lockRunFolder(dir);
  if (!opts.resume) {
    try {
      checkFreshFolder(dir, opts.configPath, opts.onEvent);
    } catch (error) {
      unlock();
      throw error;
    }
  }
  const restoreHeap = plan.size >= LEAN_HEAP_FROM ? leanHeap() : undefined;
  const restoreWarnings = routeSdkWarnings((message) => opts.onEvent?.({ type: 'note', message }));
  const concurrencyNote = unreachableConcurrency(config, judges);
  if (concurrencyNote) opts.onEvent?.({ type: 'note', message: concurrencyNote });
  for (const note of inputs.dataset.notes) opts.onEvent?.({ type: 'note', message: `${path.relative(process.cwd(), note.file) || note.file}: ${note.message}` });
  for (const message of inputs.notices) opts.onEvent?.({ type: 'note', message });
  try {
    const ledger = new RunLedger(path.join(dir, 'verdicts.jsonl'), plan, judges);
    const previous = opts.resume ? readJournalForResume(opts.resume, hash, ledger, opts.shard) : undefined;
    const label = previous?.label ?? opts.label ?? defaultLabel;
    return await judgeAndReport({ inputs, judges, panel, setups, sendGate, hash, plan, previous, ledger, label, dir, startedAt, opts });
  } finally {
    restoreWarnings();
    restoreHeap?.();
    unlock();
  }
}

/** Spool files of report items written while judging: `<prefix><pid>.tmp` in the run folder. */
const SPOOL_PREFIX = '.report-items.';

interface JudgeAndReport {
  inputs: RunInputs;
  judges: JudgeConfig[];
  panel: Map<string, PanelJudge>;
  setups: Record<string, JudgeSetup>;
  sendGate: SendGate;
  hash: string;
  plan: Plan;
  previous?: { label: string; resumed: number; batches: BatchEntry[] };
  ledger: RunLedger;
  label: string;
  dir: string;
  startedAt: Date;
  opts: RunOptions;
}

async function judgeAndReport({ inputs, judges, panel, setups, sendGate, hash, plan, previous, ledger, label, dir, startedAt, opts }: JudgeAndReport): Promise<RunOutcome> {
  const { config } = inputs;
  const journalFile = path.join(dir, 'verdicts.jsonl');
  const reportInput: ReportInput = {
    label,
    configHash: hash,
    aggregation: config.aggregation,
    rubrics: inputs.rubrics,
    judges: judges.map((j) => ({ id: j.id, provider: j.provider, model: j.model, samples: j.samples, simulated: panel.get(j.id)!.provider.simulated, ...(j.score_mode === 'logprob' ? { score_mode: 'logprob' as const } : {}) })),
    units: plan.units,
    verdicts: ledger.index,
    resumeHint: `jury run${opts.configPath === 'jury.yaml' ? '' : ` -c ${opts.configPath}`} --resume ${path.relative(process.cwd(), dir) || dir}`,
    // Read back with the item's transcript (just judged, so usually still in the dataset's small memo).
    metadataOf: (id) => inputs.dataset.get(id).metadata,
    ...pairwiseReportInput(inputs),
  };
  let spool: ItemSpool | undefined;
  // The summaries' bootstraps are added up as units complete, so the end of the run does not resample.
  const tally = new SummaryTally(reportInput, plan, (slot) => ledger.index.hasSlot(slot));
  reportInput.tallies = tally;
  const fresh = (record: JournalRecord, offset: number, length: number) => {
    const noted = ledger.add(record, offset, length, true);
    if (noted) {
      spool?.note(noted.slot, noted.replaced);
      tally.note(noted.slot, noted.replaced);
    }
  };
  const journal = previous ? JournalWriter.append(journalFile, fresh) : JournalWriter.create(journalFile, { ...JOURNAL_FORMAT, config_hash: hash, label, ...(opts.mock ? { mock: true } : {}), ...(opts.shard ? { shard: opts.shard } : {}) }, fresh);
  // Items are written while the run judges; made once the journal is open, since appending may first cut a torn
  // last line that the spool must never have read. (The folder is locked: a spool left by a killed run is stale.)
  // Likewise the temporary files of an atomic write that a kill -9 cut short (`.report.json.<pid>.tmp`).
  removeLeftovers(dir, SPOOL_PREFIX);
  spool = new ItemSpool(path.join(dir, `${SPOOL_PREFIX}${process.pid}.tmp`), reportInput, plan, (slot) => ledger.index.hasSlot(slot));
  // `judge_down: abort` turns the first judge that goes down into a stop, like a Ctrl-C.
  const stop = new AbortController();
  const downJudges: string[] = [];
  opts.stop?.addEventListener('abort', () => stop.abort(), { once: true });
  if (opts.stop?.aborted) stop.abort();
  let spent = 0;
  let budgetSpent = false;
  const onEvent: EventSink = (event) => {
    if (event.type === 'verdict' && event.source === 'provider') {
      spent += costOf(event.usage, ledger.priceOf(event.judge));
      if (opts.maxCost !== undefined && spent >= opts.maxCost && !budgetSpent) {
        budgetSpent = true;
        stop.abort();
      }
    }
    if (event.type === 'judge-down') {
      downJudges.push(event.judge);
      if (config.judge_down === 'abort') stop.abort();
    }
    opts.onEvent?.(event.type === 'verdict' && opts.maxCost !== undefined ? { ...event, spentUsd: spent } : event);
  };
  const { requestFor, groupOf } = requestMaker(inputs);
  const cache = opts.cache === false ? undefined : new ReplyCache(path.resolve(config.dir, config.cache));
  try {
    if (opts.batch) {
      await runBatches({
        plan, done: (slot) => ledger.index.hasSlot(slot), judges: panel, requestFor, groupOf, journal,
        known: previous?.batches ?? [], pollMs: (opts.batchPollSeconds ?? 10) * 1000, stop: stop.signal,
        onProgress: (line) => opts.onEvent?.({ type: 'note', message: line }),
      });
    }
    await runPlan({
      plan,
      judges: panel,
      requestFor,
      groupOf,
      journal,
      done: (slot) => ledger.index.hasSlot(slot),
      cache,
      concurrency: sharedLimit(config.concurrency, opts.share),
      sendGate,
      retry: { maxAttempts: config.retries.max_attempts, baseDelayMs: config.retries.base_delay_ms, maxDelayMs: config.retries.max_delay_ms },
      onEvent,
      stop: stop.signal,
      signal: opts.signal,
    });
  } catch (error) {
    spool.discard();
    throw error;
  } finally {
    journal.close();
    cache?.close();
  }

  const complete = ledger.index.size === plan.size;
  const report = reportHead(reportInput);
  try {
    // Item by item, the reasoning read back from the journal: memory stays flat however many verdicts. The
    // items finished while judging are in the spool already.
    const spooled = spool.finish();
    writeReport(path.join(dir, 'report.json'), report, reportItems(reportInput, spooled?.items ?? 0), spooled);
  } finally {
    spool.discard();
    ledger.index.close();
  }
  const finishedAt = new Date();
  const allStats = ledger.all.result();
  const cost = {
    total: Object.fromEntries(Object.entries(allStats).map(([id, j]) => [id, j.cost_usd])),
    thisRun: Object.fromEntries(Object.entries(ledger.now.result()).map(([id, j]) => [id, j.cost_usd])),
    unpriced: judges.filter((j) => priceOf(j).source === 'unknown').map((j) => j.id),
  };
  writeJson(path.join(dir, 'run.json'), {
    ...RUN_FORMAT,
    label,
    config_hash: hash,
    complete,
    simulated: report.simulated,
    started_at: startedAt.toISOString(),
    finished_at: finishedAt.toISOString(),
    duration_ms: finishedAt.getTime() - startedAt.getTime(),
    planned_verdicts: plan.size,
    resumed_verdicts: previous?.resumed ?? 0,
    judges: allStats,
    // How each judge that needed set-up was set up: a local model's file and SHA-256, an endpoint's probed mode.
    ...(Object.keys(setups).length ? { judge_setup: setups } : {}),
    /** One source of truth: the sum of the judges' `cost_usd`, resumed verdicts included. */
    cost_usd: Object.values(cost.total).reduce((a, b) => a + b, 0),
    cost_usd_this_invocation: Object.values(cost.thisRun).reduce((a, b) => a + b, 0),
    ...(cost.unpriced.length ? { unpriced_judges: cost.unpriced } : {}),
    errors: ledger.errors,
  });
  if (!complete && budgetSpent) throw new RunError(`the budget of $${opts.maxCost} is spent ($${spent.toFixed(4)}); the journal is kept: raise --max-cost and finish with --resume ${dir}`);
  if (!complete && config.judge_down === 'abort' && downJudges.length) {
    throw new RunError(`judge ${downJudges.join(', ')} went down and judge_down is abort: the run stopped; finish it with --resume ${dir}`);
  }
  if (!complete && !stop.signal.aborted && !opts.signal?.aborted) throw new RunError(`the run ended with verdicts missing; finish it with --resume ${dir}`);
  if (ledger.index.size > 0 && ledger.scored === 0) {
    throw new RunError(`no judge returned a single verdict (${ledger.causes().join(', ')}); see ${path.join(dir, 'run.json')} for the errors`);
  }
  return { report, dir, complete, cost, setups, ...(config.slices?.length ? { slices: config.slices } : {}) };
}

/** A worker's part of a limit: at least one. */
export function sharedLimit(limit: number, share: number | undefined): number {
  return share ? Math.max(1, Math.floor(limit / share)) : limit;
}

/** A judge as one of `share` workers runs it: its concurrency and rate limits divided among them. */
function shareOf(judge: JudgeConfig, share: number): JudgeConfig {
  return {
    ...judge,
    max_concurrency: sharedLimit(judge.max_concurrency, share),
    ...(judge.rpm === undefined ? {} : { rpm: judge.rpm / share }),
    ...(judge.tpm === undefined ? {} : { tpm: judge.tpm / share }),
  };
}
