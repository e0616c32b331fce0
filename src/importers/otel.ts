import { canonicalJson } from '../format/canonical-json.js';
import { assistantTurns, type Message } from '../transcript/transcript.js';
import type { OtlpRecord } from './otlp.js';

/**
 * OpenTelemetry GenAI traces → transcripts. Chat spans (and inference log events) carry the messages sent to the
 * model and those it returned: newer instrumentations as `gen_ai.input.messages` / `gen_ai.output.messages`
 * (parts: text, tool_call, tool_call_response, reasoning, blob/uri/file), older ones as one event per message
 * (`gen_ai.user.message`, `gen_ai.choice`, …). Records are grouped by `gen_ai.conversation.id` (a trace without
 * one takes the id any of its spans has), else by trace id, and read in time order. Each call's input repeats
 * the history: what is already in the conversation is skipped, the rest appended, then the reply.
 * `execute_tool` spans fill in tool results the chat spans did not record.
 */
export interface ImportedConversation {
  id: string;
  messages: Message[];
  metadata: Record<string, unknown>;
}

export interface OtelImport {
  conversations: ImportedConversation[];
  /** What was left out and why, counted: said once each. */
  notes: string[];
}

const CONVERSATION = 'gen_ai.conversation.id';
const MESSAGE_EVENTS = new Set(['gen_ai.system.message', 'gen_ai.user.message', 'gen_ai.assistant.message', 'gen_ai.tool.message']);

export function importOtel(records: readonly OtlpRecord[]): OtelImport {
  const notes = new Map<string, number>();
  const note = (what: string) => notes.set(what, (notes.get(what) ?? 0) + 1);
  const genai = records.filter((r) => isGenAi(r));
  // A trace whose spans name one conversation belongs to it as a whole (an agent span often carries the id, its
  // chat spans do not).
  const conversationOfTrace = new Map<string, string>();
  for (const r of genai) {
    const id = stringAttr(r, CONVERSATION);
    if (id && r.traceId && !conversationOfTrace.has(r.traceId)) conversationOfTrace.set(r.traceId, id);
  }
  const groups = new Map<string, OtlpRecord[]>();
  for (const r of genai) {
    const conversation = stringAttr(r, CONVERSATION) ?? (r.traceId ? conversationOfTrace.get(r.traceId) : undefined);
    const key = conversation ? `conversation\u0000${conversation}` : r.traceId ? `trace\u0000${r.traceId}` : undefined;
    if (!key) {
      note('GenAI spans or events with neither gen_ai.conversation.id nor a trace id (they cannot be placed in a conversation)');
      continue;
    }
    (groups.get(key) ?? groups.set(key, []).get(key)!).push(r);
  }
  const conversations: ImportedConversation[] = [];
  for (const [key, members] of groups) {
    members.sort((a, b) => (a.time < b.time ? -1 : a.time > b.time ? 1 : a.order - b.order));
    const [kind, value] = key.split('\u0000') as ['conversation' | 'trace', string];
    const messages = buildConversation(members, note);
    const traces = [...new Set(members.flatMap((m) => (m.traceId ? [m.traceId] : [])))];
    if (assistantTurns({ messages }).length === 0) {
      note('conversations with no assistant reply recorded (content capture off?)');
      continue;
    }
    const models = [...new Set(members.flatMap((m) => [m.attributes['gen_ai.response.model'] ?? m.attributes['gen_ai.request.model']].filter((x): x is string => typeof x === 'string')))];
    const provider = members.map((m) => m.attributes['gen_ai.provider.name'] ?? m.attributes['gen_ai.system']).find((p) => typeof p === 'string');
    const agent = members.map((m) => m.attributes['gen_ai.agent.name']).find((p) => typeof p === 'string');
    conversations.push({
      id: kind === 'conversation' ? value : `trace-${value}`,
      messages,
      metadata: {
        source: 'opentelemetry',
        ...(kind === 'conversation' ? { conversation_id: value } : {}),
        trace_ids: traces,
        started: new Date(Number(members[0]!.time / 1_000_000n)).toISOString(),
        ...(models.length ? { models } : {}),
        ...(provider ? { provider } : {}),
        ...(agent ? { agent } : {}),
      },
    });
  }
  conversations.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return { conversations, notes: [...notes].map(([what, n]) => `${n} ${what}`) };
}

function isGenAi(r: OtlpRecord): boolean {
  return Object.keys(r.attributes).some((k) => k.startsWith('gen_ai.')) || r.events.some((e) => e.name.startsWith('gen_ai.')) || r.name.startsWith('gen_ai.');
}

function stringAttr(r: OtlpRecord, key: string): string | undefined {
  const value = r.attributes[key];
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** The conversation a group's records tell, in order, each call's repeated history skipped. */
function buildConversation(members: readonly OtlpRecord[], note: (what: string) => void): Message[] {
  const conversation: Message[] = [];
  const toolSpans: OtlpRecord[] = [];
  for (const r of members) {
    if (r.attributes['gen_ai.operation.name'] === 'execute_tool') {
      toolSpans.push(r);
      continue;
    }
    const call = callOf(r, note);
    if (!call) continue;
    // Skip what the conversation already holds (the history a stateless call sends again), append the rest.
    let same = 0;
    while (same < call.input.length && same < conversation.length && sameMessage(call.input[same]!, conversation[same]!)) same++;
    conversation.push(...call.input.slice(same), ...call.output);
  }
  for (const span of toolSpans) fillToolResult(conversation, span, note);
  return conversation;
}

/** The same message, whether or not this record kept the reasoning (history sent back usually drops it). */
function sameMessage(a: Message, b: Message): boolean {
  const strip = (m: Message) => (m.role === 'assistant' ? { ...m, reasoning: undefined } : m);
  return canonicalJson(strip(a)) === canonicalJson(strip(b));
}

/** One model call's input and output messages, from attributes (newer conventions) or events (older ones). */
function callOf(r: OtlpRecord, note: (what: string) => void): { input: Message[]; output: Message[] } | undefined {
  const attrs = r.kind === 'log' && isObject(r.body) ? { ...r.attributes, ...r.body } : r.attributes;
  const input = parsed(attrs['gen_ai.input.messages']);
  const output = parsed(attrs['gen_ai.output.messages']);
  if (Array.isArray(input) || Array.isArray(output)) {
    const system = parsed(attrs['gen_ai.system_instructions']);
    const instructions = Array.isArray(system) ? partsToMessages('system', system, note) : [];
    const outputs = Array.isArray(output) ? output : [];
    if (outputs.length > 1) note('calls with several choices (the first was kept)');
    return {
      input: [...instructions, ...(Array.isArray(input) ? input : []).flatMap((m) => messageOf(m, note))],
      output: outputs.slice(0, 1).flatMap((m) => messageOf(m, note)),
    };
  }
  // Older conventions: a log record per message, or span events; the body as the event's body or, on span
  // events, in `gen_ai.event.content` (a JSON string) or as the event's own attributes.
  const events = r.kind === 'log' ? [{ name: r.name, attributes: r.attributes, body: r.body }] : r.events.map((e) => ({ ...e, body: undefined as unknown }));
  const inputMessages: Message[] = [];
  const outputMessages: Message[] = [];
  for (const event of events) {
    const body = (event.body ?? parsed(event.attributes['gen_ai.event.content']) ?? event.attributes) as Record<string, unknown>;
    if (MESSAGE_EVENTS.has(event.name)) inputMessages.push(...legacyMessage(event.name.split('.')[1]!, body));
    else if (event.name === 'gen_ai.choice' && (body.index === undefined || Number(body.index) === 0)) outputMessages.push(...legacyMessage('assistant', isObject(body.message) ? body.message : body));
  }
  return inputMessages.length || outputMessages.length ? { input: inputMessages, output: outputMessages } : undefined;
}

function legacyMessage(role: string, body: Record<string, unknown>): Message[] {
  const content = typeof body.content === 'string' ? body.content : body.content === undefined || body.content === null ? '' : JSON.stringify(body.content);
  if (role === 'tool') return [{ role: 'tool', content, tool_call_id: String(body.id ?? body.tool_call_id ?? '') }];
  if (role === 'assistant') {
    const calls = Array.isArray(body.tool_calls) ? body.tool_calls.filter(isObject) : [];
    return [{ role: 'assistant', content: content || null, ...(calls.length ? { tool_calls: calls.map((c) => { const f = isObject(c.function) ? c.function : c; return { id: String(c.id ?? ''), type: 'function' as const, function: { name: String(f.name ?? ''), arguments: argumentsText(f.arguments) } }; }) } : {}) }];
  }
  return [{ role: role === 'system' ? 'system' : 'user', content }];
}

/** A GenAI message ({role, parts}) as jury's messages: tool responses become tool messages of their own. */
function messageOf(value: unknown, note: (what: string) => void): Message[] {
  if (!isObject(value) || !Array.isArray(value.parts)) {
    note('messages without `parts` (not the GenAI message schema)');
    return [];
  }
  const role = String(value.role ?? '');
  if (!['system', 'user', 'assistant', 'tool'].includes(role)) {
    note(`messages with role \`${role}\` (left out)`);
    return [];
  }
  return partsToMessages(role as 'system' | 'user' | 'assistant' | 'tool', value.parts, note);
}

function partsToMessages(role: 'system' | 'user' | 'assistant' | 'tool', parts: unknown[], note: (what: string) => void): Message[] {
  const out: Message[] = [];
  const texts: string[] = [];
  const calls: { id: string; type: 'function'; function: { name: string; arguments: string } }[] = [];
  const thoughts: string[] = [];
  for (const part of parts.filter(isObject)) {
    const type = String(part.type ?? '');
    if (type === 'text') texts.push(String(part.content ?? ''));
    else if (type === 'tool_call') calls.push({ id: String(part.id ?? `call-${calls.length + 1}`), type: 'function', function: { name: String(part.name ?? ''), arguments: argumentsText(part.arguments) } });
    else if (type === 'tool_call_response') {
      const response = part.response ?? part.result;
      out.push({ role: 'tool', tool_call_id: String(part.id ?? '').trim(), content: typeof response === 'string' ? response : JSON.stringify(response ?? null) });
    } else if (type === 'reasoning') thoughts.push(String(part.content ?? ''));
    else if (type === 'blob' || type === 'uri' || type === 'file') texts.push(`[${typeof part.modality === 'string' ? part.modality : 'file'}]`);
    else note(`message parts of type \`${type}\` (left out)`);
  }
  if (role === 'assistant') {
    if (texts.length || calls.length || thoughts.length) out.unshift({ role: 'assistant', content: texts.length ? texts.join('\n') : null, ...(calls.length ? { tool_calls: calls } : {}), ...(thoughts.length ? { reasoning: thoughts.join('\n') } : {}) });
  } else if (texts.length && role !== 'tool') out.unshift({ role, content: texts.join('\n') });
  return out;
}

/** A tool span's result where the conversation has its call but no answer: right after the call's other answers. */
function fillToolResult(conversation: Message[], span: OtlpRecord, note: (what: string) => void): void {
  const id = span.attributes['gen_ai.tool.call.id'];
  const result = span.attributes['gen_ai.tool.call.result'];
  if (typeof id !== 'string' || result === undefined) return;
  if (conversation.some((m) => m.role === 'tool' && m.tool_call_id === id)) return;
  const at = conversation.findIndex((m) => m.role === 'assistant' && m.tool_calls?.some((c) => c.id === id));
  if (at < 0) return note('tool spans whose call no recorded model reply made (left out)');
  let insert = at + 1;
  while (conversation[insert]?.role === 'tool') insert++;
  const name = span.attributes['gen_ai.tool.name'];
  conversation.splice(insert, 0, { role: 'tool', tool_call_id: id, content: typeof result === 'string' ? result : JSON.stringify(result), ...(typeof name === 'string' ? { name } : {}) });
}

/** Structured attributes may arrive as JSON strings (allowed on spans) or as values. */
function parsed(value: unknown): unknown {
  if (typeof value !== 'string') return value;
  try {
    return JSON.parse(value);
  } catch {
    return undefined;
  }
}

function argumentsText(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value ?? {});
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
