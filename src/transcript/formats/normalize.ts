import type { TranscriptFormat } from '../../config/config.js';
import type { Message, Transcript } from '../transcript.js';
import { readAnthropic } from './anthropic.js';
import { readOpenAiChat } from './openai-chat.js';
import { isRecord, typeName, type Notes, type Problem } from './reader.js';
import { readResponses } from './responses.js';

export { TRANSCRIPT_FORMATS, type TranscriptFormat } from '../../config/config.js';

/** The keys each format reads as the conversation; every other top-level key is the transcript's metadata. */
const CONVERSATION_KEYS: Record<TranscriptFormat, readonly string[]> = {
  'openai-chat': ['messages'],
  anthropic: ['system', 'messages'],
  responses: ['input', 'output', 'instructions'],
};
const ANTHROPIC_ONLY_BLOCKS = new Set(['tool_use', 'tool_result', 'thinking', 'redacted_thinking', 'document']);

/**
 * Which format a transcript object is in, from its shape: `input`/`output` is a Responses log; `messages` with a
 * top-level `system` or Anthropic-only blocks (tool_use, tool_result, thinking) is Anthropic; other `messages`
 * are Chat Completions (where plain text turns read the same in either).
 */
export function detectFormat(value: Record<string, unknown>): TranscriptFormat {
  if (value.messages === undefined && (value.input !== undefined || value.output !== undefined)) return 'responses';
  if (value.system !== undefined) return 'anthropic';
  if (Array.isArray(value.messages)) {
    for (const message of value.messages) {
      if (!isRecord(message) || !Array.isArray(message.content)) continue;
      if (message.content.some((b) => isRecord(b) && ANTHROPIC_ONLY_BLOCKS.has(b.type as string))) return 'anthropic';
      if (message.content.some((b) => isRecord(b) && b.type === 'image' && isRecord(b.source))) return 'anthropic';
    }
  }
  return 'openai-chat';
}

export type Normalized = { format: TranscriptFormat; transcript?: Omit<Transcript, 'file' | 'line'>; problems: Problem[] };

/**
 * Reads one transcript object in any format jury knows into jury's own form: `id`, the conversation, `labels`
 * (jury's), and `metadata` (given, plus every top-level key the format does not read, such as `session_id`).
 */
export function normalizeTranscript(value: unknown, format: TranscriptFormat | 'auto', notes: Notes): Normalized {
  if (!isRecord(value)) return { format: format === 'auto' ? 'openai-chat' : format, problems: [{ path: [], message: `a transcript is ${typeName(value)}`, expected: 'a transcript object with `id` and `messages` (or `input`/`output`)' }] };
  const as = format === 'auto' ? detectFormat(value) : format;
  const ctx = { problems: [] as Problem[], notes };
  const id = typeof value.id === 'number' && Number.isFinite(value.id) ? String(value.id) : value.id;
  if (typeof id !== 'string' || id === '') ctx.problems.push({ path: ['id'], message: id === undefined ? 'required field is missing' : id === '' ? 'is empty' : `is ${typeName(id)}`, expected: 'a non-empty string' });
  if (as !== 'responses' && value.messages === undefined) {
    ctx.problems.push({ path: [], message: 'the transcript has no conversation', expected: '`messages` (OpenAI Chat Completions, Anthropic Messages) or `input`/`output` (OpenAI Responses)' });
  }
  const messages: Message[] =
    as === 'responses' ? readResponses(ctx, value) : value.messages === undefined ? [] : as === 'anthropic' ? readAnthropic(ctx, value.system, value.messages, ['messages']) : readOpenAiChat(ctx, value.messages, ['messages']);
  // jury's own key, checked against its schema by the file reader.
  const labels = isRecord(value.labels) ? (value.labels as Transcript['labels']) : undefined;
  const metadata = readMetadata(ctx.problems, value, as);
  if (ctx.problems.length || typeof id !== 'string') return { format: as, problems: ctx.problems };
  return { format: as, problems: [], transcript: { id, messages, ...(metadata ? { metadata } : {}), ...(labels ? { labels } : {}) } };
}

/** `metadata` as given, with every top-level key the format does not read beside it (the given object wins). */
function readMetadata(problems: Problem[], value: Record<string, unknown>, format: TranscriptFormat): Record<string, unknown> | undefined {
  if (value.metadata !== undefined && !isRecord(value.metadata)) {
    problems.push({ path: ['metadata'], message: `is ${typeName(value.metadata)}`, expected: 'an object of facts about the conversation' });
    return undefined;
  }
  const own = new Set(['id', 'labels', 'metadata', ...CONVERSATION_KEYS[format]]);
  const extra = Object.entries(value).filter(([key]) => !own.has(key));
  if (!extra.length) return value.metadata as Record<string, unknown> | undefined;
  return { ...Object.fromEntries(extra), ...(value.metadata as Record<string, unknown> | undefined) };
}
