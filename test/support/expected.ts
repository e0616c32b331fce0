import { readFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './cli.js';

export interface ShippedTranscript {
  id: string;
  messages: { role: string; content?: string | null }[];
}

/** The shipped dataset read independently of jury's loaders, for expectations that must not share its code. */
export function shippedTranscripts(version: 'v1' | 'v2' = 'v1'): ShippedTranscript[] {
  const text = readFileSync(path.join(ROOT, `datasets/music-recs/${version}.jsonl`), 'utf8');
  return text.trim().split('\n').map((line) => JSON.parse(line) as ShippedTranscript);
}

/** Assistant messages with text: the turns a per-turn rubric judges. */
export function assistantTextTurns(transcript: ShippedTranscript): number[] {
  return transcript.messages.flatMap((m, i) => (m.role === 'assistant' && typeof m.content === 'string' && m.content.trim() ? [i + 1] : []));
}
