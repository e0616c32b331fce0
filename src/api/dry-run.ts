import { unreachableConcurrency } from '../config/config.js';
import path from 'node:path';
import { cacheKey } from '../engine/cache-key.js';
import { ReplyCache } from '../engine/reply-cache.js';
import { keyVariable, mockJudges, type Env } from '../engine/panel.js';
import { EXPECTED_OUTPUT_TOKENS } from '../engine/run-plan.js';
import { costOf, priceOf, PRICES_TAKEN } from '../judges/prices.js';
import { estimateTokens } from '../judges/provider.js';
import { buildPlan, inShard, planCalls, type Shard } from '../plan/plan.js';
import type { PairwiseOverride } from '../config/load.js';
import { requestMaker } from './run-requests.js';
import type { DryRunJudge } from '../render/cost.js';
import { loadRunInputs, type RunInputs } from './inputs.js';


export type { DryRunJudge };

/**
 * `jury run --dry-run`: what a run would ask for, without asking: calls per judge, replies already in the
 * cache, estimated tokens (four characters a token in, EXPECTED_OUTPUT_TOKENS out) and dollars.
 */
export async function dryRun(opts: { configPath: string; mock?: boolean; datasets?: string[]; pairwise?: PairwiseOverride; shard?: Shard; cache?: boolean; env: Env }): Promise<{ judges: DryRunJudge[]; pricesTaken: string; notes: string[] }> {
  // The same inputs and requests as `jury run` (context budgets checked as they load), so the estimate is of what it would send.
  const inputs = await loadRunInputs(opts.configPath, opts.datasets, (config) => (opts.mock ? mockJudges(config.judges) : config.judges), undefined, opts.pairwise);
  try {
    return estimate(inputs, opts);
  } finally {
    inputs.dataset.close();
  }
}

function estimate(inputs: RunInputs, opts: { mock?: boolean; shard?: Shard; cache?: boolean; env: Env }): { judges: DryRunJudge[]; pricesTaken: string; notes: string[] } {
  const judges = opts.mock ? mockJudges(inputs.config.judges) : inputs.config.judges;
  const plan = buildPlan(inShard(inputs.dataset.entries, opts.shard), inputs.rubrics, judges, inputs.pairwise);
  const { requestFor, groupOf } = requestMaker(inputs);
  const cache = opts.cache === false ? undefined : new ReplyCache(path.resolve(inputs.config.dir, inputs.config.cache));
  const rows = new Map<string, DryRunJudge>();
  for (const judge of judges) {
    const variable = keyVariable(judge);
    rows.set(judge.id, { judge: judge.id, model: judge.model, calls: 0, cached: 0, input_tokens: 0, output_tokens: 0, cost_usd: 0, price_source: priceOf(judge).source, key: variable ? (opts.env[variable] ? `${variable} set` : `${variable} NOT SET`) : 'none needed' });
  }
  const seenGroups = new Set<string>();
  try {
    countCalls();
  } finally {
    cache?.close();
  }
  const concurrency = unreachableConcurrency(inputs.config, judges);
  return { judges: [...rows.values()], pricesTaken: PRICES_TAKEN, notes: [...inputs.notices, ...(concurrency ? [concurrency] : [])] };

  function countCalls(): void {
    for (const call of planCalls(plan)) {
      const judge = judges.find((j) => j.id === call.judge)!;
      // A combined rubric asks once per item, order, judge and sample for all its criteria.
      const group = groupOf(call);
      if (group !== undefined) {
        if (seenGroups.has(group)) continue;
        seenGroups.add(group);
      }
      const request = requestFor(call);
      const row = rows.get(call.judge)!;
      if (judge.provider !== 'mock' && cache?.get(cacheKey(judge, request))) {
        row.cached++;
        continue;
      }
      const usage = { inputTokens: estimateTokens(request.system, request.transcript, request.criterion), outputTokens: Math.min(EXPECTED_OUTPUT_TOKENS * (request.criteria?.length ?? 1), judge.max_tokens), cachedInputTokens: 0 };
      row.calls++;
      row.input_tokens += usage.inputTokens;
      row.output_tokens += usage.outputTokens;
      row.cost_usd += costOf(usage, priceOf(judge).price);
    }
  }
}
