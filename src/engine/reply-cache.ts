import { randomBytes } from 'node:crypto';
import { closeSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync } from 'node:fs';
import path from 'node:path';
import type { JudgeConfig } from '../config/config.js';
import type { ProviderReply } from '../judges/provider.js';
import { writeAll } from '../journal/write-all.js';

/** How replies are stored (the key's own version is CACHE_FORMAT, in cache-key.ts). */
export const CACHE_PACK_FORMAT = { format: 'jury.cache', version: 3 } as const;

/** An index record: the 32-byte sha256 key, the line's offset in its pack (float64, exact below 2^53), its length. */
const RECORD_BYTES = 44;
/** Pack files kept open for reading at once; older ones are closed and reopened when needed. */
const OPEN_PACKS = 32;
/** Index records wait at most this long, or until this many wait, and are then written together. */
export const INDEX_DELAY_MS = 25;
export const INDEX_BATCH = 64;

/** A stored reply: what the model answered, and to whom. No API key, no header. */
interface PackEntry {
  key: string;
  format: string;
  version: number;
  provider: string;
  model: string;
  reply: ProviderReply;
}

/**
 * Content-addressed reply cache. Each writer appends to a pack of its own (`packs/<stamp>-<pid>-<random>.jsonl`,
 * one JSON line per reply) and to the pack's index (`.idx`, fixed-size records): one append per reply instead
 * of creating a file, and no locks, since no two writers ever share a file (parallel shards, CI jobs restoring
 * one cache). The line is written at once (it is what keeps a paid-for reply through a kill -9); the index
 * records follow a few at a time, and a reader finds the lines past a pack's last index record by reading that
 * tail of the pack. A reader loads every index once; a miss costs a Map lookup. Anything torn or damaged (a cut
 * last record, an index pointing past its pack, a line for another key) is a miss, never an error: the cache is
 * an optimisation. Entries of the version-2 layout (`<2 hex>/<key>.json`, one file per reply) are still read.
 * Only replies that parsed into a valid verdict are stored, so a malformed reply is asked again, not replayed.
 */
export class ReplyCache {
  private index?: Map<string, number>;
  private readonly packs: string[] = [];
  private readonly packOf: number[] = [];
  private readonly offsetOf: number[] = [];
  private readonly lengthOf: number[] = [];
  private readonly readers = new Map<number, number>();
  private legacy = false;
  private writer?: { pack: number; fd: number; indexFd: number; size: number };
  /** Index records of lines already in the pack, not yet in its index. */
  private pendingIndex = Buffer.alloc(INDEX_BATCH * RECORD_BYTES);
  private pendingRecords = 0;
  private indexTimer: NodeJS.Timeout | undefined;
  /** Set when a write failed: later replies are not stored, the run goes on. */
  writeError?: string;

  constructor(private readonly dir: string) {}

  get(key: string): ProviderReply | undefined {
    const at = this.loaded().get(key);
    if (at === undefined) return this.legacy ? this.legacyGet(key) : undefined;
    try {
      const length = this.lengthOf[at]!;
      const bytes = Buffer.allocUnsafe(length);
      if (readSync(this.reader(this.packOf[at]!), bytes, 0, length, this.offsetOf[at]!) !== length) return undefined;
      const entry = JSON.parse(bytes.toString('utf8')) as PackEntry;
      return entry.key === key && entry.format === CACHE_PACK_FORMAT.format && entry.version === CACHE_PACK_FORMAT.version ? entry.reply : undefined;
    } catch {
      return undefined;
    }
  }

  /** Stores a reply; false when it could not be written (see writeError), which never stops a run. */
  put(key: string, judge: JudgeConfig, reply: ProviderReply): boolean {
    if (this.writeError !== undefined) return false;
    const index = this.loaded();
    try {
      const writer = (this.writer ??= this.openWriter());
      const entry: PackEntry = { key, ...CACHE_PACK_FORMAT, provider: judge.provider, model: judge.model, reply };
      const line = Buffer.from(`${JSON.stringify(entry)}\n`);
      writeAll(writer.fd, line);
      // The index record goes after its line: a crash between the two leaves the line to the tail scan, and an
      // index never points at half a line.
      const at = this.pendingRecords++ * RECORD_BYTES;
      this.pendingIndex.write(key, at, 32, 'hex');
      this.pendingIndex.writeDoubleLE(writer.size, at + 32);
      this.pendingIndex.writeUInt32LE(line.length, at + 40);
      index.set(key, this.add(writer.pack, writer.size, line.length));
      writer.size += line.length;
      if (this.pendingRecords === INDEX_BATCH) this.flushIndex();
      else this.indexTimer ??= setTimeout(() => this.flushIndex(), INDEX_DELAY_MS);
      return true;
    } catch (error) {
      this.writeError = (error as Error).message;
      return false;
    }
  }

  /** Writes the index records waiting; a failure stops later puts (a line without its record is found by the tail scan). */
  private flushIndex(): void {
    clearTimeout(this.indexTimer);
    this.indexTimer = undefined;
    if (this.pendingRecords === 0 || !this.writer) return;
    const records = this.pendingIndex.subarray(0, this.pendingRecords * RECORD_BYTES);
    this.pendingRecords = 0;
    try {
      writeAll(this.writer.indexFd, records);
    } catch (error) {
      this.writeError ??= (error as Error).message;
    }
  }

  close(): void {
    this.flushIndex();
    for (const fd of this.readers.values()) closeSync(fd);
    this.readers.clear();
    if (this.writer) {
      closeSync(this.writer.fd);
      closeSync(this.writer.indexFd);
      this.writer = undefined;
    }
  }

  /** Reads every pack's index once, oldest first (a key stored twice holds the same reply either way). */
  private loaded(): Map<string, number> {
    if (this.index) return this.index;
    this.index = new Map();
    let names: string[] = [];
    try {
      names = readdirSync(path.join(this.dir, 'packs')).filter((name) => name.endsWith('.idx')).sort();
    } catch {
      // No packs yet.
    }
    for (const name of names) {
      let records: Buffer;
      try {
        records = readFileSync(path.join(this.dir, 'packs', name));
      } catch {
        continue;
      }
      const pack = this.packs.push(path.join(this.dir, 'packs', name.replace(/\.idx$/, '.jsonl'))) - 1;
      // A cut last record (the writer was killed mid-write) is left out.
      let indexed = 0;
      for (let at = 0; at + RECORD_BYTES <= records.length; at += RECORD_BYTES) {
        const offset = records.readDoubleLE(at + 32);
        const length = records.readUInt32LE(at + 40);
        this.index.set(records.toString('hex', at, at + 32), this.add(pack, offset, length));
        indexed = Math.max(indexed, offset + length);
      }
      this.loadTail(pack, indexed);
    }
    try {
      this.legacy = readdirSync(this.dir).some((name) => /^[0-9a-f]{2}$/.test(name));
    } catch {
      this.legacy = false;
    }
    return this.index;
  }

  /**
   * Indexes the lines of a pack past its last index record: those whose records were still waiting when their
   * writer was killed (or that another writer is adding now). A cut or unreadable line is left out.
   */
  private loadTail(pack: number, from: number): void {
    let tail: Buffer;
    try {
      const fd = openSync(this.packs[pack]!, 'r');
      try {
        const size = fstatSync(fd).size;
        if (size <= from) return;
        tail = Buffer.allocUnsafe(size - from);
        tail = tail.subarray(0, readSync(fd, tail, 0, tail.length, from));
      } finally {
        closeSync(fd);
      }
    } catch {
      return;
    }
    for (let start = 0, end = tail.indexOf(10); end >= 0; start = end + 1, end = tail.indexOf(10, start)) {
      try {
        const { key } = JSON.parse(tail.toString('utf8', start, end)) as Partial<PackEntry>;
        if (typeof key === 'string' && /^[0-9a-f]{64}$/.test(key)) this.index!.set(key, this.add(pack, from + start, end + 1 - start));
      } catch {
        // A damaged line: a miss.
      }
    }
  }

  private add(pack: number, offset: number, length: number): number {
    this.packOf.push(pack);
    this.offsetOf.push(offset);
    return this.lengthOf.push(length) - 1;
  }

  private reader(pack: number): number {
    let fd = this.readers.get(pack);
    if (fd !== undefined) return fd;
    if (this.readers.size >= OPEN_PACKS) {
      const [oldest, oldestFd] = this.readers.entries().next().value as [number, number];
      closeSync(oldestFd);
      this.readers.delete(oldest);
    }
    fd = openSync(this.packs[pack]!, 'r');
    this.readers.set(pack, fd);
    return fd;
  }

  private openWriter(): { pack: number; fd: number; indexFd: number; size: number } {
    mkdirSync(path.join(this.dir, 'packs'), { recursive: true });
    // Time first so packs list oldest first; pid and random bytes so no two writers ever share a name.
    const base = path.join(this.dir, 'packs', `${Date.now().toString(36)}-${process.pid}-${randomBytes(4).toString('hex')}`);
    const fd = openSync(`${base}.jsonl`, 'wx');
    const indexFd = openSync(`${base}.idx`, 'wx');
    return { pack: this.packs.push(`${base}.jsonl`) - 1, fd, indexFd, size: 0 };
  }

  /** The version-2 layout: one `<2 hex>/<key>.json` file per reply. */
  private legacyGet(key: string): ProviderReply | undefined {
    try {
      const entry = JSON.parse(readFileSync(path.join(this.dir, key.slice(0, 2), `${key}.json`), 'utf8')) as Omit<PackEntry, 'key'>;
      return entry.format === 'jury.cache' && entry.version === 2 ? entry.reply : undefined;
    } catch {
      return undefined;
    }
  }
}
