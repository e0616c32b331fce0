import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareIds } from '../format/compare-ids.js';
import type { JournalRecord } from '../journal/journal.js';
import { unitKey, type PairOrder, type Unit } from '../plan/plan.js';
import { addVerdict, importState, lineCriterion } from './imported-verdict.js';
import { forEachJsonLine } from '../ratings/jsonl.js';
import type { ReportJudge } from '../report/build.js';
import type { PairwiseRubric } from '../rubric/pairwise.js';
import { describeScale, isOnScale } from '../rubric/rubric.js';

/**
 * Pairwise judgments made elsewhere (a published judge's verdicts, another tool's) as a jury pairwise run. JSONL,
 * one verdict a line, in one of two forms for the whole file:
 * - as shown: {"item", "criterion", "judge", "order": "ab" | "ba", "score": "A" | "B" | "tie" (or five levels)};
 * - already combined: {"item", "criterion", "judge", "winner": "base" | "candidate" | "tie" or a side's name}, as
 *   MT-Bench publishes GPT-4's verdicts after its own position swap. The order shown is then unknown, so the report
 *   measures no position bias.
 * Optional: "reasoning", "sample", "model".
 */
export interface ImportedPairwise {
  units: Unit[];
  records: Map<string, JournalRecord>;
  judges: ReportJudge[];
  /** True for verdicts imported already combined. */
  combined: boolean;
}

/** What a combined verdict becomes on the positional scale, shown as base = A. */
const AS_SHOWN: Record<3 | 5, Record<'base' | 'candidate' | 'tie', string>> = {
  3: { base: 'A', candidate: 'B', tie: 'tie' },
  5: { base: 'A>B', candidate: 'B>A', tie: 'A=B' },
};

export function importPairwiseVerdicts(file: string, text: string, rubrics: readonly PairwiseRubric[], names: { base: string; candidate: string }): ImportedPairwise | { diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const state = importState();
  let form: 'shown' | 'combined' | undefined;
  const bad = (line: number, path: string[], message: string, expected?: string) => diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path, message, ...(expected ? { expected } : {}) });
  const sideOf = (value: unknown): 'base' | 'candidate' | 'tie' | undefined => {
    const v = typeof value === 'string' ? value.trim() : '';
    if (v === 'base' || v === names.base) return 'base';
    if (v === 'candidate' || v === names.candidate) return 'candidate';
    return /^tie\b/i.test(v) ? 'tie' : undefined;
  };
  forEachJsonLine(text, (row, line) => {
    const named = lineCriterion(row, rubrics);
    if ('message' in named) return bad(line, named.path, named.message, named.expected);
    const { rubric, criterion } = named;
    const rowForm = 'winner' in row ? 'combined' : 'shown';
    if (form && rowForm !== form) return bad(line, [rowForm === 'combined' ? 'winner' : 'order'], `this line gives ${rowForm === 'combined' ? 'a combined `winner`' : 'an `order` and a `score`'}, earlier lines the other form`, 'one form for the whole file');
    form = rowForm;
    let order: PairOrder = 'ab';
    let score: string;
    if (rowForm === 'combined') {
      const side = sideOf(row.winner);
      if (!side) return bad(line, ['winner'], `winner ${JSON.stringify(row.winner)} names no side`, `base, candidate, ${names.base}, ${names.candidate} or tie`);
      score = AS_SHOWN[rubric.compares.levels][side];
    } else {
      if (row.order !== 'ab' && row.order !== 'ba') return bad(line, ['order'], `order ${JSON.stringify(row.order)} is not ab or ba`, '"ab" (the base shown as A) or "ba"');
      order = row.order;
      if (!isOnScale(criterion.scale, row.score)) return bad(line, ['score'], `score ${JSON.stringify(row.score)} is not ${describeScale(criterion.scale)}`);
      score = String(row.score);
    }
    const sample = row.sample === undefined ? 0 : Number(row.sample);
    if (!Number.isInteger(sample) || sample < 0) return bad(line, ['sample'], `sample ${JSON.stringify(row.sample)} is not a whole number`);
    const key = unitKey(String(row.item), rubric.id, criterion.id, undefined, order);
    const twice = addVerdict(state, { key, item: String(row.item), rubric: rubric.id, criterion: criterion.id, order }, row, sample, score);
    if (twice) return bad(line, [], twice, 'one verdict per judge, pair, order and sample');
  }, (line, message) => bad(line, [], message, '{"item", "criterion", "judge", "order", "score"} or {"item", "criterion", "judge", "winner"}'));
  if (diagnostics.length) return { diagnostics };
  const rank = (u: Unit) => `${u.item}\u0000${u.rubric}\u0000${u.criterion}\u0000${u.order}`;
  return { units: [...state.units.values()].sort((a, b) => compareIds(rank(a), rank(b))), records: state.records, judges: [...state.judges.values()], combined: form === 'combined' };
}
