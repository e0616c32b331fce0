import { z } from 'zod';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { didYouMean } from '../diagnostics/did-you-mean.js';
import { parseSource, type SourceDoc } from '../diagnostics/source.js';
import { zodDiagnostics } from '../diagnostics/zod-issues.js';
import { normalizeTranscript, type TranscriptFormat } from './formats/normalize.js';
import { isRecord, Notes, type Problem } from './formats/reader.js';
import { assistantTurns, Label, type Transcript } from './transcript.js';

/** A transcript read from a file, with the format it was read as. */
export interface ReadTranscript {
  transcript: Transcript;
  format: TranscriptFormat;
}

/** How a file's transcripts are read: in a named format, or each in the format its shape says. */
export interface ReadOptions {
  format: TranscriptFormat | 'auto';
  notes: Notes;
}

/** Parses a JSON or YAML transcript file's text: one transcript, or an array of them. (JSONL: parseTranscriptLine.) */
export function parseTranscriptFile(file: string, text: string, options: ReadOptions = { format: 'auto', notes: new Notes() }): Loaded<ReadTranscript[]> {
  const parsed = parseSource(file, text, { json: /\.json(\.gz)?$/i.test(file) });
  if (!parsed.ok) return parsed;
  const value = parsed.doc.value;
  if (value == null || (Array.isArray(value) && value.length === 0)) {
    return { ok: false, diagnostics: [{ code: 'transcript/empty', severity: 'error', file, path: [], message: 'the file holds no transcript', expected: 'a transcript object, or an array of them' }] };
  }
  const read: ReadTranscript[] = [];
  const diagnostics: Diagnostic[] = [];
  const each = Array.isArray(value) ? value.map((_, i) => [i]) : [[]];
  for (const prefix of each) {
    const doc = prefix.length ? within(parsed.doc, prefix) : parsed.doc;
    const checked = checkTranscript(doc, doc.locate([])?.line ?? 1, options);
    diagnostics.push(...checked.diagnostics.map((d) => ({ ...d, path: [...prefix, ...d.path] })));
    if (checked.read) read.push(checked.read);
  }
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, value: read, warnings: [] };
}

/** One line of a JSONL dataset (0-based `index`); a blank line is neither a transcript nor a problem. */
export function parseTranscriptLine(file: string, line: string, index: number, options: ReadOptions = { format: 'auto', notes: new Notes() }): { read?: ReadTranscript; diagnostics: Diagnostic[] } {
  if (line.trim() === '') return { diagnostics: [] };
  const parsed = parseSource(file, line.replace(/\r$/, ''), { lineOffset: index, json: true });
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  if (!isRecord(parsed.doc.value)) return { diagnostics: [{ code: 'json/syntax', severity: 'error', file, line: index + 1, path: [], message: 'a JSONL line must hold one JSON object', expected: 'a transcript object' }] };
  return checkTranscript(parsed.doc, index + 1, options);
}

/** The element at `prefix` of a document, located within the same file. */
function within(doc: SourceDoc, prefix: (string | number)[]): SourceDoc {
  const value = prefix.reduce<unknown>((v, key) => (v as Record<string | number, unknown>)[key], doc.value);
  return { file: doc.file, value, locate: (path, options) => doc.locate([...prefix, ...path], options) };
}

const LabelsOnly = z.looseObject({ labels: z.record(z.string(), z.array(Label)).optional() });
const CONVERSATION_KEYS = ['messages', 'input', 'output'];

function checkTranscript(doc: SourceDoc, line: number, options: ReadOptions): { read?: ReadTranscript; diagnostics: Diagnostic[] } {
  const normalized = normalizeTranscript(doc.value, options.format, options.notes);
  const format = normalized.format;
  const diagnostics = normalized.problems.map((p) => located(doc, p, format));
  const labels = LabelsOnly.safeParse(doc.value);
  if (!labels.success && isRecord(doc.value)) diagnostics.push(...zodDiagnostics(LabelsOnly, doc, labels.error.issues, { invalid: 'transcript/invalid', unknownKey: 'transcript/unknown-key' }));
  if (diagnostics.length || !normalized.transcript) return { diagnostics };
  const transcript: Transcript = { ...normalized.transcript, file: doc.file, line };
  const problems = conversationRules(transcript, doc, format);
  return problems.length ? { diagnostics: problems } : { read: { transcript, format }, diagnostics: [] };
}

/** A problem at its line and column, naming the format jury read the transcript as. */
function located(doc: SourceDoc, problem: Problem, format: TranscriptFormat): Diagnostic {
  const where = doc.locate(problem.path) ?? doc.locate([]);
  const field = problem.path.length ? `${describe(problem.path)}: ` : '';
  const diagnostic: Diagnostic = { code: 'transcript/invalid', severity: 'error', file: doc.file, ...(where ?? {}), path: problem.path, message: `${field}${problem.message} (read as ${format})`, ...(problem.expected ? { expected: problem.expected } : {}) };
  // A conversation under a misspelt key: point at the key and name the right one.
  if (problem.path.length === 0 && isRecord(doc.value)) {
    for (const key of Object.keys(doc.value)) {
      const suggestion = didYouMean(key, CONVERSATION_KEYS);
      if (!suggestion || suggestion === key) continue;
      return { ...diagnostic, code: 'transcript/unknown-key', ...(doc.locate([key], { key: true }) ?? {}), path: [key], message: `unknown key \`${key}\` and no conversation (read as ${format})`, hint: `did you mean \`${suggestion}\`?` };
    }
  }
  return diagnostic;
}

function describe(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

/** Rules a schema cannot express: tool results answer earlier calls, and there is something to judge. */
function conversationRules(transcript: Transcript, doc: SourceDoc, format: TranscriptFormat): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[]) => ({ file: doc.file, path, ...(doc.locate(path) ?? doc.locate([]) ?? {}) });
  const where = format === 'responses' ? [] : ['messages'];
  if (transcript.messages.length === 0) {
    return [{ code: 'transcript/empty', severity: 'error', ...at(where), message: `transcript \`${transcript.id}\` has no messages (read as ${format})`, expected: 'at least one user and one assistant message' }];
  }
  const called = new Set<string>();
  for (const message of transcript.messages) {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) called.add(call.id);
    if (message.role === 'tool' && !called.has(message.tool_call_id)) {
      out.push({ code: 'transcript/orphan-tool-result', severity: 'error', ...at(where), message: `tool result answers \`${message.tool_call_id}\`, which no earlier assistant message called (read as ${format})`, expected: 'the id of an earlier assistant tool call' });
    }
  }
  if (assistantTurns(transcript).length === 0) {
    out.push({ code: 'transcript/no-assistant-turn', severity: 'error', ...at(where), message: `transcript \`${transcript.id}\` has no assistant message with text to judge (read as ${format})`, expected: 'at least one assistant message with content' });
  }
  return out;
}
