import { unreachableConcurrency } from '../config/config.js';
import path from 'node:path';
import { InputError } from '../diagnostics/diagnostic.js';
import { cacheKey } from '../engine/cache-key.js';
import { ReplyCache } from '../engine/reply-cache.js';
import { keyVariable, mockJudges, type Env } from '../engine/panel.js';
import { EXPECTED_OUTPUT_TOKENS } from '../engine/run-plan.js';
import { contextBudgetProblems } from '../judges/context-budget.js';
import { costOf, priceOf, PRICES_TAKEN } from '../judges/prices.js';
import { estimateTokens } from '../judges/provider.js';
import { buildCombinedRequest, buildJudgeRequest } from '../judges/request.js';
import { buildPlan, inShard, planCalls, planItems, type Shard } from '../plan/plan.js';
import type { DryRunJudge } from '../render/cost.js';
import { loadInputs } from './inputs.js';


export type { DryRunJudge };

/**
 * `jury run --dry-run`: what a run would ask for, without asking: calls per judge, replies already in the
 * cache, estimated tokens (four characters a token in, EXPECTED_OUTPUT_TOKENS out) and dollars.
 */
export async function dryRun(opts: { configPath: string; mock?: boolean; datasets?: string[]; shard?: Shard; cache?: boolean; env: Env }): Promise<{ judges: DryRunJudge[]; pricesTaken: string; notes: string[] }> {
  const inputs = await loadInputs(opts.configPath, opts.datasets);
  const judges = opts.mock ? mockJudges(inputs.config.judges) : inputs.config.judges;
  const tooLong = contextBudgetProblems(inputs.transcripts, inputs.rubrics, judges);
  if (tooLong.length) throw new InputError(tooLong);
  const plan = buildPlan(planItems(inShard(inputs.transcripts, opts.shard)), inputs.rubrics, judges);
  const cache = opts.cache === false ? undefined : new ReplyCache(path.resolve(inputs.config.dir, inputs.config.cache));
  const transcripts = new Map(inputs.transcripts.map((t) => [t.id, t]));
  const rubrics = new Map(inputs.rubrics.map((r) => [r.id, r]));
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
  return { judges: [...rows.values()], pricesTaken: PRICES_TAKEN, notes: concurrency ? [concurrency] : [] };

  function countCalls(): void {
    for (const call of planCalls(plan)) {
      const judge = judges.find((j) => j.id === call.judge)!;
      const rubric = rubrics.get(call.unit.rubric)!;
      const criterion = rubric.criteria.find((c) => c.id === call.unit.criterion)!;
      const turnIndex = call.unit.turn === undefined ? undefined : call.unit.turn - 1;
      // A combined rubric asks once per item, judge and sample for all its criteria.
      if (rubric.mode === 'combined') {
        const group = `${call.unit.item}|${call.unit.turn ?? ''}|${rubric.id}|${call.judge}|${call.sample}`;
        if (seenGroups.has(group)) continue;
        seenGroups.add(group);
      }
      const request = rubric.mode === 'combined'
        ? buildCombinedRequest(rubric, transcripts.get(call.unit.item)!, { turnIndex, sample: call.sample })
        : buildJudgeRequest(rubric, criterion, transcripts.get(call.unit.item)!, { turnIndex, sample: call.sample });
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
