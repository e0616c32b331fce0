import type { Message } from '../transcript.js';

/** Where in a transcript a problem is: keys and indexes from the transcript object down. */
export type Path = (string | number)[];

/** A reason a transcript cannot be read; turned into a located diagnostic by the file reader. */
export interface Problem {
  path: Path;
  message: string;
  expected?: string;
}

/**
 * What a file holds that jury reads past: unknown message keys, roles, content parts, blocks, items. Counted per
 * file and said once as a note, because logs carry them by the thousand and none makes a conversation unjudgeable.
 */
export class Notes {
  private readonly kinds = new Map<string, Map<string, number>>();

  add(kind: NoteKind, what: string): void {
    const counts = this.kinds.get(kind) ?? new Map<string, number>();
    counts.set(what, (counts.get(what) ?? 0) + 1);
    this.kinds.set(kind, counts);
  }

  /** One line per kind, in a fixed order, the most frequent names first. */
  lines(): string[] {
    const out: string[] = [];
    for (const kind of NOTE_KINDS) {
      const counts = this.kinds.get(kind.id);
      if (!counts) continue;
      const listed = [...counts].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
      const shown = listed.slice(0, 8).map(([name, n]) => `\`${name}\` ×${n}`);
      if (listed.length > 8) shown.push(`${listed.length - 8} more`);
      out.push(`${kind.label} ${shown.join(', ')}: ${kind.effect}`);
    }
    return out;
  }

  get size(): number {
    return this.kinds.size;
  }
}

const NOTE_KINDS = [
  { id: 'key', label: 'message keys jury does not read', effect: 'kept out of judge prompts' },
  { id: 'role', label: 'roles jury does not know', effect: 'those messages are left out' },
  { id: 'part', label: 'content parts jury does not know', effect: 'left out of the text' },
  { id: 'block', label: 'content blocks jury does not know', effect: 'left out' },
  { id: 'item', label: 'Responses items jury does not know', effect: 'left out' },
] as const;
export type NoteKind = (typeof NOTE_KINDS)[number]['id'];

/** A problem collector with the notes of the file being read. */
export interface ReadContext {
  problems: Problem[];
  notes: Notes;
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'missing';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

/** A string field: returns it, or records what was there instead. Absent is allowed when `optional`. */
export function stringAt(ctx: ReadContext, record: Record<string, unknown>, key: string, path: Path, optional = false): string | undefined {
  const value = record[key];
  if (value === undefined && optional) return undefined;
  if (typeof value === 'string') return value;
  ctx.problems.push({ path: [...path, key], message: value === undefined ? 'required field is missing' : `is ${typeName(value)}`, expected: 'a string' });
  return undefined;
}

/** Notes every key of a message outside `known`: it is read past, never an error. */
export function noteUnknownKeys(ctx: ReadContext, record: Record<string, unknown>, known: ReadonlySet<string>): void {
  for (const key of Object.keys(record)) if (!known.has(key)) ctx.notes.add('key', key);
}

/** A piece of message content: text, or a placeholder for media the judge cannot see. */
export type Piece = { text: string } | { placeholder: string };

/**
 * Content in jury's own shape. Text alone keeps the shape it came in (a string, or text parts), so transcripts
 * already in jury's form hash as before; media among the text becomes one string with `[image]`-style
 * placeholders on their own lines, the same whichever provider's format it came from.
 */
export function contentOf(pieces: Piece[]): string | { type: 'text'; text: string }[] {
  if (pieces.every((p) => 'text' in p)) return pieces.map((p) => ({ type: 'text' as const, text: (p as { text: string }).text }));
  return pieces.map((p) => ('text' in p ? p.text : `[${p.placeholder}]`)).join('\n');
}

/** The placeholder a judge reads for media: what kind it was, not its bytes. */
export const PLACEHOLDER: Record<string, string> = {
  image_url: 'image',
  input_image: 'image',
  image: 'image',
  input_audio: 'audio',
  audio: 'audio',
  file: 'file',
  input_file: 'file',
  document: 'document',
};

/** The message an assistant's tool calls attach to: the last one when it is the assistant's, else a new one. */
export function assistantFor(messages: Message[]): Extract<Message, { role: 'assistant' }> {
  const last = messages[messages.length - 1];
  if (last?.role === 'assistant') return last;
  const fresh: Extract<Message, { role: 'assistant' }> = { role: 'assistant', content: null };
  messages.push(fresh);
  return fresh;
}
