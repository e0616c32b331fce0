import type { BatchEntry, JournalRecord, JournalWriter } from '../journal/journal.js';
import type { JudgeRequest } from '../judges/request.js';
import { NO_USAGE, type Verdict } from '../judges/verdict.js';
import type { Plan, PlannedCall } from '../plan/plan.js';
import { judgeJobs, parseJob } from './jobs.js';
import { RunError } from '../diagnostics/diagnostic.js';
import { redact } from './redact.js';
import type { PanelJudge } from './run-plan.js';

export interface BatchPhaseOptions {
  plan: Plan;
  /** Whether the journal already holds the call at this plan slot. */
  done: (slot: number) => boolean;
  judges: ReadonlyMap<string, PanelJudge>;
  requestFor: (call: PlannedCall) => JudgeRequest;
  groupOf?: (call: PlannedCall) => string | undefined;
  journal: JournalWriter;
  /** Batches journaled by an earlier, interrupted run: collected, never submitted again. */
  known: readonly BatchEntry[];
  pollMs: number;
  /** One line per poll, for the CLI. */
  onProgress?: (line: string) => void;
  stop?: AbortSignal;
  sleep?: (ms: number) => Promise<void>;
}

/**
 * `jury run --batch`: the pending jobs of every judge whose provider has a batch API go out as one batch per
 * judge; the batch id is journaled before waiting, so a restarted run polls the same batch instead of paying
 * twice. Replies that parse become verdicts in the journal; everything else (errors inside the batch,
 * unparseable replies, requests the batch never answered) is left for the ordinary calls that follow. The
 * verdicts reach the caller through the journal.
 */
export async function runBatches(options: BatchPhaseOptions): Promise<void> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  const jobByFirstKey = new Map<string, PlannedCall[]>();
  const work: { judge: PanelJudge; entry: BatchEntry }[] = [];

  for (const [id, judge] of options.judges) {
    const api = judge.provider.batch;
    // Logprob-weighted judges are asked live: the probabilities are read with their request, which batch results lack.
    if (!api || judge.provider.simulated || judge.config.score_mode === 'logprob') continue;
    // A batch holds every pending job of its judge, so here they are all in memory at once.
    const pending = [...judgeJobs(options.plan, id, (call) => options.done(call.slot), options.groupOf)];
    for (const job of pending) jobByFirstKey.set(job[0]!.key, job);
    const known = options.known.filter((b) => b.judge === id);
    const covered = new Set(known.flatMap((b) => Object.values(b.requests)));
    for (const entry of known) work.push({ judge, entry });
    const fresh = pending.filter((job) => !covered.has(job[0]!.key));
    if (fresh.length === 0) continue;
    // Short custom ids: providers cap their length, and call keys hold item ids of any length.
    const requests = fresh.map((job, i) => ({ id: `j${i}`, job }));
    let batchId: string;
    try {
      batchId = await api.submit(requests.map(({ id: customId, job }) => ({ id: customId, request: options.requestFor(job[0]!) })));
    } catch (error) {
      // An OpenAI-compatible server (Ollama, vLLM, llama.cpp) usually has no /v1/files or /v1/batches; a real
      // provider may refuse a batch (quota, permissions). Either way this judge's calls go out as ordinary calls.
      options.onProgress?.(batchRefused(id, judge, error));
      continue;
    }
    const entry: BatchEntry = { kind: 'batch', judge: id, batch_id: batchId, requests: Object.fromEntries(requests.map(({ id: customId, job }) => [customId, job[0]!.key])) };
    options.journal.writeBatch(entry);
    work.push({ judge, entry });
  }

  await Promise.all(
    work.map(async ({ judge, entry }) => {
      try {
        await collect(judge, entry);
      } catch (error) {
        // The batch is submitted and may be paid for: asking again call by call could pay twice. Its id is in
        // the journal, so the run stops and `--resume … --batch` collects it later.
        const failure = judge.provider.classify(error);
        throw new RunError(`could not collect batch ${entry.batch_id} of judge ${entry.judge} (${failure.cause}: ${redact(failure.message, judge.secrets)}); its id is journaled: resume with --resume <run folder> --batch to collect it`);
      }
    }),
  );

  async function collect(judge: PanelJudge, entry: BatchEntry): Promise<void> {
    const api = judge.provider.batch!;
    for (;;) {
      if (options.stop?.aborted) return;
      const status = await api.status(entry.batch_id);
      options.onProgress?.(`batch ${entry.batch_id} (${entry.judge}): ${status.completed}/${status.total} done${status.problem ? `; ${status.problem}` : ''}`);
      if (status.done) break;
      await sleep(options.pollMs);
    }
    const results = await api.results(entry.batch_id);
    for (const [customId, firstKey] of Object.entries(entry.requests)) {
      const job = jobByFirstKey.get(firstKey);
      const result = results.get(customId);
      if (!job || !result?.ok) continue;
      const parsed = parseJob(result.reply, options.requestFor(job[0]!), job);
      if (![...parsed.values()].every((p) => p.ok)) continue;
      job.forEach((call, i) => {
        const p = parsed.get(call.key)!;
        if (!p.ok) return;
        const verdict: Verdict = { status: 'scored', score: p.score, reasoning: p.reasoning, citedTurns: p.citedTurns };
        const record: JournalRecord = {
          key: call.key, judge: call.judge, item: call.unit.item, ...(call.unit.turn === undefined ? {} : { turn: call.unit.turn }),
          ...(call.unit.order === undefined ? {} : { order: call.unit.order }), rubric: call.unit.rubric, criterion: call.unit.criterion, sample: call.sample, verdict, attempts: 1,
          usage: i === 0 ? result.reply.usage : NO_USAGE, latency_ms: 0, source: 'provider', ...(i === 0 ? {} : { shares_call_with: job[0]!.key }),
        };
        options.journal.write(record);
      });
    }
  }
}

function batchRefused(id: string, judge: PanelJudge, error: unknown): string {
  const failure = judge.provider.classify(error);
  const status = (error as { status?: unknown }).status;
  const noEndpoint = status === 404 || status === 405 || status === 501;
  const why = redact(failure.message, judge.secrets);
  return noEndpoint
    ? `judge ${id}: its server has no batch API (${why}); its calls go out as ordinary calls`
    : `judge ${id}: the provider refused the batch (${failure.cause}: ${why}); its calls go out as ordinary calls`;
}
