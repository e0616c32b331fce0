import { z } from 'zod';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { formatPath } from '../diagnostics/diagnostic.js';
import type { Report } from './report.js';

// What gates and rank read of a pairwise report, checked against itself: each criterion's wins, ties, losses and
// win rate recomputed from its items' preferences. A hand-edited win rate is refused, never gated.
const Finite = z.number().finite();
const Count = z.number().int().min(0);
const Stat = z.object({ value: Finite.nullable(), ci: z.object({ low: Finite, high: Finite }).nullable() });

const PairwiseSchema = z.object({
  base: z.string().min(1),
  candidate: z.string().min(1),
  criteria: z.array(z.object({
    rubric: z.string(),
    criterion: z.string(),
    pairs: Count,
    unscored: Count,
    wins: Count,
    ties: Count,
    losses: Count,
    win_rate: Stat,
    sign_test: z.object({ p: Finite.min(0).max(1).nullable(), p_holm: Finite.min(0).max(1).nullable() }),
  })),
});
const Preferences = z.array(z.object({ rubric: z.string(), criterion: z.string(), preference: Finite.min(0).max(1).nullable(), winner: z.enum(['base', 'candidate', 'tie']).nullable() }));

/** report.json keeps four decimals. */
const TOLERANCE = 5e-4;

export function checkPairwise(report: Report, file: string): Diagnostic[] {
  if (report.pairwise === undefined) return [];
  const out: Diagnostic[] = [];
  const parsed = PairwiseSchema.safeParse(report.pairwise);
  if (!parsed.success) return parsed.error.issues.slice(0, 20).map((issue) => problem(file, ['pairwise', ...issue.path.map(String)], issue.message));
  const counts = new Map(report.pairwise.criteria.map((c) => [`${c.rubric}/${c.criterion}`, { wins: 0, ties: 0, losses: 0, unscored: 0 }]));
  report.items.forEach((item, i) => {
    const prefs = Preferences.safeParse(item.preferences ?? []);
    if (!prefs.success) {
      out.push(problem(file, ['items', i, 'preferences'], prefs.error.issues[0]?.message ?? 'invalid'));
      return;
    }
    for (const p of prefs.data) {
      const c = counts.get(`${p.rubric}/${p.criterion}`);
      if (!c) {
        out.push(problem(file, ['items', i, 'preferences'], `criterion ${p.rubric}/${p.criterion} has no result in \`pairwise.criteria\``));
        continue;
      }
      if (p.winner === null) c.unscored++;
      else if (p.winner === 'candidate') c.wins++;
      else if (p.winner === 'base') c.losses++;
      else c.ties++;
    }
  });
  report.pairwise.criteria.forEach((c, index) => {
    const found = counts.get(`${c.rubric}/${c.criterion}`)!;
    const name = `${c.rubric}/${c.criterion}`;
    for (const key of ['wins', 'ties', 'losses', 'unscored'] as const) {
      if (c[key] !== found[key]) out.push(problem(file, ['pairwise', 'criteria', index, key], `${name} counts ${c[key]} ${key}, its items hold ${found[key]}`));
    }
    const pairs = found.wins + found.ties + found.losses;
    if (c.pairs !== pairs) out.push(problem(file, ['pairwise', 'criteria', index, 'pairs'], `${name} counts ${c.pairs} pairs, its items hold ${pairs}`));
    const rate = pairs ? (found.wins + found.ties / 2) / pairs : null;
    const agrees = rate === null ? c.win_rate.value === null : c.win_rate.value !== null && Math.abs(c.win_rate.value - rate) <= TOLERANCE;
    if (!agrees) out.push(problem(file, ['pairwise', 'criteria', index, 'win_rate', 'value'], `${name} has win rate ${c.win_rate.value}, its items give ${rate === null ? 'none' : Math.round(rate * 10_000) / 10_000}`));
    const ci = c.win_rate.ci;
    if (ci && !(ci.low <= ci.high && ci.low >= 0 && ci.high <= 1)) out.push(problem(file, ['pairwise', 'criteria', index, 'win_rate', 'ci'], `${name} has an interval ${ci.low}–${ci.high}, not within 0–1 and in order`));
  });
  return out.slice(0, 20);
}

function problem(file: string, path: (string | number)[], message: string): Diagnostic {
  return { code: 'report/invalid', severity: 'error', file, path, message: `${formatPath(path)}: ${message}`, expected: 'a report.json as jury wrote it (recompute it with jury run --resume, or restore it)' };
}
