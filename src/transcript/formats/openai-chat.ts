import type { Message, ToolCall } from '../transcript.js';
import { contentOf, isRecord, noteUnknownKeys, PLACEHOLDER, stringAt, typeName, type Path, type Piece, type ReadContext } from './reader.js';

// OpenAI Chat Completions messages as the API returns them and the SDKs log them (jury's own form is a subset).

const COMMON = ['role', 'content', 'name'];
const KNOWN: Record<string, ReadonlySet<string>> = {
  system: new Set(COMMON),
  developer: new Set(COMMON),
  user: new Set(COMMON),
  assistant: new Set([...COMMON, 'tool_calls', 'function_call', 'refusal', 'audio', 'annotations', 'reasoning_content', 'reasoning']),
  tool: new Set([...COMMON, 'tool_call_id']),
  function: new Set(COMMON),
};

export function readOpenAiChat(ctx: ReadContext, value: unknown, path: Path): Message[] {
  if (!Array.isArray(value)) {
    ctx.problems.push({ path, message: `is ${typeName(value)}`, expected: 'an array of messages' });
    return [];
  }
  const messages: Message[] = [];
  // Legacy function calls carry no id: each gets one from its position, and a `function` message answers the
  // latest unanswered call of its name.
  const openFunctionCalls: { name: string; id: string }[] = [];
  value.forEach((raw, index) => {
    const at = [...path, index];
    if (!isRecord(raw)) return void ctx.problems.push({ path: at, message: `message ${index + 1} is ${typeName(raw)}`, expected: 'a message object with a `role`' });
    const role = stringAt(ctx, raw, 'role', at);
    if (role === undefined) return;
    const known = KNOWN[role];
    if (!known) return ctx.notes.add('role', role);
    noteUnknownKeys(ctx, raw, known);
    const name = stringAt(ctx, raw, 'name', at, true);
    const named = name === undefined ? {} : { name };
    if (role === 'assistant') {
      const message: Extract<Message, { role: 'assistant' }> = { role: 'assistant', ...named };
      const content = readContent(ctx, raw, at, true);
      const fallback = typeof raw.refusal === 'string' ? raw.refusal : isRecord(raw.audio) && typeof raw.audio.transcript === 'string' ? raw.audio.transcript : undefined;
      // A refusal or a spoken reply is what the listener got: the judge reads it as the reply's text.
      if (fallback && (content == null || (Array.isArray(content) ? content.length === 0 : content === ''))) message.content = fallback;
      else if (content !== undefined) message.content = content;
      const calls = readToolCalls(ctx, raw.tool_calls, [...at, 'tool_calls']);
      if (isRecord(raw.function_call)) {
        const id = `function-call-${index + 1}`;
        const fname = stringAt(ctx, raw.function_call, 'name', [...at, 'function_call']) ?? '';
        calls.push({ id, type: 'function', function: { name: fname, arguments: String(raw.function_call.arguments ?? '') } });
        openFunctionCalls.push({ name: fname, id });
      }
      if (calls.length || raw.tool_calls !== undefined) message.tool_calls = calls;
      const reasoning = typeof raw.reasoning_content === 'string' ? raw.reasoning_content : typeof raw.reasoning === 'string' ? raw.reasoning : undefined;
      if (reasoning) message.reasoning = reasoning;
      return void messages.push(message);
    }
    if (raw.content === undefined) return void ctx.problems.push({ path: [...at, 'content'], message: 'required field is missing', expected: 'a string or an array of content parts' });
    const content = readContent(ctx, raw, at, false) ?? '';
    if (role === 'tool') {
      const id = stringAt(ctx, raw, 'tool_call_id', at);
      if (id === '') ctx.problems.push({ path: [...at, 'tool_call_id'], message: 'is empty', expected: 'the id of the tool call it answers' });
      if (id) messages.push({ role: 'tool', content, tool_call_id: id, ...named });
      return;
    }
    if (role === 'function') {
      const open = openFunctionCalls.findLastIndex((c) => c.name === name);
      const id = open >= 0 ? openFunctionCalls.splice(open, 1)[0]!.id : `function-result-${index + 1}`;
      return void messages.push({ role: 'tool', content, tool_call_id: id, ...named });
    }
    messages.push({ role: role === 'developer' ? 'system' : (role as 'system' | 'user'), content, ...named });
  });
  return messages;
}

/** `content` as a string, null (assistant only) or an array of parts; undefined when absent or unreadable. */
function readContent(ctx: ReadContext, raw: Record<string, unknown>, at: Path, nullable: boolean): string | { type: 'text'; text: string }[] | null | undefined {
  const content = raw.content;
  if (typeof content === 'string') return content;
  if (content === undefined) return undefined;
  if (content === null && nullable) return null;
  if (!Array.isArray(content)) {
    ctx.problems.push({ path: [...at, 'content'], message: `is ${typeName(content)}`, expected: `a string${nullable ? ', null' : ''} or an array of content parts` });
    return undefined;
  }
  const pieces: Piece[] = [];
  content.forEach((part, i) => {
    if (typeof part === 'string') return void pieces.push({ text: part });
    if (!isRecord(part) || typeof part.type !== 'string') return void ctx.problems.push({ path: [...at, 'content', i], message: `content part ${i + 1} is ${typeName(part)} without a \`type\``, expected: 'a content part such as {"type": "text", "text": "..."}' });
    if (part.type === 'text') {
      const text = stringAt(ctx, part, 'text', [...at, 'content', i]);
      if (text !== undefined) pieces.push({ text });
    } else if (part.type === 'refusal' && typeof part.refusal === 'string') pieces.push({ text: part.refusal });
    else if (PLACEHOLDER[part.type]) pieces.push({ placeholder: PLACEHOLDER[part.type]! });
    else ctx.notes.add('part', part.type);
  });
  return contentOf(pieces);
}

function readToolCalls(ctx: ReadContext, value: unknown, at: Path): ToolCall[] {
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) {
    ctx.problems.push({ path: at, message: `is ${typeName(value)}`, expected: 'an array of tool calls' });
    return [];
  }
  const calls: ToolCall[] = [];
  value.forEach((call, i) => {
    const here = [...at, i];
    if (!isRecord(call)) return void ctx.problems.push({ path: here, message: `tool call ${i + 1} is ${typeName(call)}`, expected: 'a tool call object' });
    const id = stringAt(ctx, call, 'id', here);
    // Custom tools (type "custom") carry free text instead of JSON arguments.
    const body = isRecord(call.function) ? call.function : isRecord(call.custom) ? call.custom : undefined;
    if (!body) return void ctx.problems.push({ path: [...here, 'function'], message: 'the tool call has no `function`', expected: 'an object with `name` and `arguments`' });
    const name = stringAt(ctx, body, 'name', [...here, call.function ? 'function' : 'custom']);
    const args = call.function ? body.arguments : (body.input ?? '');
    if (call.function && args === undefined) ctx.problems.push({ path: [...here, 'function', 'arguments'], message: 'required field is missing', expected: 'the arguments as a JSON string' });
    if (id === '') ctx.problems.push({ path: [...here, 'id'], message: 'is empty', expected: 'the call id its tool result answers' });
    if (id && name && args !== undefined) calls.push({ id, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) } });
  });
  return calls;
}
