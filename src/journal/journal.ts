import { closeSync, existsSync, fstatSync, openSync, readSync, statSync, truncateSync, writeSync } from 'node:fs';
import type { Usage, Verdict } from '../judges/verdict.js';
import type { PairOrder } from '../plan/plan.js';

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

/**
 * An append-only journal. Each record is one write() of one line on an O_APPEND descriptor: once write
 * returns, the line survives the process being killed (it is in the kernel's page cache).
 */
export class JournalWriter {
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
    this.line(JSON.stringify(entry));
  }

  write(record: JournalRecord): void {
    const offset = this.position;
    const length = this.line(JSON.stringify(record));
    this.observer?.(record, offset, length);
  }

  private line(text: string): number {
    const bytes = Buffer.from(`${text}\n`);
    writeSync(this.fd, bytes);
    this.position += bytes.length;
    return bytes.length - 1;
  }

  close(): void {
    closeSync(this.fd);
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
