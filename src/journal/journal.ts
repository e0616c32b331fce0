import { closeSync, existsSync, openSync, readFileSync, writeSync } from 'node:fs';
import type { Usage, Verdict } from '../judges/verdict.js';

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

export type Replay =
  | { ok: true; header: JournalHeader; records: JournalRecord[]; batches: BatchEntry[]; tornTail: boolean }
  | { ok: false; reason: string };

/**
 * Reads a journal. A last line cut short by a crash is dropped (its verdict is asked again); a bad line
 * anywhere else means the file was edited or corrupted, and resuming from it would be a guess.
 */
export function replayJournal(text: string): Replay {
  const lines = text.split('\n');
  const endsClean = text.endsWith('\n');
  const complete = endsClean ? lines.slice(0, -1) : lines.slice(0, -1);
  const tail = endsClean ? undefined : lines[lines.length - 1];
  if (complete.length === 0) return { ok: false, reason: 'the journal has no header line' };
  let header: JournalHeader;
  try {
    header = JSON.parse(complete[0] ?? '') as JournalHeader;
  } catch {
    return { ok: false, reason: 'the journal header is not JSON' };
  }
  if (header.format !== JOURNAL_FORMAT.format) return { ok: false, reason: 'not a jury journal' };
  if (header.version > JOURNAL_FORMAT.version) return { ok: false, reason: `journal format v${header.version} is newer than this jury reads (v${JOURNAL_FORMAT.version})` };
  const records: JournalRecord[] = [];
  const batches: BatchEntry[] = [];
  const take = (line: unknown) => {
    if ((line as BatchEntry).kind === 'batch') batches.push(line as BatchEntry);
    else records.push(line as JournalRecord);
  };
  for (let i = 1; i < complete.length; i++) {
    try {
      take(JSON.parse(complete[i] ?? ''));
    } catch {
      return { ok: false, reason: `line ${i + 1} of the journal is not JSON` };
    }
  }
  let tornTail = false;
  if (tail !== undefined && tail !== '') {
    try {
      take(JSON.parse(tail));
    } catch {
      tornTail = true;
    }
  }
  return { ok: true, header, records, batches, tornTail };
}

/**
 * An append-only journal. Each record is one write() of one line on an O_APPEND descriptor: once write
 * returns, the line survives the process being killed (it is in the kernel's page cache).
 */
export class JournalWriter {
  private readonly fd: number;

  private constructor(fd: number) {
    this.fd = fd;
  }

  /** Starts a new journal, replacing any file there. */
  static create(file: string, header: JournalHeader): JournalWriter {
    const fd = openSync(file, 'w');
    writeSync(fd, `${JSON.stringify(header)}\n`);
    return new JournalWriter(fd);
  }

  /** Continues a journal; a torn last line is cut off first so that the next record starts on its own line. */
  static append(file: string): JournalWriter {
    if (existsSync(file)) {
      const text = readFileSync(file, 'utf8');
      if (text !== '' && !text.endsWith('\n')) {
        const cut = text.slice(0, text.lastIndexOf('\n') + 1);
        const fd = openSync(file, 'w');
        writeSync(fd, cut);
        closeSync(fd);
      }
    }
    return new JournalWriter(openSync(file, 'a'));
  }

  writeBatch(entry: BatchEntry): void {
    writeSync(this.fd, `${JSON.stringify(entry)}\n`);
  }

  write(record: JournalRecord): void {
    writeSync(this.fd, `${JSON.stringify(record)}\n`);
  }

  close(): void {
    closeSync(this.fd);
  }
}
