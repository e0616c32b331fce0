import { closeSync, existsSync, fstatSync, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import type { Usage, Verdict } from '../judges/verdict.js';
import type { PairOrder } from '../plan/plan.js';
import { writeAll } from './write-all.js';

export const JOURNAL_FORMAT = { format: 'jury.journal', version: 1 } as const;

export interface JournalHeader {
  format: typeof JOURNAL_FORMAT.format;
  version: number;
  config_hash: string;
  label: string;
  /** Set when the judges were replaced by mock judges (`--mock`), so a merge can rebuild the same panel. */
  mock?: boolean;
  /** Set on a shard's journal: which part of the items it judges. */
  shard?: { index: number; count: number };
}

/** One verdict as obtained: a line of verdicts.jsonl, standing alone. */
export interface JournalRecord {
  key: string;
  judge: string;
  item: string;
  turn?: number;
  /** Pairwise runs: which agent was shown first (plan.ts). */
  order?: PairOrder;
  rubric: string;
  criterion: string;
  sample: number;
  verdict: Verdict;
  attempts: number;
  usage: Usage;
  latency_ms: number;
  source: 'provider' | 'cache';
  /** Set on the other criteria of a combined call: the key of the record that carries the call's usage. */
  shares_call_with?: string;
}

/** A batch submitted to a provider: journaled before waiting, so a restarted run collects it, not resubmits. */
export interface BatchEntry {
  kind: 'batch';
  judge: string;
  batch_id: string;
  /** Custom id sent to the provider → key of the first call of the job it answers. */
  requests: Record<string, string>;
}

/** Told of every record as it is written, with where its line sits in the file (bytes, newline excluded). */
export type JournalObserver = (record: JournalRecord, offset: number, length: number) => void;

/** A record passed to writeSoon reaches the file within this long… */
export const SOON_MS = 25;
/** …or as soon as this many are waiting. */
export const SOON_RECORDS = 64;

/**
 * An append-only journal. Each record written with `write` is one write() of one line on an O_APPEND
 * descriptor: once write returns, the line survives the process being killed (it is in the kernel's page
 * cache). A record whose verdict is kept elsewhere already (its reply is in the reply cache, which `--resume`
 * reads) may go through `writeSoon` instead: records are then written together, a few at a time, one write()
 * and one pass of the observer for many (issue 21: at 200 ms latency every reply wakes the process on its own,
 * and each write() and each record's bookkeeping ran cold, ~10 µs a write where a warm one takes 2).
 */
export class JournalWriter {
  private pending: JournalRecord[] = [];
  private flushTimer: NodeJS.Timeout | undefined;
  /** A deferred write that failed: thrown to the next caller, since the timer that met it has no one to tell. */
  private failure: unknown;

  private constructor(
    private readonly fd: number,
    /** Byte offset of the next line: this process is the only writer (the run folder is locked). */
    private position: number,
    private readonly observer?: JournalObserver,
  ) {}

  /** Starts a new journal, replacing any file there. */
  static create(file: string, header: JournalHeader, observer?: JournalObserver): JournalWriter {
    const fd = openSync(file, 'w');
    const line = `${JSON.stringify(header)}\n`;
    writeSync(fd, line);
    return new JournalWriter(fd, Buffer.byteLength(line), observer);
  }

  /** Continues a journal; a torn last line is cut off first so that the next record starts on its own line. */
  static append(file: string, observer?: JournalObserver): JournalWriter {
    if (existsSync(file)) {
      const size = statSync(file).size;
      const complete = completeLength(file, size);
      if (complete < size) truncateSync(file, complete);
    }
    const fd = openSync(file, 'a');
    return new JournalWriter(fd, fstatSync(fd).size, observer);
  }

  writeBatch(entry: BatchEntry): void {
    this.flush();
    this.line(JSON.stringify(entry));
  }

  /** Writes a record now (after any waiting from writeSoon, so the file keeps the order records were given in). */
  write(record: JournalRecord): void {
    this.flush();
    const offset = this.position;
    const length = this.line(JSON.stringify(record));
    this.observer?.(record, offset, length);
  }

  /**
   * Writes a record within SOON_MS, with others: only for a verdict that a kill -9 before then does not lose (its
   * reply is in the reply cache). The record must not change afterwards.
   */
  writeSoon(record: JournalRecord): void {
    this.throwFailure();
    this.pending.push(record);
    if (this.pending.length >= SOON_RECORDS) this.flush();
    else
      this.flushTimer ??= setTimeout(() => {
        try {
          this.flush();
        } catch (error) {
          this.failure = error;
        }
      }, SOON_MS);
  }

  /** Writes every record waiting from writeSoon; observers hear of each in order. */
  flush(): void {
    this.throwFailure();
    clearTimeout(this.flushTimer);
    this.flushTimer = undefined;
    if (this.pending.length === 0) return;
    const records = this.pending;
    this.pending = [];
    const lines = records.map((record) => JSON.stringify(record));
    const bytes = Buffer.from(`${lines.join('\n')}\n`);
    writeAll(this.fd, bytes);
    let offset = this.position;
    this.position += bytes.length;
    records.forEach((record, i) => {
      const length = Buffer.byteLength(lines[i]!);
      this.observer?.(record, offset, length);
      offset += length + 1;
    });
  }

  private throwFailure(): void {
    if (this.failure === undefined) return;
    const failure = this.failure;
    this.failure = undefined;
    throw failure;
  }

  private line(text: string): number {
    const bytes = Buffer.from(`${text}\n`);
    writeAll(this.fd, bytes);
    this.position += bytes.length;
    return bytes.length - 1;
  }

  /** Writes what waits, then closes; the descriptor is closed even when that write fails. */
  close(): void {
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}

/** Length of the file up to and including its last newline: what is left when a torn last line is cut. */
function completeLength(file: string, size: number): number {
  const fd = openSync(file, 'r');
  try {
    const chunk = Buffer.alloc(64 * 1024);
    for (let end = size; end > 0; ) {
      const start = Math.max(0, end - chunk.length);
      const read = readSync(fd, chunk, 0, end - start, start);
      const newline = chunk.subarray(0, read).lastIndexOf(10);
      if (newline >= 0) return start + newline + 1;
      end = start;
    }
    return 0;
  } finally {
    closeSync(fd);
  }
}
