import { ALPHA_FLOOR } from '../aggregate/criterion-agreement.js';
import type { PairwiseReport, ReportHead } from '../report/report.js';
import { SMALL_SAMPLE, textTable } from './table.js';

// The console summary of a pairwise run: who won each criterion, by how much, and how sure; then each judge's
// dependence on position.

function fixed(value: number | null | undefined, digits = 2): string {
  return value === null || value === undefined ? '–' : value.toFixed(digits);
}

function pValue(p: number | null): string {
  if (p === null) return '–';
  return p < 0.001 ? '<0.001' : p.toFixed(3);
}

/** In words, what a criterion's result says (at `alpha`, after Holm). */
export function pairwiseFinding(c: PairwiseReport['criteria'][number], names: { base: string; candidate: string }, alpha = 0.05): string {
  if (c.pairs === 0) return 'no pair judged';
  if (c.sign_test.p_holm !== null && c.sign_test.p_holm < alpha) return c.wins > c.losses ? `${names.candidate} better` : `${names.base} better`;
  return 'no clear difference';
}

export function renderPairwise(report: ReportHead): string {
  const pw = report.pairwise!;
  const names = { base: pw.base, candidate: pw.candidate };
  const header = ['criterion', 'pairs', `${pw.candidate} wins`, 'ties', 'losses', 'win rate', '95% CI', 'p (Holm)', 'alpha', 'finding'];
  const rows = pw.criteria.map((c) => [
    `${c.rubric}/${c.criterion}`,
    String(c.pairs),
    String(c.wins),
    String(c.ties),
    String(c.losses),
    fixed(c.win_rate.value),
    c.win_rate.ci ? `${fixed(c.win_rate.ci.low)}–${fixed(c.win_rate.ci.high)}` : '',
    pValue(c.sign_test.p_holm),
    `${fixed(c.agreement.alpha.value, 3)}${c.agreement.reliable === false ? ' !' : ''}`,
    pairwiseFinding(c, names),
  ]);
  const out = [
    `${pw.candidate} (candidate) against ${pw.base} (base), ${pw.orders === 'both' ? 'each pair judged in both orders' : pw.orders === 'imported' ? 'verdicts imported already combined (the order shown is not known)' : `each pair judged in one order (seed ${pw.seed})`}; ties count half in the win rate.`,
    textTable(header, rows, new Set([1, 2, 3, 4, 5, 7, 8])),
  ];
  const position = pw.position.map((p) => [
    p.judge,
    p.consistency.value === null ? '–' : `${fixed(p.consistency.value)} (${p.consistency.ci ? `${fixed(p.consistency.ci.low)}–${fixed(p.consistency.ci.high)}` : 'no CI'})`,
    String(p.consistency.pairs),
    p.first_preference.value === null ? '–' : `${fixed(p.first_preference.value)} (${p.first_preference.ci ? `${fixed(p.first_preference.ci.low)}–${fixed(p.first_preference.ci.high)}` : 'no CI'})`,
    String(p.first_preference.decisive),
  ]);
  out.push('', 'Position: how often each judge gave the same verdict in both orders, and how often it picked the conversation shown first (0.50 when position does not matter).');
  out.push(textTable(['judge', 'consistency (95% CI)', 'swapped pairs', 'first shown picked (95% CI)', 'decisive'], position, new Set([2, 4])));
  const leaning = pw.position.filter((p) => p.first_preference.ci && (p.first_preference.ci.low > 0.5 || p.first_preference.ci.high < 0.5));
  if (leaning.length) out.push(`! ${leaning.map((p) => p.judge).join(', ')} ${leaning.length === 1 ? 'prefers' : 'prefer'} one position beyond chance: ${pw.orders === 'both' ? 'the position swap cancels it in the combined verdicts' : 'judge both orders (pairwise.orders: both) to cancel it'}.`);
  if (pw.criteria.some((c) => c.agreement.reliable === false)) out.push(`! alpha below ${ALPHA_FLOOR}: the judges do not agree well enough on these pairwise verdicts for firm conclusions.`);
  const few = pw.criteria.filter((c) => c.pairs > 0 && c.pairs < SMALL_SAMPLE);
  if (few.length) out.push(`! fewer than ${SMALL_SAMPLE} pairs on ${few.map((c) => `${c.criterion} (${c.pairs})`).join(', ')}: their intervals are rough.`);
  if (report.simulated && report.notice) out.unshift(`! ${report.notice}`);
  return out.join('\n');
}
