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

export type LineProblem = { path: string[]; message: string; expected: string };

/**
 * What every imported line must name: an item, a judge, and the criterion (`rubric/criterion` or an id found in
 * one rubric). The criterion, or the problem with the line.
 */
export function lineCriterion<R extends Rubric>(row: Record<string, unknown>, rubrics: readonly R[]): { rubric: R; criterion: Criterion } | LineProblem {
  const missing = ['item', 'criterion', 'judge'].find((key) => typeof row[key] !== 'string' || row[key] === '');
  if (missing) return { path: [missing], message: `\`${missing}\` is missing`, expected: 'a string' };
  const name = String(row.criterion);
  const matches = rubrics.flatMap((r) => r.criteria.filter((c) => name === `${r.id}/${c.id}` || name === c.id).map((c) => ({ rubric: r, criterion: c })));
  if (matches.length === 1) return matches[0]!;
  return { path: ['criterion'], message: matches.length ? `criterion \`${name}\` is ambiguous` : `no rubric has criterion \`${name}\``, expected: 'rubric/criterion of a rubric in the config' };
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
