import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { compareIds } from '../format/compare-ids.js';
import type { JournalRecord } from '../journal/journal.js';
import { callKey, unitKey, type PairOrder, type Unit } from '../plan/plan.js';
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
  const units = new Map<string, Unit>();
  const records = new Map<string, JournalRecord>();
  const judges = new Map<string, ReportJudge>();
  let form: 'shown' | 'combined' | undefined;
  const bad = (line: number, path: string[], message: string, expected?: string) => diagnostics.push({ code: 'ratings/invalid', severity: 'error', file, line, path, message, ...(expected ? { expected } : {}) });
  const sideOf = (value: unknown): 'base' | 'candidate' | 'tie' | undefined => {
    const v = typeof value === 'string' ? value.trim() : '';
    if (v === 'base' || v === names.base) return 'base';
    if (v === 'candidate' || v === names.candidate) return 'candidate';
    return /^tie\b/i.test(v) ? 'tie' : undefined;
  };
  forEachJsonLine(text, (row, line) => {
    for (const key of ['item', 'criterion', 'judge']) if (typeof row[key] !== 'string' || row[key] === '') return bad(line, [key], `\`${key}\` is missing`, 'a string');
    const name = String(row.criterion);
    const matches = rubrics.flatMap((r) => r.criteria.filter((c) => name === `${r.id}/${c.id}` || name === c.id).map((c) => ({ rubric: r, criterion: c })));
    if (matches.length !== 1) return bad(line, ['criterion'], matches.length ? `criterion \`${name}\` is ambiguous` : `no rubric has criterion \`${name}\``, 'rubric/criterion of a rubric in the config');
    const { rubric, criterion } = matches[0]!;
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
    if (!units.has(key)) units.set(key, { key, item: String(row.item), rubric: rubric.id, criterion: criterion.id, order });
    const judge = String(row.judge);
    const previous = judges.get(judge);
    judges.set(judge, { id: judge, provider: 'external', model: String(row.model ?? judge), samples: Math.max(previous?.samples ?? 1, sample + 1), simulated: false });
    const call = callKey(key, judge, sample);
    if (records.has(call)) return bad(line, [], `a second verdict of ${judge} on ${key} (sample ${sample})`, 'one verdict per judge, pair, order and sample');
    records.set(call, {
      key: call, judge, item: String(row.item), order, rubric: rubric.id, criterion: criterion.id, sample,
      verdict: { status: 'scored', score, reasoning: typeof row.reasoning === 'string' && row.reasoning ? row.reasoning : '(imported without reasoning)', citedTurns: [] },
      attempts: 0, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latency_ms: 0, source: 'provider',
    });
  }, (line, message) => bad(line, [], message, '{"item", "criterion", "judge", "order", "score"} or {"item", "criterion", "judge", "winner"}'));
  if (diagnostics.length) return { diagnostics };
  const rank = (u: Unit) => `${u.item}\u0000${u.rubric}\u0000${u.criterion}\u0000${u.order}`;
  return { units: [...units.values()].sort((a, b) => compareIds(rank(a), rank(b))), records, judges: [...judges.values()], combined: form === 'combined' };
}
