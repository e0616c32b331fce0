import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { JournalRecord } from '../journal/journal.js';
import { callKey, unitKey, type Unit } from '../plan/plan.js';
import type { ReportJudge } from '../report/build.js';
import { describeScale, isOnScale, type Rubric } from '../rubric/rubric.js';
import { compareIds } from '../format/compare-ids.js';
import { forEachJsonLine } from '../ratings/jsonl.js';

/**
 * Judgments made elsewhere (another tool, an older pipeline, a published dataset) as jury verdicts, so they
 * are aggregated, reported and calibrated like a jury run. JSONL, one verdict a line:
 * {"item", "criterion" ("rubric/criterion" or a criterion id), "judge", "score", "reasoning"?, "turn"?, "sample"?, "model"?}
 */
export function importVerdicts(file: string, text: string, rubrics: readonly Rubric[]): { units: Unit[]; records: Map<string, JournalRecord>; judges: ReportJudge[] } | { diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const units = new Map<string, Unit>();
  const records = new Map<string, JournalRecord>();
  const judges = new Map<string, ReportJudge>();
  const bad = (line: number, path: string[], message: string, expected?: string) => diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path, message, ...(expected ? { expected } : {}) });
  forEachJsonLine(text, (row, line) => {
    for (const key of ['item', 'criterion', 'judge']) if (typeof row[key] !== 'string' || row[key] === '') return bad(line, [key], `\`${key}\` is missing`, 'a string');
    const name = String(row.criterion);
    const matches = rubrics.flatMap((r) => r.criteria.filter((c) => name === `${r.id}/${c.id}` || name === c.id).map((c) => ({ rubric: r, criterion: c })));
    if (matches.length !== 1) return bad(line, ['criterion'], matches.length ? `criterion \`${name}\` is ambiguous` : `no rubric has criterion \`${name}\``, 'rubric/criterion of a rubric in the config');
    const { rubric, criterion } = matches[0]!;
    if (!isOnScale(criterion.scale, row.score)) return bad(line, ['score'], `score ${JSON.stringify(row.score)} is not ${describeScale(criterion.scale)}`);
    const turn = row.turn === undefined ? undefined : Number(row.turn);
    const sample = row.sample === undefined ? 0 : Number(row.sample);
    const key = unitKey(String(row.item), rubric.id, criterion.id, turn);
    if (!units.has(key)) units.set(key, { key, item: String(row.item), rubric: rubric.id, criterion: criterion.id, ...(turn === undefined ? {} : { turn }) });
    const judge = String(row.judge);
    const previous = judges.get(judge);
    judges.set(judge, { id: judge, provider: 'external', model: String(row.model ?? judge), samples: Math.max(previous?.samples ?? 1, sample + 1), simulated: false });
    const call = callKey(key, judge, sample);
    if (records.has(call)) return bad(line, [], `a second verdict of ${judge} on ${key} (sample ${sample})`, 'one verdict per judge, unit and sample');
    records.set(call, {
      key: call, judge, item: String(row.item), ...(turn === undefined ? {} : { turn }), rubric: rubric.id, criterion: criterion.id, sample,
      verdict: { status: 'scored', score: row.score as number | string, reasoning: typeof row.reasoning === 'string' && row.reasoning ? row.reasoning : '(imported without reasoning)', citedTurns: [] },
      attempts: 0, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latency_ms: 0, source: 'provider',
    });
  }, (line, message) => bad(line, [], message, '{"item", "criterion", "judge", "score"}'));
  if (diagnostics.length) return { diagnostics };
  const order = (u: Unit) => `${u.item}\u0000${u.rubric}\u0000${u.criterion}\u0000${String(u.turn ?? 0).padStart(6, '0')}`;
  return { units: [...units.values()].sort((a, b) => compareIds(order(a), order(b))), records, judges: [...judges.values()] };
}
