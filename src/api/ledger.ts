import type { JudgeConfig } from '../config/config.js';
import { RunStats } from '../engine/run-stats.js';
import { JournalIndex } from '../journal/journal-index.js';
import type { JournalRecord } from '../journal/journal.js';
import { priceOf, type Price } from '../judges/prices.js';
import type { FailureCause } from '../judges/verdict.js';
import type { Plan } from '../plan/plan.js';

/** At most this many failures are listed in run.json; the counts per cause cover them all. */
const LISTED_ERRORS = 200;

export interface ListedError {
  key: string;
  judge: string;
  attempts: number;
  cause: FailureCause;
  message: string;
  raw?: string;
}

/**
 * What a run keeps of its verdicts while it runs: where each sits in the journal (and its score), counts for
 * run.json, the first failures. Fed by the journal as records are written (and by the earlier journal on
 * resume), so that nothing holds a verdict's text in memory.
 */
export class RunLedger {
  readonly index: JournalIndex;
  /** Every verdict in the journal, resumed ones included. */
  readonly all: RunStats;
  /** The verdicts this invocation obtained: what it spent. */
  readonly now: RunStats;
  readonly errors: ListedError[] = [];
  scored = 0;
  private readonly prices: Map<string, Price>;

  constructor(journalFile: string, plan: Plan, judges: readonly JudgeConfig[]) {
    this.index = new JournalIndex(journalFile, plan);
    this.prices = new Map(judges.map((j) => [j.id, priceOf(j).price]));
    this.all = new RunStats((id) => this.priceOf(id));
    this.now = new RunStats((id) => this.priceOf(id));
  }

  priceOf(judge: string): Price {
    return this.prices.get(judge) ?? { input: 0, output: 0, cached_input: 0 };
  }

  /** Notes a journaled record; what the index says of it (its slot, whether it replaces an earlier record). */
  add(record: JournalRecord, offset: number, length: number, fresh: boolean): ReturnType<JournalIndex['add']> {
    const noted = this.index.add(record, offset, length);
    this.all.add(record);
    if (fresh) this.now.add(record);
    const v = record.verdict;
    if (v.status === 'scored') this.scored++;
    else if (this.errors.length < LISTED_ERRORS) this.errors.push({ key: record.key, judge: record.judge, attempts: record.attempts, cause: v.cause, message: v.message, ...(v.raw === undefined ? {} : { raw: v.raw }) });
    return noted;
  }

  /** The causes of the failures listed. */
  causes(): string[] {
    return [...new Set(this.errors.map((e) => e.cause))];
  }
}
