import { closeSync, openSync, readSync } from 'node:fs';
import { forEachLine } from '../format/lines.js';
import { JOURNAL_FORMAT, type BatchEntry, type JournalHeader, type JournalRecord } from './journal.js';

export type JournalLine = JournalRecord | BatchEntry;

export type ScanResult = { ok: true; header: JournalHeader; tornTail: boolean } | { ok: false; reason: string };

export type Replay =
  | { ok: true; header: JournalHeader; records: JournalRecord[]; batches: BatchEntry[]; tornTail: boolean }
  | { ok: false; reason: string };

/** Visits each line after the header, with where it sits in the file (bytes, newline excluded). */
export type LineVisitor = (line: JournalLine, offset: number, length: number) => void;

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
    (into, position) => bytes.copy(into, 0, Math.min(bytes.length, position), Math.min(bytes.length, position + into.length)),
    (line) => (isBatch(line) ? batches.push(line) : records.push(line)),
  );
  return result.ok ? { ...result, records, batches } : result;
}

export function isBatch(line: JournalLine): line is BatchEntry {
  return (line as BatchEntry).kind === 'batch';
}

function scan(read: (into: Uint8Array, position: number) => number, visit: LineVisitor): ScanResult {
  let header: JournalHeader | undefined;
  let problem: string | undefined;
  const decoder = new TextDecoder();
  const { rest } = forEachLine(read, (bytes, offset, index) => {
    const text = decoder.decode(bytes);
    if (index === 0) {
      const parsed = readHeader(text);
      if (typeof parsed === 'string') {
        problem = parsed;
        return false;
      }
      header = parsed;
      return;
    }
    let line: JournalLine;
    try {
      line = JSON.parse(text) as JournalLine;
    } catch {
      problem = `line ${index + 1} of the journal is not JSON`;
      return false;
    }
    visit(line, offset, bytes.length);
  });
  if (problem) return { ok: false, reason: problem };
  if (!header) return { ok: false, reason: 'the journal has no header line' };
  return { ok: true, header, tornTail: rest.length > 0 };
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
