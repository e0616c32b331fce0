import { closeSync, openSync, readSync } from 'node:fs';
import { unreadable } from '../config/read-text.js';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { firstInvalidUtf8 } from '../diagnostics/source.js';
import { canonicalJson, sha256 } from '../format/canonical-json.js';
import { compareIds } from '../format/compare-ids.js';
import { forEachLine } from '../format/lines.js';
import { fileKind, gunzipToTemp, readWhole } from './files.js';
import { normalizeTranscript, type TranscriptFormat } from './formats/normalize.js';
import { Notes } from './formats/reader.js';
import { parseTranscriptFile, parseTranscriptLine, type ReadOptions, type ReadTranscript } from './parse.js';
import { assistantTurns, type Transcript } from './transcript.js';

/** A dataset file and how its transcripts are read (`format:` on a dataset entry in jury.yaml; auto by default). */
export interface DatasetSource {
  file: string;
  format?: TranscriptFormat | 'auto';
}

/** What a run keeps of a transcript while it judges: enough to plan, to hash, and to read it again. */
export interface DatasetEntry {
  id: string;
  file: string;
  line?: number;
  /** The format it was read as: a JSONL line is read back in the same one. */
  format: TranscriptFormat;
  /** Where its JSONL line is read back from when that is not `file` (a gzipped file's unpacked copy). */
  source?: string;
  /** Byte range of its JSONL line; the transcript is read back from there when it is judged. */
  offset?: number;
  length?: number;
  /** Set for a transcript from a JSON or YAML file (one a file, small sets): kept as it is. */
  transcript?: Transcript;
  /** Message indexes of the assistant turns (for per-turn rubrics). */
  turns: number[];
  /** Hash of the transcript's content (not of where it was read): the configuration hash is built from these. */
  digest: string;
}

/**
 * A dataset read as a stream: every transcript checked (with file:line diagnostics) and handed to `visit`
 * once, then dropped; what stays is one DatasetEntry each, and `get` reads a JSONL transcript back from its
 * line when it is needed. 100,000 conversations cost a few megabytes, not their text.
 */
export class Dataset {
  private readonly byId: Map<string, DatasetEntry>;
  private readonly fds = new Map<string, number>();
  private readonly recent = new Map<string, Transcript>();

  constructor(
    /** In id order. */
    readonly entries: readonly DatasetEntry[],
    private readonly memo = 64,
    /** What was read past, one note per file and kind (unknown keys, roles, parts). */
    readonly notes: readonly Diagnostic[] = [],
    /** Unpacked copies of gzipped files, removed by close(). */
    private readonly temporary: (() => void)[] = [],
  ) {
    this.byId = new Map(entries.map((e) => [e.id, e]));
  }

  get(id: string): Transcript {
    const known = this.recent.get(id);
    if (known) return known;
    const entry = this.byId.get(id);
    if (!entry) throw new Error(`no transcript ${id} in the dataset`);
    const transcript = entry.transcript ?? this.readLine(entry);
    this.recent.set(id, transcript);
    if (this.recent.size > this.memo) this.recent.delete(this.recent.keys().next().value!);
    return transcript;
  }

  /** How many transcripts were read in each format, e.g. { 'openai-chat': 30, anthropic: 12 }. */
  formats(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const e of this.entries) counts[e.format] = (counts[e.format] ?? 0) + 1;
    return counts;
  }

  private readLine(entry: DatasetEntry): Transcript {
    const source = entry.source ?? entry.file;
    let fd = this.fds.get(source);
    if (fd === undefined) {
      fd = openSync(source, 'r');
      this.fds.set(source, fd);
    }
    const bytes = Buffer.allocUnsafe(entry.length!);
    if (readSync(fd, bytes, 0, bytes.length, entry.offset!) !== bytes.length) throw new Error(`${entry.file} changed while it was judged`);
    // Checked when the dataset was loaded; read again the same way, in the format it was read as then.
    const read = normalizeTranscript(JSON.parse(stripLine(new TextDecoder().decode(bytes))), entry.format, new Notes());
    if (!read.transcript) throw new Error(`${entry.file}:${entry.line} changed while it was judged`);
    return { ...read.transcript, file: entry.file, line: entry.line! };
  }

  close(): void {
    for (const fd of this.fds.values()) closeSync(fd);
    this.fds.clear();
    for (const remove of this.temporary.splice(0)) remove();
  }
}

/** Hash of a transcript's content, whatever file or line it came from. */
export function transcriptDigest(transcript: Transcript): string {
  const { file: _file, line: _line, ...content } = transcript;
  return sha256(canonicalJson(content));
}

/**
 * Reads every transcript file: JSONL line by line (a chunk at a time; gzipped ones unpacked to a temporary copy
 * first), JSON and YAML whole (one transcript or an array). Each transcript is read in its entry's format, or
 * the one its shape says. Ids must be unique across the dataset. Every problem is reported, not just the first.
 * `visit` sees each valid transcript once.
 */
export async function streamDataset(sources: readonly (string | DatasetSource)[], visit?: (transcript: Transcript, entry: DatasetEntry) => void): Promise<Loaded<Dataset>> {
  const diagnostics: Diagnostic[] = [];
  const notes: Diagnostic[] = [];
  const entries: DatasetEntry[] = [];
  const temporary: (() => void)[] = [];
  const seen = new Map<string, { file: string; line?: number }>();
  const take = ({ transcript, format }: ReadTranscript, range?: { offset: number; length: number; source?: string }) => {
    const earlier = seen.get(transcript.id);
    if (earlier) {
      diagnostics.push({ code: 'transcript/duplicate-id', severity: 'error', file: transcript.file, line: transcript.line, path: ['id'], message: `transcript id \`${transcript.id}\` is also used at ${earlier.file}${earlier.line ? `:${earlier.line}` : ''}`, expected: 'a distinct id per transcript' });
      return;
    }
    seen.set(transcript.id, { file: transcript.file, line: transcript.line });
    const entry: DatasetEntry = { id: transcript.id, file: transcript.file, line: transcript.line, format, ...(range ?? { transcript }), turns: assistantTurns(transcript), digest: transcriptDigest(transcript) };
    entries.push(entry);
    visit?.(transcript, entry);
  };
  for (const given of sources) {
    const { file, format = 'auto' } = typeof given === 'string' ? { file: given } : given;
    const kind = fileKind(file);
    if (!('lines' in kind)) {
      diagnostics.push(kind);
      continue;
    }
    const options: ReadOptions = { format, notes: new Notes() };
    if (kind.lines && kind.gzip) {
      const unpacked = await gunzipToTemp(file);
      if (!unpacked.ok) diagnostics.push(unpacked.diagnostic);
      else {
        temporary.push(unpacked.remove);
        readJsonl(file, options, (t, range) => take(t, { ...range, source: unpacked.path }), diagnostics, unpacked.path);
      }
    } else if (kind.lines) readJsonl(file, options, take, diagnostics);
    else {
      const read = await readWhole(file, kind);
      if (!read.ok) diagnostics.push(read.diagnostic);
      else {
        const parsed = parseTranscriptFile(file, read.text, options);
        if (parsed.ok) parsed.value.forEach((t) => take(t));
        else diagnostics.push(...parsed.diagnostics);
      }
    }
    for (const message of options.notes.lines()) notes.push({ code: 'transcript/read-past', severity: 'warning', file, path: [], message });
  }
  if (diagnostics.length) {
    for (const remove of temporary) remove();
    return { ok: false, diagnostics: [...diagnostics, ...notes] };
  }
  return { ok: true, value: new Dataset(entries.sort((a, b) => compareIds(a.id, b.id)), 64, notes, temporary), warnings: notes };
}

/** Every transcript in memory, in id order: for the commands that need them all at once (labels, review). */
export async function loadDataset(files: readonly (string | DatasetSource)[]): Promise<Loaded<Transcript[]> & { formats?: Record<string, number> }> {
  const transcripts: Transcript[] = [];
  const loaded = await streamDataset(files, (t) => transcripts.push(t));
  if (!loaded.ok) return loaded;
  loaded.value.close();
  return { ok: true, value: transcripts.sort((a, b) => compareIds(a.id, b.id)), warnings: loaded.warnings, formats: loaded.value.formats() };
}

function readJsonl(file: string, options: ReadOptions, take: (t: ReadTranscript, range: { offset: number; length: number }) => void, diagnostics: Diagnostic[], source = file): void {
  let fd: number;
  try {
    fd = openSync(source, 'r');
  } catch (error) {
    diagnostics.push(unreadable(file, error));
    return;
  }
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let found = 0;
  let lines = 0;
  const before = diagnostics.length;
  const line = (bytes: Uint8Array, offset: number, index: number) => {
    lines++;
    let text: string;
    try {
      text = decoder.decode(bytes);
    } catch {
      diagnostics.push({ code: 'file/encoding', severity: 'error', file, line: index + 1, path: [], message: `invalid UTF-8 at byte ${offset + firstInvalidUtf8(bytes)}`, expected: 'a UTF-8 text file', hint: 're-save the file as UTF-8' });
      return;
    }
    const parsed = parseTranscriptLine(file, stripLine(text), index, options);
    diagnostics.push(...parsed.diagnostics);
    if (parsed.read) {
      found++;
      take(parsed.read, { offset, length: bytes.length });
    }
  };
  try {
    const { rest, restOffset } = forEachLine((into, position) => readSync(fd, into, 0, into.length, position), line);
    // The last line may lack its newline.
    if (rest.length) line(rest, restOffset, lines);
  } catch (error) {
    if (!(error as NodeJS.ErrnoException).code) throw error;
    diagnostics.push(unreadable(file, error));
    return;
  } finally {
    closeSync(fd);
  }
  if (found === 0 && diagnostics.length === before) {
    diagnostics.push({ code: 'transcript/empty', severity: 'error', file, path: [], message: 'the file holds no transcript', expected: 'one transcript object per line' });
  }
}

/** A line as the parser takes it: no byte-order mark (first line of a file), no carriage return. */
function stripLine(text: string): string {
  return text.replace(/^\uFEFF/, '').replace(/\r$/, '');
}

