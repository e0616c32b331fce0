import type { Diagnostic, Loaded } from '../diagnostics/diagnostic.js';
import { parseCsv } from './csv.js';
import { forEachJsonLine } from './jsonl.js';

/** One pairwise vote: which of two systems won, or a tie. */
export interface Vote {
  a: string;
  b: string;
  outcome: 'a' | 'b' | 'tie';
  /** The vote's group (e.g. its question), when the file's cluster column is named. */
  cluster?: string;
}

/** Which columns (CSV) or keys (JSON) hold the two systems and the verdict. */
export interface VoteColumns {
  a: string;
  b: string;
  winner: string;
}

/**
 * Layouts recognised without `--columns`, first match wins: jury's own, its pairs files (system_a/system_b: the
 * a/b keys there are dialogue ids), MT-Bench and Chatbot Arena (model_a/model_b), CRS Arena (crs1/crs2/vote).
 */
export const KNOWN_LAYOUTS: readonly VoteColumns[] = [
  { a: 'system_a', b: 'system_b', winner: 'winner' },
  { a: 'model_a', b: 'model_b', winner: 'winner' },
  { a: 'crs1', b: 'crs2', winner: 'vote' },
  { a: 'a', b: 'b', winner: 'winner' },
];

// MT-Bench's `tie (inconsistent)`: the judge's two orders disagreed, which its authors count as a tie.
const TIES = new Set(['tie', 'draw', 'tie (bothbad)', 'tie(bothbad)', 'tie (inconsistent)', 'both_bad', 'a=b']);
const FIRST = new Set(['a', 'model_a', 'system_a']);
const SECOND = new Set(['b', 'model_b', 'system_b']);

/** The verdict in a's terms: a system's own name first, then a/b words, then tie words; undefined if none fits. */
export function outcomeOf(winner: string, a: string, b: string): Vote['outcome'] | undefined {
  const w = winner.trim();
  if (w === a) return 'a';
  if (w === b) return 'b';
  const lower = w.toLowerCase();
  if (FIRST.has(lower)) return 'a';
  if (SECOND.has(lower)) return 'b';
  if (TIES.has(lower)) return 'tie';
  return undefined;
}

/**
 * Votes from a CSV file, or JSONL (one object per line), in file order. `columns` names the fields; without it
 * the first known layout whose fields are all present is used. `clusterColumn`: each vote's group, required.
 */
export function parseVotes(file: string, text: string, columns?: VoteColumns, clusterColumn?: string): Loaded<Vote[]> {
  const diagnostics: Diagnostic[] = [];
  const votes: Vote[] = [];
  const problem = (line: number | undefined, path: (string | number)[], message: string, expected?: string) =>
    diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, ...(line ? { line } : {}), path, message, ...(expected ? { expected } : {}) });
  const layoutText = (c: VoteColumns) => `${c.a}, ${c.b}, ${c.winner}`;
  const expectedLayouts = columns ? layoutText(columns) : `columns ${KNOWN_LAYOUTS.map(layoutText).join(' | ')} (or name yours with --columns a,b,winner)`;
  const add = (line: number, fields: VoteColumns, get: (key: string) => unknown) => {
    const [a, b, winner] = [get(fields.a), get(fields.b), get(fields.winner)].map((v) => (typeof v === 'string' || typeof v === 'number' ? String(v).trim() : ''));
    if (!a || !b) return problem(line, [!a ? fields.a : fields.b], `\`${!a ? fields.a : fields.b}\` is empty`, 'the name of a system');
    if (a === b) return problem(line, [fields.b], `a battle of \`${a}\` against itself`, 'two different systems');
    const outcome = outcomeOf(winner!, a, b);
    if (!outcome) return problem(line, [fields.winner], `\`${fields.winner}\` is \`${winner}\`, which names neither system`, `\`${a}\`, \`${b}\`, a/b, model_a/model_b or tie`);
    if (clusterColumn === undefined) return votes.push({ a: a!, b: b!, outcome });
    const cluster = get(clusterColumn);
    if (typeof cluster !== 'string' && typeof cluster !== 'number') return problem(line, [clusterColumn], `\`${clusterColumn}\` is missing`, 'the group of the vote (e.g. its question id), for --cluster');
    if (String(cluster).trim() === '') return problem(line, [clusterColumn], `\`${clusterColumn}\` is empty`, 'the group of the vote (e.g. its question id), for --cluster');
    votes.push({ a: a!, b: b!, outcome, cluster: String(cluster).trim() });
  };

  if (/\.jsonl$/i.test(file)) {
    let fields = columns;
    forEachJsonLine(text, (record, line) => {
      fields ??= KNOWN_LAYOUTS.find((l) => [l.a, l.b, l.winner].every((k) => k in record));
      if (!fields) return problem(line, [], `no fields for the two systems and the verdict (keys: ${Object.keys(record).slice(0, 8).join(', ')})`, expectedLayouts);
      add(line, fields, (key) => record[key]);
    }, (line, message, expected) => problem(line, [], message, expected));
  } else {
    const parsed = parseCsv(text);
    if (!parsed.ok) return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, line: parsed.line, path: [], message: parsed.message }] };
    const [header, ...rows] = parsed.rows;
    if (!header) return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, path: [], message: 'the file is empty', expected: `a header row with ${expectedLayouts}` }] };
    const names = header.cells.map((c) => c.trim());
    const fields = columns ?? KNOWN_LAYOUTS.find((l) => [l.a, l.b, l.winner].every((k) => names.includes(k)));
    const missing = fields ? [fields.a, fields.b, fields.winner, ...(clusterColumn === undefined ? [] : [clusterColumn])].filter((k) => !names.includes(k)) : [];
    if (!fields || missing.length) {
      return { ok: false, diagnostics: [{ code: 'ratings/invalid', severity: 'error', file, line: header.line, path: [], message: missing.length ? `no column ${missing.map((m) => `\`${m}\``).join(', ')} in the header (${names.join(', ')})` : `the header (${names.join(', ')}) names no known vote layout`, expected: expectedLayouts }] };
    }
    for (const row of rows) add(row.line, fields, (key) => row.cells[names.indexOf(key)]);
  }
  if (diagnostics.length === 0 && votes.length === 0) problem(undefined, [], 'no votes in the file', 'one vote per row');
  return diagnostics.length ? { ok: false, diagnostics: diagnostics.slice(0, 20) } : { ok: true, value: votes, warnings: [] };
}
