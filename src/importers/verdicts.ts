import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { JournalRecord } from '../journal/journal.js';
import { unitKey, type Unit } from '../plan/plan.js';
import { addVerdict, importState, lineCriterion } from './imported-verdict.js';
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
  const state = importState();
  const bad = (line: number, path: string[], message: string, expected?: string) => diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path, message, ...(expected ? { expected } : {}) });
  forEachJsonLine(text, (row, line) => {
    const named = lineCriterion(row, rubrics);
    if ('message' in named) return bad(line, named.path, named.message, named.expected);
    const { rubric, criterion } = named;
    if (!isOnScale(criterion.scale, row.score)) return bad(line, ['score'], `score ${JSON.stringify(row.score)} is not ${describeScale(criterion.scale)}`);
    const turn = row.turn === undefined ? undefined : Number(row.turn);
    const sample = row.sample === undefined ? 0 : Number(row.sample);
    const key = unitKey(String(row.item), rubric.id, criterion.id, turn);
    const twice = addVerdict(state, { key, item: String(row.item), rubric: rubric.id, criterion: criterion.id, ...(turn === undefined ? {} : { turn }) }, row, sample, row.score as number | string);
    if (twice) return bad(line, [], twice, 'one verdict per judge, unit and sample');
  }, (line, message) => bad(line, [], message, '{"item", "criterion", "judge", "score"}'));
  if (diagnostics.length) return { diagnostics };
  const order = (u: Unit) => `${u.item}\u0000${u.rubric}\u0000${u.criterion}\u0000${String(u.turn ?? 0).padStart(6, '0')}`;
  return { units: [...state.units.values()].sort((a, b) => compareIds(order(a), order(b))), records: state.records, judges: [...state.judges.values()] };
}
