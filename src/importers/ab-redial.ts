import type { HumanLabel } from '../labels/labels.js';
import { parseCsv } from '../ratings/csv.js';

/**
 * AB-ReDial (Siro, Aliannejadi & de Rijke, TOIS 2024): ReDial movie-recommendation dialogues rated by 3–4
 * crowd workers each. One CSV row per (annotator, dialogue); annotator ids are not given, so raters are
 * exchangeable and named rater1…rater4 in row order within a unit. A unit is a ConvId *and* its text: five
 * ConvIds are shared by two different conversations, which become `<ConvId>-2`.
 */
export const AB_REDIAL_CRITERIA = [
  { column: 'understanding', id: 'understanding', min: 1, max: 3 },
  { column: 'task-completion', id: 'task_completion', min: 1, max: 3 },
  { column: 'interest-arousal', id: 'interest_arousal', min: 0, max: 3 },
  { column: 'efficiency', id: 'efficiency', min: 0, max: 1 },
  { column: 'dialogue-overall', id: 'dialogue_overall', min: 1, max: 5 },
] as const;

export const AB_REDIAL_RUBRIC_ID = 'ab-redial';

export interface ImportedDialogue {
  id: string;
  messages: { role: 'user' | 'assistant'; content: string }[];
  metadata: { source: string; conv_id: string };
}

export function importAbRedial(text: string): { transcripts: ImportedDialogue[]; labels: HumanLabel[] } | { error: string; line?: number } {
  const parsed = parseCsv(text);
  if (!parsed.ok) return { error: parsed.message, line: parsed.line };
  const [header, ...rows] = parsed.rows;
  const names = header?.cells ?? [];
  const col = (name: string) => names.indexOf(name);
  if (col('ConvId') < 0 || AB_REDIAL_CRITERIA.some((c) => col(c.column) < 0)) return { error: 'not the AB-ReDial annotated_dialogues.csv: columns ConvId and the five rating columns are expected', line: 1 };
  const utteranceColumns = names.map((n, i) => [n, i] as const).filter(([n]) => /^utterance\d+$/.test(n)).map(([, i]) => i);
  const units = new Map<string, { id: string; messages: ImportedDialogue['messages']; convId: string; raters: number }>();
  const idsByConv = new Map<string, string[]>();
  const labels: HumanLabel[] = [];
  for (const row of rows) {
    const convId = row.cells[col('ConvId')]!.trim();
    const utterances = utteranceColumns.map((i) => row.cells[i] ?? '').filter((u) => u.trim() !== '');
    const textKey = `${convId}\u0000${utterances.join('\u0001')}`;
    let unit = units.get(textKey);
    if (!unit) {
      const siblings = idsByConv.get(convId) ?? [];
      const id = siblings.length === 0 ? convId : `${convId}-${siblings.length + 1}`;
      idsByConv.set(convId, [...siblings, id]);
      unit = { id, convId, raters: 0, messages: utterances.map(toMessage) };
      units.set(textKey, unit);
    }
    unit.raters++;
    for (const criterion of AB_REDIAL_CRITERIA) {
      const raw = (row.cells[col(criterion.column)] ?? '').trim();
      if (raw === '') continue;
      // AB-ReDial names no workers: rater1..rater4 are positions within a dialogue, not people.
      labels.push({ item: unit.id, criterion: `${AB_REDIAL_RUBRIC_ID}/${criterion.id}`, annotator: `rater${unit.raters}`, score: Number(raw), anonymous: true });
    }
  }
  const transcripts = [...units.values()].map((u) => ({ id: u.id, messages: u.messages, metadata: { source: 'AB-ReDial', conv_id: u.convId } }));
  return { transcripts, labels };
}

/** `SYSTEM<TAB>text` or, in a few rows, `SYSTEM text`. */
function toMessage(utterance: string): { role: 'user' | 'assistant'; content: string } {
  const match = /^(SYSTEM|USER)[\t ]+([\s\S]*)$/.exec(utterance.trim());
  if (!match) return { role: 'user', content: utterance.trim() };
  return { role: match[1] === 'SYSTEM' ? 'assistant' : 'user', content: match[2]!.trim() };
}

/** A rubric with AB-ReDial's own questions and scales, so jury's judges can be calibrated against its raters. */
export const AB_REDIAL_RUBRIC = `# The AB-ReDial annotation questions (Siro et al., TOIS 2024) as a jury rubric: judge ReDial dialogues the
# way its crowd workers did, then \`jury calibrate\` against their labels.
id: ${AB_REDIAL_RUBRIC_ID}
version: 1.0.0
title: AB-ReDial dialogue-level quality
scope: conversation
instructions: |
  The assistant ("SYSTEM") is a movie recommender talking with a seeker ("USER") who wants movie suggestions.
criteria:
  - id: understanding
    question: Did the recommender understand the seeker's preferences and requests?
    scale: { type: likert, min: 1, max: 3 }
    anchors: { 1: It did not understand them., 2: It understood them partly., 3: It understood them well. }
  - id: task_completion
    question: Did the recommender complete the task of recommending movies the seeker liked?
    scale: { type: likert, min: 1, max: 3 }
    anchors: { 1: No suitable recommendation., 2: Partly; some recommendations suited the seeker., 3: Yes; the seeker got recommendations they liked. }
  - id: interest_arousal
    question: Did the recommender arouse the seeker's interest in the recommended movies?
    scale: { type: likert, min: 0, max: 3 }
    anchors: { 0: Not at all., 1: A little., 2: Fairly., 3: Strongly. }
  - id: efficiency
    question: Did the recommender reach suitable recommendations efficiently, without needless turns?
    scale: { type: binary }
    anchors: { 0: Not efficient., 1: Efficient. }
  - id: dialogue_overall
    question: Overall, how satisfied would the seeker be with this dialogue?
    scale: { type: likert, min: 1, max: 5 }
    anchors: { 1: Very dissatisfied., 2: Dissatisfied., 3: Neutral., 4: Satisfied., 5: Very satisfied. }
`;
