import { closeSync, openSync, readSync } from 'node:fs';
import { JOURNAL_FORMAT, type BatchEntry, type JournalHeader, type JournalRecord } from './journal.js';

export type JournalLine = JournalRecord | BatchEntry;

export type ScanResult = { ok: true; header: JournalHeader; tornTail: boolean } | { ok: false; reason: string };

export type Replay =
  | { ok: true; header: JournalHeader; records: JournalRecord[]; batches: BatchEntry[]; tornTail: boolean }
  | { ok: false; reason: string };

/** Visits each line after the header, with where it sits in the file (bytes, newline excluded). */
export type LineVisitor = (line: JournalLine, offset: number, length: number) => void;

const CHUNK = 1 << 20;

/**
 * Reads a journal file line by line, a megabyte at a time: a run of 100,000 verdicts is never held whole.
 * A last line without its newline was cut short by a crash and is left out (its verdict is asked again, and
 * JournalWriter.append cuts it); a bad line anywhere else means the file was edited or corrupted, and
 * resuming from it would be a guess.
 */
export function scanJournal(file: string, visit: LineVisitor): ScanResult {
  const fd = openSync(file, 'r');
  try {
    return scan((into, position) => readSync(fd, into, 0, into.length, position), visit);
  } finally {
    closeSync(fd);
  }
}

/** The same reading over a journal's text, collecting every record and batch (small journals, tests). */
export function replayJournal(text: string): Replay {
  const bytes = Buffer.from(text);
  const records: JournalRecord[] = [];
  const batches: BatchEntry[] = [];
  const result = scan(
    (into, position) => bytes.copy(into, 0, position, Math.min(bytes.length, position + into.length)),
    (line) => (isBatch(line) ? batches.push(line) : records.push(line)),
  );
  return result.ok ? { ...result, records, batches } : result;
}

export function isBatch(line: JournalLine): line is BatchEntry {
  return (line as BatchEntry).kind === 'batch';
}

function scan(read: (into: Buffer, position: number) => number, visit: LineVisitor): ScanResult {
  const chunk = Buffer.allocUnsafe(CHUNK);
  let carry = Buffer.alloc(0);
  /** File offset of the first byte of `carry`. */
  let base = 0;
  let lineNumber = 0;
  let header: JournalHeader | undefined;
  for (;;) {
    const read_ = read(chunk, base + carry.length);
    if (read_ === 0) break;
    const data = carry.length ? Buffer.concat([carry, chunk.subarray(0, read_)]) : chunk.subarray(0, read_);
    let start = 0;
    for (let newline = data.indexOf(10, start); newline >= 0; newline = data.indexOf(10, start)) {
      lineNumber++;
      const text = data.toString('utf8', start, newline);
      if (lineNumber === 1) {
        const parsed = readHeader(text);
        if (typeof parsed === 'string') return { ok: false, reason: parsed };
        header = parsed;
      } else {
        let line: JournalLine;
        try {
          line = JSON.parse(text) as JournalLine;
        } catch {
          return { ok: false, reason: `line ${lineNumber} of the journal is not JSON` };
        }
        visit(line, base + start, newline - start);
      }
      start = newline + 1;
    }
    // Copied: `chunk` is overwritten by the next read.
    carry = Buffer.from(data.subarray(start));
    base += start;
  }
  if (!header) return { ok: false, reason: 'the journal has no header line' };
  return { ok: true, header, tornTail: carry.length > 0 };
}

function readHeader(text: string): JournalHeader | string {
  let header: JournalHeader;
  try {
    header = JSON.parse(text) as JournalHeader;
  } catch {
    return 'the journal header is not JSON';
  }
  if (header.format !== JOURNAL_FORMAT.format) return 'not a jury journal';
  if (header.version > JOURNAL_FORMAT.version) return `journal format v${header.version} is newer than this jury reads (v${JOURNAL_FORMAT.version})`;
  return header;
}
