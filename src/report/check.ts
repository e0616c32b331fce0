import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatPath } from '../diagnostics/diagnostic.js';
import { Scale, type Scale as ScaleType } from '../rubric/rubric.js';
import type { Report } from './report.js';
import { checkPairwise } from './check-pairwise.js';

// What `gate`, `diff` and `calibrate` read of a report.json, as a schema: a hand-edited or corrupted report
// (a mean of 1e400 — Infinity once parsed —, "NaN", "four") must be refused, never gated. Loose objects: fields
// these commands do not read are not checked here.
const Finite = z.number().finite();
const Count = z.number().int().min(0);
const ScoreValue = z.union([Finite, z.string()]);
const Interval = z.object({ low: Finite, high: Finite, level: Finite }).nullable();

const Verdict = z.discriminatedUnion('status', [
  z.object({ judge: z.string(), sample: Count, status: z.literal('scored'), score: ScoreValue, reasoning: z.string(), cited_turns: z.array(Count), sampled_score: ScoreValue.optional(), logprob_mass: Finite.min(0).max(1).optional(), score_note: z.string().optional() }),
  z.object({ judge: z.string(), sample: Count, status: z.literal('failed'), cause: z.string().optional() }),
]);
const Panel = z.discriminatedUnion('status', [
  z.object({ status: z.literal('scored'), score: ScoreValue, spread: Finite, judges: Count }),
  z.object({ status: z.literal('unscored'), reason: z.string(), judges: Count }),
]);
const Unit = z.object({ rubric: z.string(), criterion: z.string(), turn: Count.optional(), panel: Panel, verdicts: z.array(Verdict) });
const Summary = z.object({
  rubric: z.string(),
  criterion: z.string(),
  scale: Scale,
  units: Count,
  scored: Count,
  unscored: Count,
  mean: Finite.nullable(),
  mean_ci: Interval,
  agreement: z.object({ alpha: z.object({ value: Finite.nullable() }) }),
  judge_means: z.record(z.string(), Finite.nullable()),
  failed_verdicts: Count,
});
export const ReportSchema = z.object({
  simulated: z.boolean(),
  incomplete: z.object({ missing_verdicts: Count, resume: z.string() }).optional(),
  judge_errors: z.record(z.string(), z.object({ verdicts: Count, failed: Count, error_rate: Finite })),
  run: z.object({
    label: z.string(),
    config_hash: z.string(),
    rubrics: z.array(z.object({ id: z.string(), version: z.string() })),
    judges: z.array(z.object({ id: z.string(), provider: z.string(), model: z.string(), samples: Count.min(1), simulated: z.boolean(), score_mode: z.literal('logprob').optional() })),
  }),
  criteria: z.array(Summary),
  items: z.array(z.object({ id: z.string(), metadata: z.record(z.string(), z.unknown()).optional(), results: z.array(Unit) })),
});

/** Rounding of report.json (4 places) on both a mean and the scores it is made of, with room to spare. */
const MEAN_TOLERANCE = 5e-4;

/**
 * Checks a parsed report against its schema, then against itself: every score on its criterion's scale, and each
 * criterion's counts and mean recomputed from its items. Returns the problems, each naming the field. Pure.
 */
export function checkReport(value: unknown, file: string): Diagnostic[] {
  const parsed = ReportSchema.safeParse(value);
  if (!parsed.success) {
    return parsed.error.issues.slice(0, 20).map((issue) => {
      const path = issue.path.map((p) => (typeof p === 'symbol' ? String(p) : p));
      return problem(file, path, `${formatPath(path) || 'report'}: ${issue.message}${describeValue(value, path)}`);
    });
  }
  const report = value as Report;
  const out: Diagnostic[] = [];
  const summaries = new Map(report.criteria.map((c, i) => [`${c.rubric}/${c.criterion}`, { summary: c, index: i, units: 0, scored: [] as number[] }]));
  const seen = new Set<string>();
  report.items.forEach((item, i) => {
    if (seen.has(item.id)) out.push(problem(file, ['items', i, 'id'], `item id ${JSON.stringify(item.id)} appears twice`));
    seen.add(item.id);
    item.results.forEach((unit, j) => {
      const at = ['items', i, 'results', j];
      const entry = summaries.get(`${unit.rubric}/${unit.criterion}`);
      if (!entry) {
        out.push(problem(file, [...at, 'criterion'], `criterion ${unit.rubric}/${unit.criterion} has no summary in \`criteria\``));
        return;
      }
      const scale = entry.summary.scale;
      entry.units++;
      if (unit.panel.status === 'scored') {
        if (!onScale(unit.panel.score, scale, true)) out.push(problem(file, [...at, 'panel', 'score'], `panel score ${JSON.stringify(unit.panel.score)} is not on the scale of ${unit.rubric}/${unit.criterion} (${describeScale(scale)})`));
        else if (typeof unit.panel.score === 'number') entry.scored.push(unit.panel.score);
      }
      unit.verdicts.forEach((v, k) => {
        // A logprob-weighted verdict's score is a mean over the points (within the range); the score written is a point.
        const weighted = v.status === 'scored' && v.sampled_score !== undefined;
        if (weighted && !onScale(v.sampled_score!, scale, false)) out.push(problem(file, [...at, 'verdicts', k, 'sampled_score'], `sampled score ${JSON.stringify(v.sampled_score)} of judge ${v.judge} is not on the scale of ${unit.rubric}/${unit.criterion} (${describeScale(scale)})`));
        if (v.status === 'scored' && !onScale(v.score, scale, weighted)) out.push(problem(file, [...at, 'verdicts', k, 'score'], `score ${JSON.stringify(v.score)} of judge ${v.judge} is not on the scale of ${unit.rubric}/${unit.criterion} (${describeScale(scale)})`));
      });
    });
  });
  if (out.length) return out.slice(0, 20);
  for (const { summary, index, units, scored } of summaries.values()) {
    const at = ['criteria', index];
    const name = `${summary.rubric}/${summary.criterion}`;
    if (summary.units !== units) out.push(problem(file, [...at, 'units'], `${name} counts ${summary.units} units, its items hold ${units}`));
    if (summary.scale.type === 'categorical') continue;
    if (summary.scored !== scored.length) out.push(problem(file, [...at, 'scored'], `${name} counts ${summary.scored} scored units, its items hold ${scored.length}`));
    const mean = scored.length ? scored.reduce((a, b) => a + b, 0) / scored.length : null;
    const agrees = mean === null ? summary.mean === null : summary.mean !== null && Math.abs(summary.mean - mean) <= MEAN_TOLERANCE;
    if (!agrees) out.push(problem(file, [...at, 'mean'], `${name} has mean ${summary.mean} but its items' panel scores average ${mean === null ? 'nothing (none scored)' : round(mean)}`));
  }
  out.push(...checkPairwise(report, file));
  return out;
}

/** A panel score may be a mean of judges (fractional, within the range); a verdict is a point of the scale. */
function onScale(score: number | string, scale: ScaleType, panel: boolean): boolean {
  if (scale.type === 'categorical') return typeof score === 'string' && scale.labels.includes(score);
  if (typeof score !== 'number') return false;
  const [min, max] = scale.type === 'binary' ? [0, 1] : [scale.min, scale.max];
  return score >= min && score <= max && (panel || Number.isInteger(score));
}

function describeScale(scale: ScaleType): string {
  if (scale.type === 'categorical') return `one of ${scale.labels.join(', ')}`;
  return scale.type === 'binary' ? '0 or 1' : `${scale.min} to ${scale.max}`;
}

function describeValue(root: unknown, path: (string | number)[]): string {
  let current = root;
  for (const segment of path) current = (current as Record<string | number, unknown> | null | undefined)?.[segment];
  if (current === undefined) return '';
  if (typeof current === 'number' && !Number.isFinite(current)) return ` (found ${current}: a number too large for JSON's doubles)`;
  const text = JSON.stringify(current);
  return text === undefined ? '' : ` (found ${text.length > 60 ? `${text.slice(0, 57)}...` : text})`;
}

function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

function problem(file: string, path: (string | number)[], message: string): Diagnostic {
  return { code: 'report/invalid', severity: 'error', file, path, message, expected: 'a report.json as jury wrote it (recompute it with jury run --resume, or restore it)' };
}
