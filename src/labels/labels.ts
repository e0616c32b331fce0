import { restoreCell } from '../format/csv-cell.js';
import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { parseCsv } from '../ratings/csv.js';
import { namesCriterion } from '../format/criterion-name.js';

/** One human rating of one unit: an item (or one assistant turn of it) on one criterion. */
export interface HumanLabel {
  item: string;
  /** `rubric/criterion`, or a bare criterion id when the labels file does not name the rubric. */
  criterion: string;
  turn?: number;
  annotator: string;
  score: number | string;
  note?: string;
  /** The annotator id is a position in a list (rater1, rater2…), not a person: no per-annotator figure describes anyone. */
  anonymous?: true;
  /** A final label given in adjudication: the unit's answer, kept apart from the votes and never counted as one. */
  adjudicated?: true;
  /** A known right answer (a `gold` column): like an adjudicated label, the unit's answer and never a vote. */
  gold?: true;
}

/** Whether a label is a unit's answer (adjudicated or gold) rather than one more vote. */
export const isAnswer = (label: { adjudicated?: true; gold?: true }): boolean => label.adjudicated === true || label.gold === true;


export const LABEL_COLUMNS = ['item', 'criterion', 'annotator', 'score'] as const;

/**
 * Reads a labels file kept apart from the transcripts: CSV with header item,criterion,annotator,score (and
 * optional turn, note columns) or JSONL of the same fields. Scores that look like numbers become numbers.
 */
export function parseLabels(file: string, text: string, defaults: { annotator?: string } = {}): Loaded<HumanLabel[]> {
  const labels: HumanLabel[] = [];
  const diagnostics: Diagnostic[] = [];
  // A gold file may leave out the annotator: its answers are the reference, whoever wrote them.
  const required = defaults.annotator ? LABEL_COLUMNS.filter((c) => c !== 'annotator') : LABEL_COLUMNS;
  const add = (given: Record<string, unknown>, line: number) => {
    const record = defaults.annotator && (given.annotator === undefined || String(given.annotator).trim() === '') ? { ...given, annotator: defaults.annotator } : given;
    for (const key of required) {
      const v = record[key];
      if (v === undefined || v === null || String(v).trim() === '') {
        diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path: [key], message: `\`${key}\` is missing`, expected: `every label has ${LABEL_COLUMNS.join(', ')}` });
        return;
      }
    }
    const turn = record.turn === undefined || record.turn === null || String(record.turn).trim() === '' ? undefined : Number(record.turn);
    if (turn !== undefined && !Number.isInteger(turn)) {
      diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path: ['turn'], message: `turn ${JSON.stringify(record.turn)} is not a whole number` });
      return;
    }
    const flags: { anonymous?: true; adjudicated?: true; gold?: true } = {};
    for (const key of ['anonymous', 'adjudicated', 'gold'] as const) {
      const value = yesNo(record[key]);
      if (value === 'invalid') {
        diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path: [key], message: `\`${key}\` is ${JSON.stringify(record[key])}`, expected: 'true or false (or empty)' });
        return;
      }
      if (value) flags[key] = true;
    }
    labels.push({
      item: String(record.item),
      criterion: String(record.criterion),
      ...(turn === undefined ? {} : { turn }),
      annotator: String(record.annotator),
      score: toScore(record.score),
      ...(record.note ? { note: String(record.note) } : {}),
      ...flags,
    });
  };
  if (/\.jsonl$/i.test(file)) {
    text.split('\n').forEach((raw, index) => {
      if (raw.trim() === '') return;
      try {
        add(JSON.parse(raw) as Record<string, unknown>, index + 1);
      } catch {
        diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line: index + 1, path: [], message: 'not a JSON object', expected: '{"item", "criterion", "annotator", "score"}' });
      }
    });
  } else {
    const parsed = parseCsv(text);
    if (!parsed.ok) return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, line: parsed.line, path: [], message: parsed.message }] };
    const [header, ...rows] = parsed.rows;
    const names = header?.cells.map((c) => c.trim().toLowerCase()) ?? [];
    const missing = required.filter((c) => !names.includes(c));
    if (missing.length) return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, line: 1, path: [], message: `the header lacks ${missing.join(', ')}`, expected: 'a header item,criterion,annotator,score (turn, note, anonymous, adjudicated and gold optional)' }] };
    for (const row of rows) {
      if (row.cells.length !== names.length) {
        diagnostics.push({ code: 'ratings/ragged-row', severity: 'error', file, line: row.line, path: [], message: `row has ${row.cells.length} cells; the header has ${names.length}` });
        continue;
      }
      // jury writes labels.csv with formula-like cells defused (format/csv-cell.ts); read them back exactly.
      add(Object.fromEntries(names.map((n, i) => [n, restoreCell(row.cells[i] ?? '')])), row.line);
    }
  }
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, value: labels, warnings: [] };
}

/** An optional yes/no cell: true/false, yes/no, 1/0, or empty (no). */
function yesNo(value: unknown): boolean | 'invalid' {
  if (value === undefined || value === null || value === false) return false;
  if (value === true) return true;
  const text = String(value).trim().toLowerCase();
  if (['', 'false', 'no', '0'].includes(text)) return false;
  if (['true', 'yes', '1'].includes(text)) return true;
  return 'invalid';
}

function toScore(value: unknown): number | string {
  if (typeof value === 'number') return value;
  const text = String(value).trim();
  return text !== '' && Number.isFinite(Number(text)) ? Number(text) : text;
}

/** Labels written inside transcripts (`labels: {criterion: [{annotator, score, note}]}`), flattened. */
export function transcriptLabels(transcripts: readonly { id: string; labels?: Record<string, { annotator: string; score: number | string; note?: string }[]> }[]): HumanLabel[] {
  return transcripts.flatMap((t) =>
    Object.entries(t.labels ?? {}).flatMap(([criterion, list]) => list.map((l) => ({ item: t.id, criterion, annotator: l.annotator, score: l.score, ...(l.note ? { note: l.note } : {}) }))),
  );
}

/** The unit key a label refers to, matching a report unit whether or not the label names the rubric. */
export function labelMatches(label: HumanLabel, item: string, rubric: string, criterion: string, turn?: number): boolean {
  return label.item === item && namesCriterion(label.criterion, rubric, criterion) && (label.turn ?? undefined) === (turn ?? undefined);
}
