/**
 * Surface signals the mock judge reads from a rendered request, so that simulated scores respond to what a
 * transcript shows (a track named that no tool returned, a listener correcting the assistant, a wasted
 * question) instead of being pure noise. This is not judging: it is a deterministic stand-in good enough to
 * exercise diffs and gates end to end. Every report made with it says its scores are simulated.
 */
export interface Signals {
  /** The first user message: what the conversation is about, stable across agent versions. */
  topic: string;
  /** Track titles the assistant named ("Title" by Artist) that no earlier tool result contains. */
  invented: number;
  /** Listener messages that correct the assistant ("wait", "I said …"). */
  corrections: number;
  /** Listener messages that shrug off a question ("not sure", "all sorts"). */
  shrugs: number;
}

interface Line {
  turn: number;
  kind: 'user' | 'assistant' | 'tool' | 'other';
  text: string;
}

function parseLines(transcript: string): Line[] {
  const lines: Line[] = [];
  for (const raw of transcript.split('\n')) {
    const match = /^\[(\d+)\] (user|assistant|system|tool result of [^:]*\)):\s(".*")$/.exec(raw);
    if (!match) continue;
    let text: string;
    try {
      text = JSON.parse(match[3]!) as string;
    } catch {
      continue;
    }
    const role = match[2]!;
    lines.push({ turn: Number(match[1]), kind: role === 'user' || role === 'assistant' ? role : role.startsWith('tool') ? 'tool' : 'other', text });
  }
  return lines;
}

/** Reads the signals; `onlyTurn` restricts invented titles to one assistant turn (per-turn rubrics). */
export function readSignals(transcript: string, onlyTurn?: number): Signals {
  const lines = parseLines(transcript);
  let toolText = '';
  let invented = 0;
  for (const line of lines) {
    if (line.kind === 'tool') toolText += `\n${line.text.toLowerCase()}`;
    if (line.kind === 'assistant' && (onlyTurn === undefined || line.turn === onlyTurn)) {
      for (const m of line.text.matchAll(/"([^"]{2,80})" by /g)) if (!toolText.includes(m[1]!.toLowerCase())) invented++;
    }
  }
  const users = lines.filter((l) => l.kind === 'user').map((l) => l.text);
  return {
    topic: users[0] ?? '',
    invented,
    corrections: users.filter((t) => /^(wait|no,)|\bi said\b|\bnot what i asked\b/i.test(t)).length,
    shrugs: users.filter((t) => /\b(not sure|all sorts|no idea|i don't know)\b/i.test(t)).length,
  };
}

/** How many scale steps (of a five-point scale) the signals take off, given what the criterion asks. */
export function penalty(signals: Signals, criterion: string): number {
  const c = criterion.toLowerCase();
  let steps = 0;
  if (/tool result|invent|faithful|grounded|present in an earlier tool/.test(c)) steps += 2 * Math.min(1, signals.invented);
  if (/constraint|context|keep|across (all )?turns/.test(c)) steps += 2 * Math.min(1, signals.corrections);
  if (/question/.test(c)) steps += 2 * Math.min(1, signals.shrugs);
  if (/efficien|fewest turns/.test(c)) steps += Math.min(1, signals.corrections) + Math.min(1, signals.shrugs);
  return Math.min(3, steps);
}

export function describeSignals(signals: Signals): string {
  const parts = [
    signals.invented ? `${signals.invented} track(s) named that no tool returned` : '',
    signals.corrections ? `${signals.corrections} listener correction(s)` : '',
    signals.shrugs ? `${signals.shrugs} unanswerable question(s)` : '',
  ].filter(Boolean);
  return parts.length ? parts.join(', ') : 'none';
}
