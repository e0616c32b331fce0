import type { Message } from '../transcript.js';
import { contentOf, isRecord, noteUnknownKeys, PLACEHOLDER, stringAt, typeName, type Path, type Piece, type ReadContext } from './reader.js';

// Anthropic Messages: a top-level `system`, user and assistant turns of content blocks. Tool results travel inside
// user turns; in jury's form each becomes a tool message of its own, in the order it came.

const KNOWN_KEYS = new Set(['role', 'content']);

export function readAnthropic(ctx: ReadContext, system: unknown, value: unknown, path: Path): Message[] {
  const messages: Message[] = [];
  if (system !== undefined) {
    const pieces = blocksToPieces(ctx, system, ['system']);
    if (pieces) messages.push({ role: 'system', content: typeof system === 'string' ? system : contentOf(pieces) });
  }
  if (!Array.isArray(value)) {
    ctx.problems.push({ path, message: `is ${typeName(value)}`, expected: 'an array of messages' });
    return messages;
  }
  value.forEach((raw, index) => {
    const at = [...path, index];
    if (!isRecord(raw)) return void ctx.problems.push({ path: at, message: `message ${index + 1} is ${typeName(raw)}`, expected: 'a message object with a `role`' });
    const role = stringAt(ctx, raw, 'role', at);
    if (role === undefined) return;
    if (role !== 'user' && role !== 'assistant') return ctx.notes.add('role', role);
    noteUnknownKeys(ctx, raw, KNOWN_KEYS);
    const content = raw.content;
    if (typeof content === 'string') return void messages.push({ role, content });
    if (!Array.isArray(content)) return void ctx.problems.push({ path: [...at, 'content'], message: `is ${typeName(content)}`, expected: 'a string or an array of content blocks' });
    if (role === 'user') readUserBlocks(ctx, content, [...at, 'content'], messages);
    else readAssistantBlocks(ctx, content, [...at, 'content'], messages);
  });
  return messages;
}

function readUserBlocks(ctx: ReadContext, blocks: unknown[], at: Path, messages: Message[]): void {
  let pieces: Piece[] = [];
  const flush = () => {
    if (pieces.length) messages.push({ role: 'user', content: contentOf(pieces) });
    pieces = [];
  };
  blocks.forEach((block, i) => {
    if (!isRecord(block) || typeof block.type !== 'string') return void ctx.problems.push({ path: [...at, i], message: `block ${i + 1} is ${typeName(block)} without a \`type\``, expected: 'a content block such as {"type": "text", "text": "..."}' });
    if (block.type !== 'tool_result') return void pieceOf(ctx, block, [...at, i], pieces);
    flush();
    const id = stringAt(ctx, block, 'tool_use_id', [...at, i]);
    const result = block.content === undefined ? [] : blocksToPieces(ctx, block.content, [...at, i, 'content']);
    if (id === undefined || !result) return;
    messages.push({ role: 'tool', content: typeof block.content === 'string' ? block.content : contentOf(result), tool_call_id: id, ...(block.is_error === true ? { is_error: true } : {}) });
  });
  flush();
}

function readAssistantBlocks(ctx: ReadContext, blocks: unknown[], at: Path, messages: Message[]): void {
  const pieces: Piece[] = [];
  const message: Extract<Message, { role: 'assistant' }> = { role: 'assistant', content: null };
  const thoughts: string[] = [];
  blocks.forEach((block, i) => {
    if (!isRecord(block) || typeof block.type !== 'string') return void ctx.problems.push({ path: [...at, i], message: `block ${i + 1} is ${typeName(block)} without a \`type\``, expected: 'a content block such as {"type": "text", "text": "..."}' });
    if (block.type === 'tool_use') {
      const id = stringAt(ctx, block, 'id', [...at, i]);
      const name = stringAt(ctx, block, 'name', [...at, i]);
      if (id && name) (message.tool_calls ??= []).push({ id, type: 'function', function: { name, arguments: JSON.stringify(block.input ?? {}) } });
    } else if (block.type === 'thinking') {
      if (typeof block.thinking === 'string') thoughts.push(block.thinking);
    } else if (block.type === 'redacted_thinking') thoughts.push('[redacted thinking]');
    else pieceOf(ctx, block, [...at, i], pieces);
  });
  if (pieces.length) message.content = contentOf(pieces);
  if (thoughts.length) message.reasoning = thoughts.join('\n');
  messages.push(message);
}

/** A text, image or document block as a piece of content; anything else is noted and left out. */
function pieceOf(ctx: ReadContext, block: Record<string, unknown>, at: Path, pieces: Piece[]): void {
  if (block.type === 'text') {
    const text = stringAt(ctx, block, 'text', at);
    if (text !== undefined) pieces.push({ text });
  } else if (PLACEHOLDER[block.type as string]) pieces.push({ placeholder: PLACEHOLDER[block.type as string]! });
  else ctx.notes.add('block', block.type as string);
}

/** A string, or text/image/document blocks (a system prompt, a tool result), as pieces; undefined when unreadable. */
function blocksToPieces(ctx: ReadContext, value: unknown, at: Path): Piece[] | undefined {
  if (typeof value === 'string') return [{ text: value }];
  if (!Array.isArray(value)) {
    ctx.problems.push({ path: at, message: `${typeName(value)} where text belongs`, expected: 'a string or an array of text blocks' });
    return undefined;
  }
  const pieces: Piece[] = [];
  value.forEach((block, i) => {
    if (!isRecord(block) || typeof block.type !== 'string') return void ctx.problems.push({ path: [...at, i], message: `block ${i + 1} is ${typeName(block)} without a \`type\``, expected: 'a content block such as {"type": "text", "text": "..."}' });
    pieceOf(ctx, block, [...at, i], pieces);
  });
  return pieces;
}
