import { contentText, type Transcript } from './transcript.js';

/**
 * Encodes untrusted text as a JSON string literal with `<`, `>` and `&` escaped too, so that nothing in a
 * transcript can close the data block, open a fake one, or look like markup to the judge.
 */
export function encodeUntrusted(text: string): string {
  return JSON.stringify(text).replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
}

/**
 * Renders a transcript as numbered lines inside a <transcript> block: one line per message, tool calls with
 * their arguments, tool results with the call they answer. Turn numbers are message positions from 1.
 * `upTo` (a message index) cuts the conversation after that message, for per-turn judging. The assistant's
 * logged reasoning is left out unless `reasoning` is asked for (a rubric's `show_reasoning`). `firstTurn` numbers
 * the first message (1 unless set).
 */
export function renderTranscript(transcript: Pick<Transcript, 'id' | 'messages'>, upTo?: number, options: { reasoning?: boolean; firstTurn?: number } = {}): string {
  const lines = [`<transcript id=${encodeUntrusted(transcript.id)}>`];
  // Pairwise requests number the second conversation's turns on from the first's, so a cited turn is unambiguous.
  const first = options.firstTurn ?? 1;
  const last = upTo ?? transcript.messages.length - 1;
  const toolNames = new Map<string, string>();
  transcript.messages.forEach((message, index) => {
    if (index > last) return;
    const turn = index + first;
    if (message.role === 'assistant') {
      if (options.reasoning && message.reasoning) lines.push(`[${turn}] assistant thinks: ${encodeUntrusted(message.reasoning)}`);
      const text = contentText(message.content);
      if (text !== '' || !message.tool_calls?.length) lines.push(`[${turn}] assistant: ${encodeUntrusted(text)}`);
      for (const call of message.tool_calls ?? []) {
        toolNames.set(call.id, call.function.name);
        lines.push(`[${turn}] assistant calls tool ${encodeUntrusted(call.function.name)} (call id ${encodeUntrusted(call.id)}) with arguments ${encodeUntrusted(call.function.arguments)}`);
      }
    } else if (message.role === 'tool') {
      const name = toolNames.get(message.tool_call_id) ?? message.name ?? 'unknown tool';
      lines.push(`[${turn}] tool ${message.is_error ? 'error' : 'result'} of ${encodeUntrusted(name)} (call id ${encodeUntrusted(message.tool_call_id)}): ${encodeUntrusted(contentText(message.content))}`);
    } else {
      lines.push(`[${turn}] ${message.role}: ${encodeUntrusted(contentText(message.content))}`);
    }
  });
  lines.push('</transcript>');
  return lines.join('\n');
}
