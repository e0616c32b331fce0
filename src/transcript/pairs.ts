import { sha256 } from '../format/canonical-json.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareIds } from '../format/compare-ids.js';
import type { Dataset } from './load.js';
import { contentText, type Transcript } from './transcript.js';

/** A scenario both agent versions played: its id, and a digest of both conversations (for the config hash). */
export interface PairEntry {
  id: string;
  digest: string;
  /** Message indexes of the assistant turns: pairs have none to plan by (per-turn rubrics are not compared). */
  turns: number[];
}

/** What a judge of the pair and a reader of lengths need of the two conversations. */
export interface Pair {
  base: Transcript;
  candidate: Transcript;
}

/**
 * Two datasets matched by transcript id, as `jury diff` matches reports: the same scenario played by the base
 * and the candidate agent. Ids present on one side only are counted and named (a note), never judged.
 */
export class PairedDataset {
  readonly entries: readonly PairEntry[];
  readonly baseOnly: readonly string[];
  readonly candidateOnly: readonly string[];

  constructor(
    private readonly base: Dataset,
    private readonly candidate: Dataset,
  ) {
    const candidates = new Map(candidate.entries.map((e) => [e.id, e]));
    const bases = new Set(base.entries.map((e) => e.id));
    const entries: PairEntry[] = [];
    for (const b of base.entries) {
      const c = candidates.get(b.id);
      if (c) entries.push({ id: b.id, digest: sha256(`${b.digest}\u0000${c.digest}`), turns: [] });
    }
    this.entries = entries.sort((x, y) => compareIds(x.id, y.id));
    this.baseOnly = base.entries.filter((e) => !candidates.has(e.id)).map((e) => e.id);
    this.candidateOnly = candidate.entries.filter((e) => !bases.has(e.id)).map((e) => e.id);
  }

  pair(id: string): Pair {
    return { base: this.base.get(id), candidate: this.candidate.get(id) };
  }

  /** The scenario's metadata, for slices: the base side's (scenario keys are the same on both sides). */
  get(id: string): Transcript {
    return this.base.get(id);
  }

  get notes(): Diagnostic[] {
    return [...this.base.notes, ...this.candidate.notes];
  }

  close(): void {
    this.base.close();
    this.candidate.close();
  }
}

/** How long a conversation is, as a reader of length bias counts it: messages, and characters the assistant wrote. */
export function conversationLength(transcript: Pick<Transcript, 'messages'>): { messages: number; assistant_chars: number } {
  let chars = 0;
  for (const message of transcript.messages) if (message.role === 'assistant') chars += contentText(message.content).length;
  return { messages: transcript.messages.length, assistant_chars: chars };
}
