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
export function judgeRunStats(records: Iterable<JournalRecord>, priceOf?: (judge: string) => Price): Record<string, JudgeRunStats> {
  const stats = new RunStats(priceOf);
  for (const record of records) stats.add(record);
  return stats.result();
}

interface Tally {
  stats: Omit<JudgeRunStats, 'latency_ms'>;
  latencies: number[];
}

/** The same counts, kept record by record as a run journals them: nothing is held per verdict but a latency. */
export class RunStats {
  private readonly byJudge = new Map<string, Tally>();

  constructor(private readonly priceOf: (judge: string) => Price = () => ({ input: 0, output: 0, cached_input: 0 })) {}

  add(record: JournalRecord): void {
    let tally = this.byJudge.get(record.judge);
    if (!tally) {
      tally = { stats: { verdicts: 0, scored: 0, failed: 0, failures_by_cause: {}, provider_calls: 0, cache_hits: 0, retries: 0, tokens: { input: 0, output: 0, cached_input: 0 }, cost_usd: 0 }, latencies: [] };
      this.byJudge.set(record.judge, tally);
    }
    const s = tally.stats;
    s.verdicts++;
    if (record.verdict.status === 'scored') s.scored++;
    else {
      s.failed++;
      s.failures_by_cause[record.verdict.cause] = (s.failures_by_cause[record.verdict.cause] ?? 0) + 1;
    }
    // The other criteria of a combined call carry no call of their own.
    const ownCall = !record.shares_call_with;
    if (record.source === 'provider' && ownCall) {
      s.provider_calls += record.attempts;
      s.retries += Math.max(0, record.attempts - 1);
      if (record.verdict.status === 'scored') tally.latencies.push(record.latency_ms);
    }
    if (record.source === 'cache' && ownCall) s.cache_hits++;
    s.tokens.input += record.usage.inputTokens;
    s.tokens.output += record.usage.outputTokens;
    s.tokens.cached_input += record.usage.cachedInputTokens;
    if (record.source === 'provider') s.cost_usd += costOf(record.usage, this.priceOf(record.judge));
  }

  result(): Record<string, JudgeRunStats> {
    const out: Record<string, JudgeRunStats> = {};
    for (const [judge, { stats, latencies }] of [...this.byJudge].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const sorted = [...latencies].sort((a, b) => a - b);
      out[judge] = { ...stats, latency_ms: { p50: percentile(sorted, 0.5), p90: percentile(sorted, 0.9), p99: percentile(sorted, 0.99), max: sorted.at(-1) ?? null } };
    }
    return out;
  }
}

/** Nearest-rank percentile of sorted values; null when there are none. */
export function percentile(sorted: readonly number[], p: number): number | null {
  if (sorted.length === 0) return null;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))] ?? null;
}
