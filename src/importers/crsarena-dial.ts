import type { HumanLabel } from '../labels/labels.js';
import { parseCsv } from '../ratings/csv.js';

/**
 * CRSArena-Dial (Bernard & Balog, WSDM 2025): real conversations between crowd users and nine conversational
 * movie recommenders, each with the user's own verdict (satisfied or frustrated), and battles in which a user
 * talked to two systems and voted. Dialogues become transcripts (system and user ids as metadata), the verdict a
 * binary label from the user themself, and each vote a pair for pairwise judging.
 */
export const CRSARENA_RUBRIC_ID = 'crsarena-dial';

export interface CrsDialogue {
  id: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  metadata: { source: 'CRSArena-Dial'; setting: string; system: string; user: string; sentiment?: string };
}

export interface CrsPair {
  id: string;
  setting: string;
  a: string;
  b: string;
  system_a: string;
  system_b: string;
  /** `a`, `b` or `tie`, as the user voted. */
  winner: 'a' | 'b' | 'tie';
  user: string;
  time: string;
  feedback?: string;
}

export type Problem = { file: string; line?: number; path: (string | number)[]; message: string; expected?: string };

/** One setting's dialogues file (a JSON array): transcripts and the users' own verdicts. */
export function readCrsDialogues(file: string, setting: string, value: unknown): { dialogues: CrsDialogue[]; labels: HumanLabel[]; unjudgeable: number } | Problem {
  if (!Array.isArray(value)) return { file, path: [], message: 'not a JSON array of dialogues', expected: 'crs_arena_dial_<setting>.json as released' };
  const dialogues: CrsDialogue[] = [];
  const labels: HumanLabel[] = [];
  let unjudgeable = 0;
  for (const [index, raw] of value.entries()) {
    const d = raw as Record<string, unknown>;
    const id = d?.['conversation ID'];
    const system = (d?.agent as Record<string, unknown> | undefined)?.id;
    const user = (d?.user as Record<string, unknown> | undefined)?.id;
    if (typeof id !== 'string' || typeof system !== 'string' || typeof user !== 'string' || !Array.isArray(d.conversation)) {
      return { file, path: [index], message: 'a dialogue without `conversation ID`, `agent.id`, `user.id` or `conversation`', expected: 'the CRSArena-Dial dialogue fields' };
    }
    const messages = (d.conversation as Record<string, unknown>[]).flatMap((u) =>
      typeof u?.utterance === 'string' && u.utterance.trim() !== '' ? [{ role: u.participant === 'AGENT' ? ('assistant' as const) : ('user' as const), content: u.utterance.trim() }] : [],
    );
    // A user who left before the system answered gave a judge nothing to judge.
    if (!messages.some((m) => m.role === 'assistant')) {
      unjudgeable++;
      continue;
    }
    const sentiment = (d.metadata as Record<string, unknown> | undefined)?.sentiment;
    dialogues.push({ id, messages, metadata: { source: 'CRSArena-Dial', setting, system, user, ...(typeof sentiment === 'string' ? { sentiment } : {}) } });
    if (sentiment === 'satisfied' || sentiment === 'frustrated') labels.push({ item: id, criterion: `${CRSARENA_RUBRIC_ID}/satisfied`, annotator: 'the-user', score: sentiment === 'satisfied' ? 1 : 0 });
  }
  return { dialogues, labels, unjudgeable };
}

/** One setting's votes (CSV: session_id, user_id, crs1, crs2, vote, feedback) as pairs of dialogues. */
export function readCrsVotes(file: string, setting: string, text: string, known: ReadonlySet<string>): { pairs: CrsPair[]; unmatched: number } | Problem {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { file, line: parsed.line, path: [], message: parsed.message };
  const [header, ...rows] = parsed.rows;
  const names = header?.cells.map((c) => c.trim()) ?? [];
  const col = (name: string) => names.indexOf(name);
  const needed = ['session_id', 'user_id', 'crs1', 'crs2', 'vote'];
  const missing = needed.filter((n) => col(n) < 0);
  if (missing.length) return { file, line: 1, path: [], message: `missing column${missing.length > 1 ? 's' : ''} ${missing.map((m) => `\`${m}\``).join(', ')}`, expected: 'session_id, user_id, crs1, crs2, vote, feedback' };
  const pairs: CrsPair[] = [];
  let unmatched = 0;
  for (const row of rows) {
    const cell = (name: string) => (row.cells[col(name)] ?? '').trim();
    const [user, crs1, crs2, vote] = [cell('user_id'), cell('crs1'), cell('crs2'), cell('vote')];
    if (vote !== crs1 && vote !== crs2 && vote !== 'tie') return { file, line: row.line, path: ['vote'], message: `vote \`${vote}\` names neither system`, expected: `\`${crs1}\`, \`${crs2}\` or \`tie\`` };
    const a = `${crs1}_${user}`;
    const b = `${crs2}_${user}`;
    if (!known.has(a) || !known.has(b)) {
      unmatched++;
      continue;
    }
    const feedback = col('feedback') >= 0 ? cell('feedback') : '';
    pairs.push({ id: `${setting}-${pairs.length + 1}`, setting, a, b, system_a: crs1, system_b: crs2, winner: vote === 'tie' ? 'tie' : vote === crs1 ? 'a' : 'b', user, time: cell('session_id'), ...(feedback ? { feedback } : {}) });
  }
  return { pairs, unmatched };
}

/** A binary rubric asking what the users answered, so judges can be calibrated against them. */
export const CRSARENA_RUBRIC = `# CRSArena-Dial's own question as a jury rubric: would the user leave this conversation satisfied? The users
# answered it themselves (satisfied / frustrated); \`jury calibrate\` compares the judges with them.
id: ${CRSARENA_RUBRIC_ID}
version: 1.0.0
title: CRSArena-Dial user satisfaction
scope: conversation
instructions: |
  The assistant is a conversational movie recommender talking with a user who wants movie suggestions.
criteria:
  - id: satisfied
    question: Would the user end this conversation satisfied with the recommender, rather than frustrated?
    scale: { type: binary }
    anchors:
      0: "Frustrated: the recommender misunderstood, repeated itself or gave unsuitable movies."
      1: "Satisfied: the user got relevant recommendations and sensible answers."
`;

/**
 * Each battle as a pairwise item: the dialogue the user met first as the base side and the second as the candidate,
 * both under the battle's id, so `jury run --pairwise` judges the two conversations together; and the user's vote as
 * a pairwise label by side (base, candidate or tie), for `jury calibrate` on the pairwise report.
 */
export function battlesAsPairs(pairs: readonly CrsPair[], dialogues: ReadonlyMap<string, CrsDialogue>): { first: CrsDialogue[]; second: CrsDialogue[]; votes: HumanLabel[] } {
  const first: CrsDialogue[] = [];
  const second: CrsDialogue[] = [];
  const votes: HumanLabel[] = [];
  for (const pair of pairs) {
    const a = dialogues.get(pair.a);
    const b = dialogues.get(pair.b);
    if (!a || !b) continue;
    first.push({ ...a, id: pair.id });
    second.push({ ...b, id: pair.id });
    votes.push({ item: pair.id, criterion: `${CRSARENA_RUBRIC_ID}/satisfied`, annotator: pair.user, score: pair.winner === 'a' ? 'base' : pair.winner === 'b' ? 'candidate' : 'tie' });
  }
  return { first, second, votes };
}
