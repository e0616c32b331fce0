import { closeSync, openSync, readSync } from 'node:fs';

/** Bytes read at once for one window. */
const WINDOW_BYTES = 64 * 1024;
/** How far before a requested range a window starts: lines asked for together are near, not always after. */
const WINDOW_LEAD = 8 * 1024;
/** Windows kept: one per region being read (the judges of a cached run journal in separate stretches). */
const WINDOWS = 8;

/**
 * Reads byte ranges of an append-only file through a few windows, so that many small nearby reads cost one
 * read() each window instead of one each. Bytes before the end of the file never change (append-only), so a
 * window stays valid; a range past a window's end is read again.
 */
export class WindowReader {
  private fd: number | undefined;
  /** Most recently used last. */
  private windows: { start: number; length: number; bytes: Buffer }[] = [];

  constructor(private readonly file: string) {}

  /** The bytes of [offset, offset + length) as UTF-8 text. */
  text(offset: number, length: number): string {
    this.fd ??= openSync(this.file, 'r');
    if (length > WINDOW_BYTES - WINDOW_LEAD) {
      const bytes = Buffer.allocUnsafe(length);
      if (readSync(this.fd, bytes, 0, length, offset) !== length) throw this.changed();
      return bytes.toString('utf8');
    }
    let at = this.windows.findIndex((w) => offset >= w.start && offset + length <= w.start + w.length);
    if (at < 0) {
      const reused = this.windows.length >= WINDOWS ? this.windows.shift()!.bytes : Buffer.allocUnsafe(WINDOW_BYTES);
      const start = Math.max(0, offset - WINDOW_LEAD);
      const window = { start, length: readSync(this.fd, reused, 0, WINDOW_BYTES, start), bytes: reused };
      if (offset + length > window.start + window.length) throw this.changed();
      this.windows.push(window);
      at = this.windows.length - 1;
    } else if (at !== this.windows.length - 1) {
      this.windows.push(...this.windows.splice(at, 1));
      at = this.windows.length - 1;
    }
    const window = this.windows[at]!;
    return window.bytes.toString('utf8', offset - window.start, offset - window.start + length);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
    this.windows = [];
  }

  private changed(): Error {
    return new Error(`the journal ${this.file} changed while it was read`);
  }
}
