import type { Message } from '../transcript.js';
import { assistantFor, contentOf, isRecord, noteUnknownKeys, PLACEHOLDER, stringAt, typeName, type Path, type Piece, type ReadContext } from './reader.js';

// OpenAI Responses API items, the form agents built on the Agents SDK log: a response's `input` and `output`
// item lists (and its `instructions`). Function calls join the assistant message before them, as the Chat
// Completions form has them, so one conversation reads the same to a judge in either form.

const MESSAGE_KEYS = new Set(['type', 'role', 'content', 'id', 'status']);

export function readResponses(ctx: ReadContext, envelope: Record<string, unknown>): Message[] {
  const messages: Message[] = [];
  if (envelope.instructions !== undefined && envelope.instructions !== null) {
    const instructions = stringAt(ctx, envelope, 'instructions', []);
    if (instructions !== undefined) messages.push({ role: 'system', content: instructions });
  }
  const pending = { reasoning: [] as string[] };
  for (const key of ['input', 'output'] as const) {
    const value = envelope[key];
    if (value === undefined) continue;
    if (typeof value === 'string') messages.push({ role: 'user', content: value });
    else if (Array.isArray(value)) value.forEach((item, i) => readItem(ctx, item, [key, i], messages, pending));
    else ctx.problems.push({ path: [key], message: `is ${typeName(value)}`, expected: 'a string or an array of items' });
  }
  return messages;
}

function readItem(ctx: ReadContext, item: unknown, at: Path, messages: Message[], pending: { reasoning: string[] }): void {
  if (!isRecord(item)) return void ctx.problems.push({ path: at, message: `item is ${typeName(item)}`, expected: 'an item object' });
  // An "easy input message" has a role and no type.
  const type = item.type === undefined && item.role !== undefined ? 'message' : item.type;
  if (typeof type !== 'string') return void ctx.problems.push({ path: [...at, 'type'], message: 'the item has neither `type` nor `role`', expected: 'a Responses item: message, function_call, function_call_output, reasoning' });
  switch (type) {
    case 'message':
      return readMessage(ctx, item, at, messages, pending);
    case 'function_call':
    case 'custom_tool_call': {
      const id = stringAt(ctx, item, 'call_id', at);
      const name = stringAt(ctx, item, 'name', at);
      const args = type === 'function_call' ? item.arguments : item.input;
      if (id === undefined || name === undefined) return;
      const message = assistantFor(messages);
      takeReasoning(message, pending);
      (message.tool_calls ??= []).push({ id, type: 'function', function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args ?? {}) } });
      return;
    }
    case 'function_call_output':
    case 'custom_tool_call_output': {
      const id = stringAt(ctx, item, 'call_id', at);
      const content = readContent(ctx, item.output, [...at, 'output']);
      if (id !== undefined && content !== undefined) messages.push({ role: 'tool', content, tool_call_id: id });
      return;
    }
    case 'reasoning': {
      const texts = [item.summary, item.content].flatMap((list) => (Array.isArray(list) ? list : [])).flatMap((part) => (isRecord(part) && typeof part.text === 'string' ? [part.text] : []));
      pending.reasoning.push(...(texts.length ? texts : ['[reasoning not logged]']));
      return;
    }
    default:
      ctx.notes.add('item', type);
  }
}

function readMessage(ctx: ReadContext, item: Record<string, unknown>, at: Path, messages: Message[], pending: { reasoning: string[] }): void {
  const role = stringAt(ctx, item, 'role', at);
  if (role === undefined) return;
  if (!['user', 'assistant', 'system', 'developer'].includes(role)) return ctx.notes.add('role', role);
  noteUnknownKeys(ctx, item, MESSAGE_KEYS);
  const content = readContent(ctx, item.content, [...at, 'content']);
  if (content === undefined) return;
  if (role === 'assistant') {
    const message: Extract<Message, { role: 'assistant' }> = { role: 'assistant', content };
    takeReasoning(message, pending);
    messages.push(message);
  } else messages.push({ role: role === 'developer' ? 'system' : (role as 'user' | 'system'), content });
}

function takeReasoning(message: Extract<Message, { role: 'assistant' }>, pending: { reasoning: string[] }): void {
  if (!pending.reasoning.length) return;
  message.reasoning = [message.reasoning, ...pending.reasoning].filter(Boolean).join('\n');
  pending.reasoning = [];
}

/** A string, or input/output parts (text, refusal, image, file, audio), as content; undefined when unreadable. */
function readContent(ctx: ReadContext, value: unknown, at: Path): string | { type: 'text'; text: string }[] | undefined {
  if (typeof value === 'string') return value;
  if (!Array.isArray(value)) {
    ctx.problems.push({ path: at, message: `${typeName(value)} where content belongs`, expected: 'a string or an array of content parts' });
    return undefined;
  }
  const pieces: Piece[] = [];
  value.forEach((part, i) => {
    if (!isRecord(part) || typeof part.type !== 'string') return void ctx.problems.push({ path: [...at, i], message: `content part ${i + 1} is ${typeName(part)} without a \`type\``, expected: 'a content part such as {"type": "input_text", "text": "..."}' });
    if (part.type === 'input_text' || part.type === 'output_text' || part.type === 'text') {
      const text = stringAt(ctx, part, 'text', [...at, i]);
      if (text !== undefined) pieces.push({ text });
    } else if (part.type === 'refusal' && typeof part.refusal === 'string') pieces.push({ text: part.refusal });
    else if (PLACEHOLDER[part.type]) pieces.push({ placeholder: PLACEHOLDER[part.type]! });
    else ctx.notes.add('part', part.type);
  });
  return contentOf(pieces);
}
