import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { importOtel } from '../../src/importers/otel.js';
import { readOtlp } from '../../src/importers/otlp.js';
import { renderTranscript } from '../../src/transcript/render.js';

// Written by hand from the GenAI semantic conventions (span attributes gen_ai.input.messages / output.messages,
// system instructions, tool spans; the older per-message span events) in the OTLP/JSON a collector's file
// exporter writes: one export request per line, batches not in time order.
const TRACES = path.join(path.dirname(fileURLToPath(import.meta.url)), '../fixtures/otel/traces.jsonl');

const av = (v: unknown): unknown =>
  typeof v === 'string' ? { stringValue: v } : typeof v === 'number' ? { intValue: String(v) } : typeof v === 'boolean' ? { boolValue: v } : Array.isArray(v) ? { arrayValue: { values: v.map(av) } } : { kvlistValue: { values: Object.entries(v as object).map(([key, value]) => ({ key, value: av(value) })) } };
const attrs = (o: Record<string, unknown>) => Object.entries(o).map(([key, value]) => ({ key, value: av(value) }));
const span = (traceId: string, start: number, a: Record<string, unknown>, name = 'chat m') => ({ traceId, spanId: 'a1a1a1a1a1a1a1a1', name, startTimeUnixNano: String(start), attributes: attrs(a) });
const file = (...spans: unknown[]) => JSON.stringify({ resourceSpans: [{ scopeSpans: [{ spans }] }] });
const text = (role: string, content: string) => ({ role, parts: [{ type: 'text', content }] });
const chat = (input: unknown[], output: unknown[], extra: Record<string, unknown> = {}) => ({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': JSON.stringify(input), 'gen_ai.output.messages': JSON.stringify(output), ...extra });

function imported(otlp: string) {
  const read = readOtlp(otlp);
  if (!read.ok) throw new Error(read.message);
  return importOtel(read.records);
}

describe('import otel: GenAI traces into conversations', () => {
  it('joins a conversation spread over two traces by gen_ai.conversation.id, in time order, history not repeated', () => {
    const result = imported(readFileSync(TRACES, 'utf8'));
    expect(result.conversations.map((c) => c.id)).toEqual(['conv_5j66UpCpwteGg4YSxUnt7lPY', 'trace-0af7651916cd43dd8448eb211c80319c']);
    const [tempo, podcast] = result.conversations;
    expect(renderTranscript(tempo!).split('\n').slice(1, -1)).toEqual([
      '[1] system: "You are Tempo, a music assistant. Ask before you recommend."',
      '[2] user: "Something to focus to, no vocals."',
      '[3] assistant: "Piano or electronic?"',
      '[4] user: "Electronic."',
      '[5] assistant calls tool "search_catalogue" (call id "call_VSPy") with arguments "{\\"genre\\":\\"electronic\\",\\"vocals\\":false}"',
      '[6] tool result of "search_catalogue" (call id "call_VSPy"): "[\\"Music for Airports\\", \\"Selected Ambient Works 85-92\\"]"',
      '[7] assistant: "Try Music for Airports by Brian Eno."',
    ]);
    expect(renderTranscript(tempo!, undefined, { reasoning: true })).toContain('[5] assistant thinks: "Instrumental electronic for focus: search the catalogue."');
    expect(tempo!.metadata).toEqual({
      source: 'opentelemetry',
      conversation_id: 'conv_5j66UpCpwteGg4YSxUnt7lPY',
      trace_ids: ['5b8efff798038103d269b633813fc60c', '7f3a9e2c4d1b6a8e0f5c3b2a1d9e8f7a'],
      started: '2025-12-01T12:00:00.000Z',
      models: ['gpt-4.1-mini-2025-04-14'],
      provider: 'openai',
      agent: 'Tempo',
    });
    // The older convention: one span event per message, grouped by trace.
    expect(renderTranscript(podcast!).split('\n').slice(1, -1)).toEqual([
      '[1] system: "You recommend podcasts."',
      '[2] user: "A podcast about jazz history?"',
      '[3] assistant: "Try Jazz at Lincoln Center\'s Podcast."',
    ]);
    expect(result.notes).toEqual(['1 GenAI spans or events with neither gen_ai.conversation.id nor a trace id (they cannot be placed in a conversation)']);
  });

  it('reads structured attribute values and JSON strings alike, and GenAI log events as well as spans', () => {
    const input = [text('user', 'hi')];
    const output = [text('assistant', 'hello')];
    const asString = imported(file(span('aa', 1, chat(input, output))));
    const structured = imported(file(span('aa', 1, { 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': input, 'gen_ai.output.messages': output })));
    expect(structured.conversations).toEqual(asString.conversations);
    const logs = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [{ timeUnixNano: '1', traceId: 'AA', eventName: 'gen_ai.client.inference.operation.details', attributes: attrs({ 'gen_ai.operation.name': 'chat', 'gen_ai.input.messages': input, 'gen_ai.output.messages': output }) }] }] }] });
    expect(imported(logs).conversations).toEqual(asString.conversations);
    // Older log events: the message in the record's body.
    const older = JSON.stringify({ resourceLogs: [{ scopeLogs: [{ logRecords: [
      { timeUnixNano: '2', traceId: 'aa', eventName: 'gen_ai.choice', attributes: attrs({ 'gen_ai.system': 'openai' }), body: av({ index: 0, message: { content: 'hello' } }) },
      { timeUnixNano: '1', traceId: 'aa', eventName: 'gen_ai.user.message', attributes: attrs({ 'gen_ai.system': 'openai' }), body: av({ content: 'hi' }) },
    ] }] }] });
    expect(imported(older).conversations.map((c) => c.messages)).toEqual(asString.conversations.map((c) => c.messages));
  });

  it('a stateless call (no history sent again) appends; a tool span fills a result no chat span recorded; extra choices are noted', () => {
    const call = { role: 'assistant', parts: [{ type: 'tool_call', id: 'c1', name: 'charts', arguments: '{}' }] };
    const result = imported(file(
      span('t1', 1, chat([text('system', 's'), text('user', 'top song?')], [call]), 'chat a'),
      span('t1', 2, { 'gen_ai.operation.name': 'execute_tool', 'gen_ai.tool.name': 'charts', 'gen_ai.tool.call.id': 'c1', 'gen_ai.tool.call.result': { top: 'Song' } }, 'execute_tool charts'),
      span('t1', 3, chat([text('system', 's'), text('user', 'thanks, and one more?')], [text('assistant', 'Song. Another: B.'), text('assistant', 'an alternative choice')]), 'chat b'),
    ));
    expect(result.conversations[0]!.messages).toEqual([
      { role: 'system', content: 's' },
      { role: 'user', content: 'top song?' },
      { role: 'assistant', content: null, tool_calls: [{ id: 'c1', type: 'function', function: { name: 'charts', arguments: '{}' } }] },
      { role: 'tool', tool_call_id: 'c1', content: '{"top":"Song"}', name: 'charts' },
      { role: 'user', content: 'thanks, and one more?' },
      { role: 'assistant', content: 'Song. Another: B.' },
    ]);
    expect(result.notes).toEqual(['1 calls with several choices (the first was kept)']);
  });

  it('media parts become placeholders; unknown parts and roles are noted; a conversation with no reply is left out', () => {
    const result = imported(file(
      span('t1', 1, chat([{ role: 'user', parts: [{ type: 'text', content: 'this cover?' }, { type: 'blob', modality: 'image', mime_type: 'image/png', content: 'aGk=' }, { type: 'hologram' }] }, text('critic', 'x')], [text('assistant', 'Kid A.')])),
      span('t2', 1, chat([text('user', 'hello?')], [])),
    ));
    expect(result.conversations).toHaveLength(1);
    expect(result.conversations[0]!.messages[0]).toEqual({ role: 'user', content: 'this cover?\n[image]' });
    expect(result.notes).toEqual(['1 message parts of type `hologram` (left out)', '1 messages with role `critic` (left out)', '1 conversations with no assistant reply recorded (content capture off?)']);
  });

  it('refuses what is not OTLP/JSON, naming the line', () => {
    expect(readOtlp('{"resourceSpans": []}\nnot json\n')).toMatchObject({ ok: false, line: 2 });
    expect(readOtlp('{"spans": []}')).toMatchObject({ ok: false, line: 1, message: expect.stringContaining('resourceSpans') });
  });
});
