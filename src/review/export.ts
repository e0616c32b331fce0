import { defuseCell } from '../format/csv-cell.js';
import type { Rubric } from '../rubric/rubric.js';
import { scalePoints } from '../rubric/rubric.js';
import { contentText, type Transcript } from '../transcript/transcript.js';
import type { ReviewUnit } from './select.js';

/** One row of a review file: what a person needs to label the unit, and empty annotator/score/note columns. */
export interface ReviewRow {
  id: string;
  item: string;
  criterion: string;
  turn: number | '';
  reasons: string;
  question: string;
  scale: string;
  anchors: string;
  transcript: string;
  panel_score: number | string;
  judges: string;
  annotator: string;
  score: string;
  note: string;
}

export const REVIEW_COLUMNS: (keyof ReviewRow)[] = ['id', 'item', 'criterion', 'turn', 'reasons', 'question', 'scale', 'anchors', 'transcript', 'panel_score', 'judges', 'annotator', 'score', 'note'];

/** A transcript as a person reads it (plain text here: CSV and JSON escape it for their own medium). */
export function plainTranscript(transcript: Transcript, upToTurn?: number): string {
  return transcript.messages
    .slice(0, upToTurn ?? transcript.messages.length)
    .map((m, i) => {
      if (m.role === 'assistant' && m.tool_calls?.length) return `[${i + 1}] assistant calls ${m.tool_calls.map((c) => `${c.function.name}(${c.function.arguments})`).join(', ')}${contentText(m.content) ? ` and says: ${contentText(m.content)}` : ''}`;
      if (m.role === 'tool') return `[${i + 1}] tool result (${m.tool_call_id}): ${contentText(m.content)}`;
      return `[${i + 1}] ${m.role}: ${contentText(m.content)}`;
    })
    .join('\n');
}

export function reviewRows(units: readonly ReviewUnit[], transcripts: ReadonlyMap<string, Transcript>, rubrics: ReadonlyMap<string, Rubric>): ReviewRow[] {
  return units.map(({ item, unit, reasons }) => {
    const criterion = rubrics.get(unit.rubric)?.criteria.find((c) => c.id === unit.criterion);
    const transcript = transcripts.get(item);
    return {
      id: `${item}|${unit.rubric}/${unit.criterion}${unit.turn ? `|t${unit.turn}` : ''}`,
      item,
      criterion: `${unit.rubric}/${unit.criterion}`,
      turn: unit.turn ?? '',
      reasons: reasons.join(' '),
      question: criterion?.question ?? '',
      scale: criterion ? JSON.stringify(criterion.scale) : '',
      anchors: criterion ? scalePoints(criterion.scale).map((p) => `${p}: ${criterion.anchors[String(p)] ?? ''}`).join('\n') : '',
      transcript: transcript ? plainTranscript(transcript, unit.turn) : '(transcript not found in the dataset)',
      panel_score: unit.panel.status === 'scored' ? unit.panel.score : 'unscored',
      judges: unit.verdicts.map((v) => (v.status === 'scored' ? `${v.judge}: ${v.score} (${v.reasoning})` : `${v.judge}: failed`)).join('\n'),
      annotator: '',
      score: '',
      note: '',
    };
  });
}

/**
 * RFC 4180 CSV: every field quoted, quotes doubled; newlines stay inside quotes. A cell that starts like a
 * spreadsheet formula gets a leading apostrophe (`defuseCell`, reversible): transcript text is untrusted, and
 * this file is meant to be opened in a spreadsheet (OWASP "CSV injection").
 */
export function toCsv(rows: readonly ReviewRow[]): string {
  const quote = (v: unknown) => `"${defuseCell(String(v)).replace(/"/g, '""')}"`;
  return `${[REVIEW_COLUMNS.join(','), ...rows.map((r) => REVIEW_COLUMNS.map((c) => quote(r[c])).join(','))].join('\r\n')}\r\n`;
}

export function toJsonl(rows: readonly ReviewRow[]): string {
  return rows.map((r) => JSON.stringify(r)).join('\n') + (rows.length ? '\n' : '');
}

/**
 * Label Studio's task import format: a list of `{data: {...}}`; `score` is then labelled with a Rating or
 * Choices control named `score` (see docs/review.md for a labeling config).
 */
export function toLabelStudio(rows: readonly ReviewRow[]): string {
  return `${JSON.stringify(rows.map(({ annotator: _a, score: _s, note: _n, ...data }) => ({ data })), null, 2)}\n`;
}

