import type { JournalRecord } from '../journal/journal.js';
import { callKey, type Unit } from '../plan/plan.js';
import type { ReportJudge } from '../report/build.js';
import type { Criterion, Rubric, Score } from '../rubric/rubric.js';

// What importing a verdict made elsewhere takes, pointwise or pairwise: the criterion it names, and a journal record
// (with its unit and its judge) as if a run had obtained it.

export interface ImportState {
  units: Map<string, Unit>;
  records: Map<string, JournalRecord>;
  judges: Map<string, ReportJudge>;
}

export function importState(): ImportState {
  return { units: new Map(), records: new Map(), judges: new Map() };
}

/** The keys every imported line needs, or the first one missing. */
export function missingKey(row: Record<string, unknown>): string | undefined {
  return ['item', 'criterion', 'judge'].find((key) => typeof row[key] !== 'string' || row[key] === '');
}

/** The criterion a line names (`rubric/criterion` or an id found in one rubric), or why none. */
export function namedCriterion<R extends Rubric>(rubrics: readonly R[], name: string): { rubric: R; criterion: Criterion } | string {
  const matches = rubrics.flatMap((r) => r.criteria.filter((c) => name === `${r.id}/${c.id}` || name === c.id).map((c) => ({ rubric: r, criterion: c })));
  if (matches.length === 1) return matches[0]!;
  return matches.length ? `criterion \`${name}\` is ambiguous` : `no rubric has criterion \`${name}\``;
}

/** Adds one imported verdict; returns why not when the judge already gave one on this unit and sample. */
export function addVerdict(state: ImportState, unit: Unit, row: Record<string, unknown>, sample: number, score: Score): string | undefined {
  if (!state.units.has(unit.key)) state.units.set(unit.key, unit);
  const judge = String(row.judge);
  const previous = state.judges.get(judge);
  state.judges.set(judge, { id: judge, provider: 'external', model: String(row.model ?? judge), samples: Math.max(previous?.samples ?? 1, sample + 1), simulated: false });
  const call = callKey(unit.key, judge, sample);
  if (state.records.has(call)) return `a second verdict of ${judge} on ${unit.key} (sample ${sample})`;
  const { key: _key, ...where } = unit;
  state.records.set(call, {
    key: call, judge, ...where, sample,
    verdict: { status: 'scored', score, reasoning: typeof row.reasoning === 'string' && row.reasoning ? row.reasoning : '(imported without reasoning)', citedTurns: [] },
    attempts: 0, usage: { inputTokens: 0, outputTokens: 0, cachedInputTokens: 0 }, latency_ms: 0, source: 'provider',
  });
  return undefined;
}
