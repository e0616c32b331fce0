import { z } from 'zod';

const TextPart = z.strictObject({ type: z.literal('text'), text: z.string() });
const Content = z.union([z.string(), z.array(TextPart)]);

export const ToolCall = z.strictObject({
  id: z.string().min(1),
  type: z.literal('function').default('function'),
  function: z.strictObject({ name: z.string().min(1), arguments: z.string() }),
});
export type ToolCall = z.infer<typeof ToolCall>;

export const Message = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('system'), content: Content, name: z.string().optional() }),
  z.strictObject({ role: z.literal('user'), content: Content, name: z.string().optional() }),
  z.strictObject({
    role: z.literal('assistant'),
    content: Content.nullable().optional(),
    name: z.string().optional(),
    tool_calls: z.array(ToolCall).optional(),
    /** What the model thought before answering (Anthropic thinking, Responses reasoning summaries): shown to judges only when a rubric asks. */
    reasoning: z.string().optional(),
  }),
  z.strictObject({
    role: z.literal('tool'),
    content: Content,
    tool_call_id: z.string().min(1),
    name: z.string().optional(),
    /** The tool reported an error (Anthropic's `is_error`). */
    is_error: z.boolean().optional(),
  }),
]);
export type Message = z.infer<typeof Message>;

export const Label = z.strictObject({
  annotator: z.string().min(1),
  score: z.union([z.number(), z.string()]),
  note: z.string().optional(),
});

export const TranscriptSchema = z.strictObject({
  id: z.string().min(1),
  messages: z.array(Message),
  /** Free-form facts about the run: agent name and version, scenario, tags, outcome. */
  metadata: z.record(z.string(), z.unknown()).optional(),
  /** Human or reference ratings: criterion id → ratings. */
  labels: z.record(z.string(), z.array(Label)).optional(),
});
export type Transcript = z.infer<typeof TranscriptSchema> & { file: string; line?: number };

/** The text of a message's content, whatever its shape. */
export function contentText(content: z.infer<typeof Content> | null | undefined): string {
  if (content == null) return '';
  if (typeof content === 'string') return content;
  return content.map((part) => part.text).join('');
}

/**
 * Assistant turns are the assistant messages a listener would read: ones with text. A message that
 * only calls tools is context for the next one, not a turn of its own. Returns message indexes.
 */
export function assistantTurns(transcript: Pick<Transcript, 'messages'>): number[] {
  const turns: number[] = [];
  transcript.messages.forEach((message, index) => {
    if (message.role === 'assistant' && contentText(message.content).trim() !== '') turns.push(index);
  });
  return turns;
}
