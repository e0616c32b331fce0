import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import type { Level, Value } from '../stats/types.js';
import { parseCsv } from './csv.js';
import { forEachJsonLine } from './jsonl.js';

/** A ratings table: items × raters, null where a rater did not rate an item. */
export interface Ratings {
  items: string[];
  raters: string[];
  table: (Value | null)[][];
}

interface Cell {
  item: string;
  rater: string;
  raw: unknown;
  line: number;
  field: string;
}

/**
 * Reads ratings from CSV or JSONL. CSV is wide (an item column, then one column per rater; an empty cell is
 * missing) or long (header `item,rater,score`). JSONL holds one `{"item", "rater", "score"}` per line.
 * Numeric levels need numbers; the nominal level keeps labels as text.
 */
export function parseRatings(file: string, text: string, level: Level, criterion?: string): Loaded<Ratings> {
  const cells: Cell[] = [];
  const diagnostics: Diagnostic[] = [];
  const error = (code: Diagnostic['code'], line: number | undefined, path: (string | number)[], message: string, expected?: string) =>
    diagnostics.push({ code, severity: 'error', file, ...(line ? { line } : {}), path, message, ...(expected ? { expected } : {}) });

  if (/\.jsonl$/i.test(file)) {
    forEachJsonLine(text, (record, line) => {
      for (const key of ['item', 'rater'] as const) {
        if (typeof record[key] !== 'string' && typeof record[key] !== 'number') return error('ratings/invalid', line, [key], `\`${key}\` is missing`, 'a string');
      }
      cells.push({ item: String(record.item), rater: String(record.rater), raw: record.score, line, field: 'score' });
    }, (line, message, expected) => error('ratings/invalid', line, [], message, expected));
  } else {
    const parsed = parseCsv(text);
    if (!parsed.ok) return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, line: parsed.line, path: [], message: parsed.message }] };
    const [header, ...rows] = parsed.rows;
    if (!header) return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, path: [], message: 'the file is empty', expected: 'a header row' }] };
    const names = header.cells.map((c) => c.trim());
    const long = names.length === 3 && names.map((n) => n.toLowerCase()).join(',') === 'item,rater,score';
    // A jury labels file (item,criterion,annotator,score…): one criterion's ratings, annotators as raters.
    const lower = names.map((n) => n.toLowerCase());
    if (['item', 'criterion', 'annotator', 'score'].every((n) => lower.includes(n))) {
      if (!criterion) return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, line: header.line, path: [], message: 'this is a labels file with several criteria', expected: 'a --criterion <id> to pick one' }] };
      const at = (n: string) => lower.indexOf(n);
      const turnAt = at('turn');
      for (const row of rows) {
        const name = row.cells[at('criterion')]?.trim() ?? '';
        if (name !== criterion && !name.endsWith(`/${criterion}`)) continue;
        const turn = turnAt >= 0 && row.cells[turnAt] ? `#${row.cells[turnAt]}` : '';
        cells.push({ item: `${row.cells[at('item')]}${turn}`, rater: row.cells[at('annotator')] ?? '', raw: row.cells[at('score')], line: row.line, field: 'score' });
      }
      if (cells.length === 0) {
        const known = [...new Set(rows.map((row) => row.cells[at('criterion')]?.trim() ?? '').filter(Boolean))].sort();
        error('ratings/invalid', undefined, [], `no label for criterion \`${criterion}\``, `one of the criteria in the file: ${known.map((k) => `\`${k}\``).join(', ') || '(none)'}`);
      }
    } else for (const row of rows) {
      if (row.cells.length !== names.length) {
        error('ratings/ragged-row', row.line, [], `row has ${row.cells.length} cells; the header has ${names.length}`, `${names.length} comma-separated cells`);
        continue;
      }
      if (long) cells.push({ item: row.cells[0]!, rater: row.cells[1]!, raw: row.cells[2]!, line: row.line, field: 'score' });
      else for (let j = 1; j < names.length; j++) cells.push({ item: row.cells[0]!, rater: names[j]!, raw: row.cells[j]!, line: row.line, field: names[j]! });
    }
    if (!long && !lower.includes('criterion') && names.length < 3) error('ratings/one-rater', header.line, [], `the header names ${Math.max(0, names.length - 1)} rater column(s)`, 'an item column and at least two rater columns, or a long file with header item,rater,score');
  }

  const items: string[] = [];
  const raters: string[] = [];
  const itemIndex = new Map<string, number>();
  const raterIndex = new Map<string, number>();
  const values = new Map<string, Value>();
  const seen = new Map<string, number>();
  for (const cell of cells) {
    const value = readValue(cell.raw, level);
    if (value === undefined) {
      error('ratings/not-numeric', cell.line, [cell.field], `score ${JSON.stringify(cell.raw)} of rater \`${cell.rater}\` on item \`${cell.item}\` is not a number`, `a number at the ${level} level (or --level nominal for labels)`);
      continue;
    }
    if (!itemIndex.has(cell.item)) itemIndex.set(cell.item, items.push(cell.item) - 1);
    if (!raterIndex.has(cell.rater)) raterIndex.set(cell.rater, raters.push(cell.rater) - 1);
    if (value === null) continue;
    const key = `${cell.item}\u0000${cell.rater}`;
    if (seen.has(key)) error('ratings/duplicate', cell.line, [], `rater \`${cell.rater}\` rated item \`${cell.item}\` twice (also on line ${seen.get(key)})`, 'one rating per item and rater');
    seen.set(key, cell.line);
    values.set(key, value);
  }
  if (diagnostics.length === 0 && raters.length < 2) error('ratings/one-rater', undefined, [], `the file has ${raters.length} rater(s)`, 'at least two raters to measure agreement');
  if (diagnostics.length) return { ok: false, diagnostics };
  const table = items.map((item) => raters.map((rater) => values.get(`${item}\u0000${rater}`) ?? null));
  return { ok: true, value: { items, raters, table }, warnings: [] };
}

/** null for an empty cell, undefined for a value the level cannot take. */
function readValue(raw: unknown, level: Level): Value | null | undefined {
  if (raw === null || raw === undefined || (typeof raw === 'string' && raw.trim() === '')) return null;
  if (level === 'nominal') return typeof raw === 'number' ? raw : String(raw).trim();
  const number = typeof raw === 'number' ? raw : Number(String(raw).trim());
  return Number.isFinite(number) ? number : undefined;
}
