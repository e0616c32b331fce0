import { checkSource } from '../diagnostics/check.js';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { parseSource, type SourceDoc } from '../diagnostics/source.js';
import { assistantTurns, TranscriptSchema, type Transcript } from './transcript.js';

const CODES = { invalid: 'transcript/invalid', unknownKey: 'transcript/unknown-key' } as const;

/** Parses a transcript file's text: JSONL holds one transcript a line, JSON and YAML one a file. */
export function parseTranscripts(file: string, text: string): Loaded<Transcript[]> {
  const diagnostics: Diagnostic[] = [];
  const transcripts: Transcript[] = [];
  const docs: { doc: SourceDoc; line: number }[] = [];
  if (/\.jsonl$/i.test(file)) {
    const lines = text.split('\n');
    lines.forEach((line, index) => {
      if (line.trim() === '') return;
      const parsed = parseSource(file, line.replace(/\r$/, ''), { lineOffset: index, json: true });
      if (!parsed.ok) diagnostics.push(...parsed.diagnostics);
      else if (!isObject(parsed.doc.value)) diagnostics.push({ code: 'json/syntax', severity: 'error', file, line: index + 1, path: [], message: 'a JSONL line must hold one JSON object', expected: 'a transcript object' });
      else docs.push({ doc: parsed.doc, line: index + 1 });
    });
    if (docs.length === 0 && diagnostics.length === 0) {
      diagnostics.push({ code: 'transcript/empty', severity: 'error', file, path: [], message: 'the file holds no transcript', expected: 'one transcript object per line' });
    }
  } else {
    const parsed = parseSource(file, text, { json: /\.json$/i.test(file) });
    if (!parsed.ok) return parsed;
    if (parsed.doc.value == null) {
      return { ok: false, diagnostics: [{ code: 'transcript/empty', severity: 'error', file, path: [], message: 'the file is empty', expected: 'a transcript object' }] };
    }
    docs.push({ doc: parsed.doc, line: 1 });
  }
  for (const { doc, line } of docs) {
    const checked = checkSource(TranscriptSchema, doc, CODES);
    if (!checked.ok) {
      diagnostics.push(...checked.diagnostics);
      continue;
    }
    const transcript: Transcript = { ...checked.value, file, line };
    const problems = conversationRules(transcript, doc);
    diagnostics.push(...problems);
    if (problems.length === 0) transcripts.push(transcript);
  }
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, value: transcripts, warnings: [] };
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
