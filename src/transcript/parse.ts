import { checkSource } from '../diagnostics/check.js';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { parseSource, type SourceDoc } from '../diagnostics/source.js';
import { assistantTurns, TranscriptSchema, type Transcript } from './transcript.js';

const CODES = { invalid: 'transcript/invalid', unknownKey: 'transcript/unknown-key' } as const;

/** Parses a JSON or YAML transcript file's text: one transcript a file. (JSONL is read line by line: parseTranscriptLine.) */
export function parseTranscriptFile(file: string, text: string): Loaded<Transcript[]> {
  const parsed = parseSource(file, text, { json: /\.json$/i.test(file) });
  if (!parsed.ok) return parsed;
  if (parsed.doc.value == null) {
    return { ok: false, diagnostics: [{ code: 'transcript/empty', severity: 'error', file, path: [], message: 'the file is empty', expected: 'a transcript object' }] };
  }
  const checked = checkTranscript(parsed.doc, 1);
  return checked.transcript ? { ok: true, value: [checked.transcript], warnings: [] } : { ok: false, diagnostics: checked.diagnostics };
}

/** One line of a JSONL dataset (0-based `index`); a blank line is neither a transcript nor a problem. */
export function parseTranscriptLine(file: string, line: string, index: number): { transcript?: Transcript; diagnostics: Diagnostic[] } {
  if (line.trim() === '') return { diagnostics: [] };
  const parsed = parseSource(file, line.replace(/\r$/, ''), { lineOffset: index, json: true });
  if (!parsed.ok) return { diagnostics: parsed.diagnostics };
  if (!isObject(parsed.doc.value)) return { diagnostics: [{ code: 'json/syntax', severity: 'error', file, line: index + 1, path: [], message: 'a JSONL line must hold one JSON object', expected: 'a transcript object' }] };
  return checkTranscript(parsed.doc, index + 1);
}

function checkTranscript(doc: SourceDoc, line: number): { transcript?: Transcript; diagnostics: Diagnostic[] } {
  const checked = checkSource(TranscriptSchema, doc, CODES);
  if (!checked.ok) return { diagnostics: checked.diagnostics };
  const transcript: Transcript = { ...checked.value, file: doc.file, line };
  const problems = conversationRules(transcript, doc);
  return problems.length ? { diagnostics: problems } : { transcript, diagnostics: [] };
}

function isObject(value: unknown): boolean {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Rules a schema cannot express: tool results answer earlier calls, and there is something to judge. */
function conversationRules(transcript: Transcript, doc: SourceDoc): Diagnostic[] {
  const out: Diagnostic[] = [];
  const at = (path: (string | number)[]) => ({ file: doc.file, path, ...(doc.locate(path) ?? {}) });
  if (transcript.messages.length === 0) {
    return [{ code: 'transcript/empty', severity: 'error', ...at(['messages']), message: `transcript \`${transcript.id}\` has no messages`, expected: 'at least one user and one assistant message' }];
  }
  const called = new Set<string>();
  transcript.messages.forEach((message, index) => {
    if (message.role === 'assistant') for (const call of message.tool_calls ?? []) called.add(call.id);
    if (message.role === 'tool' && !called.has(message.tool_call_id)) {
      out.push({ code: 'transcript/orphan-tool-result', severity: 'error', ...at(['messages', index, 'tool_call_id']), message: `tool result answers \`${message.tool_call_id}\`, which no earlier assistant message called`, expected: 'the id of an earlier assistant tool_calls entry' });
    }
  });
  if (assistantTurns(transcript).length === 0) {
    out.push({ code: 'transcript/no-assistant-turn', severity: 'error', ...at(['messages']), message: `transcript \`${transcript.id}\` has no assistant message with text to judge`, expected: 'at least one assistant message with content' });
  }
  return out;
}
