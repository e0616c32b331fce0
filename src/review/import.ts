import { defuseCell, restoreCell } from '../format/csv-cell.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { isAnswer, type HumanLabel } from '../labels/labels.js';
import { parseCsv } from '../ratings/csv.js';
import { Scale, scalePoints } from '../rubric/rubric.js';

interface Completed {
  line: number;
  item: string;
  criterion: string;
  turn?: number;
  annotator: string;
  score: unknown;
  note?: string;
  scale?: string;
}

/**
 * Reads labels back from a completed review file: our CSV or JSONL (rows with `score` filled in), or Label
 * Studio's JSON export (tasks with `annotations[].result[].value` holding a rating, a number or a choice).
 * Rows left blank are skipped. Each score is checked against the scale the row carries. With `adjudicated`, every
 * label read is a final answer for its unit (kept apart from the votes), not one more vote.
 */
export function readCompleted(file: string, text: string, defaultAnnotator?: string, adjudicated = false): { labels: HumanLabel[]; diagnostics: Diagnostic[]; skipped: number } {
  const rows: Completed[] = [];
  const diagnostics: Diagnostic[] = [];
  const bad = (line: number, path: (string | number)[], message: string, expected?: string) => diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path, message, ...(expected ? { expected } : {}) });
  const fromRecord = (r: Record<string, unknown>, line: number): Completed => ({
    line,
    item: String(r.item ?? ''),
    criterion: String(r.criterion ?? ''),
    ...(r.turn !== undefined && r.turn !== '' && r.turn !== null ? { turn: Number(r.turn) } : {}),
    annotator: String(r.annotator ?? '').trim() || (defaultAnnotator ?? ''),
    score: r.score,
    ...(r.note ? { note: String(r.note) } : {}),
    ...(r.scale ? { scale: String(r.scale) } : {}),
  });
  const trimmed = text.trimStart();
  if (/\.json$/i.test(file) && trimmed.startsWith('[')) {
    let tasks: { data?: Record<string, unknown>; annotations?: { completed_by?: unknown; result?: { value?: Record<string, unknown> }[] }[] }[];
    try {
      tasks = JSON.parse(text);
    } catch (e) {
      return { labels: [], diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, path: [], message: `not JSON: ${(e as Error).message.split(' in JSON')[0]}` }], skipped: 0 };
    }
    tasks.forEach((task, index) => {
      for (const annotation of task.annotations ?? []) {
        const value = annotation.result?.[0]?.value ?? {};
        const score = value.rating ?? value.number ?? (Array.isArray(value.choices) ? value.choices[0] : undefined);
        const by = annotation.completed_by;
        const annotator = typeof by === 'object' && by !== null ? String((by as { email?: unknown; id?: unknown }).email ?? (by as { id?: unknown }).id) : by !== undefined && by !== null ? String(by) : defaultAnnotator;
        rows.push(fromRecord({ ...task.data, score, annotator }, index + 1));
      }
    });
  } else if (/\.jsonl$/i.test(file)) {
    text.split('\n').forEach((raw, index) => {
      if (raw.trim() === '') return;
      try {
        rows.push(fromRecord(JSON.parse(raw), index + 1));
      } catch {
        bad(index + 1, [], 'not a JSON object');
      }
    });
  } else {
    const parsed = parseCsv(text);
    if (!parsed.ok) return { labels: [], diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, line: parsed.line, path: [], message: parsed.message }], skipped: 0 };
    const [header, ...body] = parsed.rows;
    const names = header?.cells.map((c) => c.trim()) ?? [];
    // Undo the apostrophe that export puts before formula-like cells (and before cells starting with one).
    for (const row of body) rows.push(fromRecord(Object.fromEntries(names.map((n, i) => [n, restoreCell(row.cells[i] ?? '')])), row.line));
  }

  const labels: HumanLabel[] = [];
  let skipped = 0;
  for (const row of rows) {
    if (row.score === undefined || row.score === null || String(row.score).trim() === '') {
      skipped++;
      continue;
    }
    if (!row.item || !row.criterion) {
      bad(row.line, [], 'the row has no item or criterion', 'rows as exported by jury review export');
      continue;
    }
    if (!row.annotator) {
      bad(row.line, ['annotator'], 'no annotator is named', 'an annotator column, or --annotator <name>');
      continue;
    }
    let score: number | string = typeof row.score === 'number' ? row.score : String(row.score).trim();
    if (row.scale) {
      const scale = Scale.safeParse(safeJson(row.scale));
      if (scale.success) {
        if (scale.data.type !== 'categorical' && typeof score === 'string' && Number.isFinite(Number(score))) score = Number(score);
        if (!scalePoints(scale.data).some((p) => p === score)) {
          bad(row.line, ['score'], `score ${JSON.stringify(row.score)} for ${row.item} on ${row.criterion} is not on the scale`, scalePoints(scale.data).map(String).join(', '));
          continue;
        }
      }
    }
    labels.push({ item: row.item, criterion: row.criterion, ...(row.turn !== undefined ? { turn: row.turn } : {}), annotator: row.annotator, score, ...(row.note ? { note: row.note } : {}), ...(adjudicated ? { adjudicated: true as const } : {}) });
  }
  return { labels, diagnostics, skipped };
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

export interface Merge {
  labels: HumanLabel[];
  added: number;
  unchanged: number;
  conflicts: { existing: HumanLabel; incoming: HumanLabel }[];
}

// A vote is one per annotator and unit; an answer (adjudicated or gold) is one per unit, whoever gave it, and never meets a vote.
const labelKey = (l: HumanLabel) => `${l.item}\u0000${l.criterion}\u0000${l.turn ?? ''}\u0000${isAnswer(l) ? '\u0001answer' : l.annotator}`;

/**
 * Adds incoming labels; the same annotator's different score for the same unit is a conflict, and so is a second,
 * different adjudicated label for a unit: never overwritten silently.
 */
export function mergeLabels(existing: readonly HumanLabel[], incoming: readonly HumanLabel[], overwrite = false): Merge {
  const byKey = new Map(existing.map((l) => [labelKey(l), l]));
  const conflicts: Merge['conflicts'] = [];
  let added = 0;
  let unchanged = 0;
  for (const label of incoming) {
    const old = byKey.get(labelKey(label));
    if (!old) added++;
    else if (old.score === label.score) unchanged++;
    else if (!overwrite) {
      conflicts.push({ existing: old, incoming: label });
      continue;
    }
    byKey.set(labelKey(label), label);
  }
  return { labels: [...byKey.values()], added, unchanged, conflicts };
}

/** Labels in the file's own format: CSV (item,criterion,turn,annotator,score,note) or JSONL. */
export function serializeLabels(file: string, labels: readonly HumanLabel[]): string {
  if (/\.jsonl$/i.test(file)) return labels.map((l) => JSON.stringify(l)).join('\n') + (labels.length ? '\n' : '');
  // Defused like every CSV jury writes: labels.csv is opened in spreadsheets too, and ids come from transcripts.
  const quote = (v: unknown) => {
    if (v === undefined) return '';
    const cell = defuseCell(String(v));
    return /[",\n\r]/.test(cell) ? `"${cell.replace(/"/g, '""')}"` : cell;
  };
  // The flag columns only when a label carries one, so files without them are written as before.
  const flags = (['anonymous', 'adjudicated', 'gold'] as const).filter((key) => labels.some((l) => l[key]));
  const header = ['item,criterion,turn,annotator,score,note', ...flags].join(',');
  return `${[header, ...labels.map((l) => [l.item, l.criterion, l.turn, l.annotator, l.score, l.note, ...flags.map((key) => (l[key] ? 'true' : undefined))].map(quote).join(','))].join('\n')}\n`;
}
