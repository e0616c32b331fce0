import type { JournalRecord } from '../journal/journal.js';
import { costOf, type Price } from '../judges/prices.js';
import type { FailureCause } from '../judges/verdict.js';

export interface JudgeRunStats {
  verdicts: number;
  scored: number;
  failed: number;
  failures_by_cause: Partial<Record<FailureCause, number>>;
  provider_calls: number;
  cache_hits: number;
  retries: number;
  tokens: { input: number; output: number; cached_input: number };
  /** Dollars for the calls made in this run's journal (replies served from cache cost nothing). */
  cost_usd: number;
  latency_ms: { p50: number | null; p90: number | null; p99: number | null; max: number | null };
}

/** Per-judge counts for run.json, from the journal records of this run (resumed ones included). */
export function judgeRunStats(records: readonly JournalRecord[], priceOf: (judge: string) => Price = () => ({ input: 0, output: 0, cached_input: 0 })): Record<string, JudgeRunStats> {
  const byJudge = new Map<string, JournalRecord[]>();
  for (const record of records) {
    const list = byJudge.get(record.judge) ?? [];
    list.push(record);
    byJudge.set(record.judge, list);
  }
  const out: Record<string, JudgeRunStats> = {};
  for (const [judge, list] of [...byJudge].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const failures: Partial<Record<FailureCause, number>> = {};
    const latencies: number[] = [];
    let providerCalls = 0;
    for (const record of list) {
      if (record.verdict.status === 'failed') failures[record.verdict.cause] = (failures[record.verdict.cause] ?? 0) + 1;
      if (record.source === 'provider' && !record.shares_call_with) {
        providerCalls += record.attempts;
        if (record.verdict.status === 'scored') latencies.push(record.latency_ms);
      }
    }
    latencies.sort((a, b) => a - b);
    out[judge] = {
      verdicts: list.length,
      scored: list.filter((r) => r.verdict.status === 'scored').length,
      failed: list.filter((r) => r.verdict.status === 'failed').length,
      failures_by_cause: failures,
      provider_calls: providerCalls,
      cache_hits: list.filter((r) => r.source === 'cache' && !r.shares_call_with).length,
      retries: list.reduce((sum, r) => sum + (r.source === 'provider' && !r.shares_call_with ? Math.max(0, r.attempts - 1) : 0), 0),
      tokens: {
        input: sum(list, (r) => r.usage.inputTokens),
        output: sum(list, (r) => r.usage.outputTokens),
        cached_input: sum(list, (r) => r.usage.cachedInputTokens),
      },
      cost_usd: list.reduce((sum, r) => sum + (r.source === 'provider' ? costOf(r.usage, priceOf(judge)) : 0), 0),
      latency_ms: { p50: percentile(latencies, 0.5), p90: percentile(latencies, 0.9), p99: percentile(latencies, 0.99), max: latencies.at(-1) ?? null },
    };
  }
  return out;
}

function sum(records: readonly JournalRecord[], pick: (r: JournalRecord) => number): number {
  return records.reduce((total, r) => total + pick(r), 0);
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? null;
}
