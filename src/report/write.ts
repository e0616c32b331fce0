import { closeSync, mkdirSync, openSync, readSync, renameSync, rmSync, writeFileSync, writeSync } from 'node:fs';
import path from 'node:path';
import { canonicalJson } from '../format/canonical-json.js';
import type { ItemResult, ReportHead } from './report.js';

/** Report numbers are rounded to this many decimals so that reruns and platforms give the same bytes. */
export const REPORT_DECIMALS = 4;

/** Writes a file whole or not at all: temp file in the same folder, then rename. */
export function writeAtomic(file: string, text: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temp, text);
  renameSync(temp, file);
}

/** Deterministic JSON: sorted keys, fixed rounding, two-space indent, a final newline. */
export function writeJson(file: string, value: unknown): void {
  writeAtomic(file, `${canonicalJson(value, { decimals: REPORT_DECIMALS, indent: 2 })}\n`);
}

/**
 * Writes a report as `writeJson` would write the whole object, byte for byte, with its items taken one at a
 * time: the items section of a large run never exists as one object or one string. `spooled`: a file holding
 * the section's first items as `itemsSection` wrote them (a run writes items while it judges); `items` then
 * continues after them.
 */
export function writeReport(file: string, head: ReportHead, items: Iterable<ItemResult>, spooled?: { file: string; items: number }): void {
  const text = canonicalJson({ ...head, items: [] }, { decimals: REPORT_DECIMALS, indent: 2 });
  // Top-level keys sit on their own lines two spaces in; a JSON string cannot hold a raw newline, so this
  // marker appears exactly once.
  const marker = '\n  "items": []';
  const at = text.indexOf(marker);
  if (at < 0 || text.indexOf(marker, at + 1) >= 0) throw new Error('report head without a single items section');
  mkdirSync(path.dirname(file), { recursive: true });
  const temp = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  const out = new BufferedFile(temp);
  try {
    out.write(text.slice(0, at + marker.length - 1));
    let count = 0;
    if (spooled && spooled.items > 0) {
      out.copy(spooled.file);
      count = spooled.items;
    }
    for (const item of items) out.write(itemsSection(item, count++));
    out.write(count === 0 ? ']' : '\n  ]');
    out.write(`${text.slice(at + marker.length)}\n`);
    out.close();
  } catch (error) {
    out.close();
    rmSync(temp, { force: true });
    throw error;
  }
  renameSync(temp, file);
}

/** The text of the `position`-th item (from 0) in the report's items section: the items are joined by these. */
export function itemsSection(item: ItemResult, position: number): string {
  // Each item at depth two of the whole document: its lines indented four spaces more.
  return `${position === 0 ? '' : ','}\n    ${canonicalJson(item, { decimals: REPORT_DECIMALS, indent: 2 }).replaceAll('\n', '\n    ')}`;
}

/** Appends text to a file through a 256 KB buffer: one write per many small pieces. */
export class BufferedFile {
  private readonly fd: number;
  private readonly buffer = Buffer.allocUnsafe(256 * 1024);
  private used = 0;
  private closed = false;

  constructor(file: string) {
    this.fd = openSync(file, 'w');
  }

  write(text: string): void {
    if (Buffer.byteLength(text) > this.buffer.length - this.used) {
      this.flush();
      if (Buffer.byteLength(text) > this.buffer.length) {
        writeSync(this.fd, text);
        return;
      }
    }
    this.used += this.buffer.write(text, this.used);
  }

  /** Appends a whole file's bytes. */
  copy(file: string): void {
    this.flush();
    const from = openSync(file, 'r');
    try {
      for (let read; (read = readSync(from, this.buffer, 0, this.buffer.length, null)) > 0; ) {
        this.used = read;
        this.flush();
      }
    } finally {
      closeSync(from);
    }
  }

  private flush(): void {
    for (let done = 0; done < this.used; ) done += writeSync(this.fd, this.buffer, done, this.used - done);
    this.used = 0;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    try {
      this.flush();
    } finally {
      closeSync(this.fd);
    }
  }
}
