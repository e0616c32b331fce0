import type { Calibration, Stat } from '../calibrate/calibrate.js';
import type { VersionComparison } from '../calibrate/compare.js';
import { textTable } from './table.js';

const v = (s: Stat | undefined, digits = 2) => (!s || s.value === null ? '–' : `${s.value.toFixed(digits)}${s.ci ? ` [${s.ci.low.toFixed(digits)}, ${s.ci.high.toFixed(digits)}]` : ''}`);

const pairs = (n: number) => (Number.isInteger(n) ? String(n) : n.toFixed(1));

/**
 * Agreement per vote: each judge against each person's vote, and people against each other per pair of votes
 * (the like-for-like ceiling); with ties removed beside it where the scale names a tie label.
 */
function perVoteRows(c: Calibration['criteria'][number]): { caption: string; header: string[]; rows: string[][] } | null {
  const judges = c.raters.filter((r) => r.per_vote);
  if (judges.length === 0 && !c.human_pairs) return null;
  const ties = judges.some((r) => r.per_vote!.without_ties) || c.human_pairs?.without_ties !== undefined;
  const header = ['per vote', 'pairs', 'agreement', ...(ties ? ['pairs w/o ties', 'w/o ties'] : []), 'vs the majority', ...(ties ? ['w/o ties'] : [])];
  const rows = judges.map((r) => {
    const p = r.per_vote!;
    return [r.rater, pairs(p.with_ties.pairs), v(p.with_ties), ...(ties ? [p.without_ties ? pairs(p.without_ties.pairs) : '–', v(p.without_ties)] : []), v(r.exact), ...(ties ? [v(r.exact_without_ties)] : [])];
  });
  const h = c.human_pairs;
  if (h) rows.push(['people (pairs)', pairs(h.with_ties.pairs), v(h.with_ties), ...(ties ? [h.without_ties ? pairs(h.without_ties.pairs) : '–', v(h.without_ties)] : []), '–', ...(ties ? ['–'] : [])]);
  const caption = `Agreement per vote: each judge against each person's vote; people against each other's votes${h ? ` (${h.persons} people; the average person agrees with the others in ${h.average_person === null ? '–' : h.average_person.toFixed(2)})` : ''}`;
  return { caption, header, rows };
}

/** `jury calibrate` output: per criterion one row per judge and the panel, then the recommendation. */
export function renderCalibration(calibration: Calibration, format: 'table' | 'md' | 'json', comparison?: { a: string; b: string; rows: VersionComparison[] }, warnings: readonly string[] = []): string {
  if (format === 'json') return `${JSON.stringify({ warnings, ...calibration, ...(comparison ? { comparison } : {}) }, null, 2)}\n`;
  const header = ['rater', 'units', 'alpha', 'kappa', 'spearman', 'exact', 'within 1', 'bias'];
  const d = calibration.dropped;
  const droppedCount = d.off_scale + d.unknown_criterion + d.no_unit;
  const dropped = droppedCount ? [`${droppedCount} label${droppedCount === 1 ? ' was' : 's were'} not used: ${d.off_scale} off the scale, ${d.unknown_criterion} for a criterion the report lacks, ${d.no_unit} matching no unit (e.g. ${d.examples.join('; ')})`] : [];
  const out: string[] = [...warnings, ...dropped].flatMap((w) => (format === 'md' ? [`> **Warning:** ${w}`, ''] : [`WARNING: ${w}`]));
  for (const c of calibration.criteria) {
    const title = `${c.rubric}/${c.criterion} (${c.level}; ${c.labelled_units} labelled units, ${c.annotators} annotators; human-human alpha ${v(c.human_alpha ?? undefined)})`;
    const rows = c.raters.map((r) => [r.rater, String(r.units), v(r.alpha), v(r.kappa), v(r.spearman), v(r.exact), v(r.within_one), v(r.bias)]);
    const weights = c.recommendation.weights;
    const k = c.consensus;
    const reference = k ? [`human reference: ${k.method === 'default' ? 'median / most frequent' : k.method}${k.model ? ` (${k.model.converged ? 'converged' : 'DID NOT CONVERGE'} in ${k.model.iterations} iterations)` : ''}; ${k.ties} tied unit${k.ties === 1 ? '' : 's'} left out; ${k.adjudicated} adjudicated`] : [];
    const advice = [
      ...reference,
      ...(weights ? [`weights: ${Object.entries(weights).map(([j, w]) => `${j} ${w.toFixed(2)}`).join(', ')}`] : []),
      ...c.recommendation.drop.map((d) => `drop ${d.judge}: ${d.why}`),
      ...c.recommendation.notes,
    ];
    const votes = perVoteRows(c);
    if (format === 'md') {
      out.push(`#### ${title}`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), '');
      if (votes) out.push(votes.caption, '', `| ${votes.header.join(' | ')} |`, `|${votes.header.map(() => '---').join('|')}|`, ...votes.rows.map((r) => `| ${r.join(' | ')} |`), '');
      out.push(...advice.map((a) => `- ${a}`), '');
    } else {
      out.push(title, textTable(header, rows, new Set([1])));
      if (votes) out.push(votes.caption, textTable(votes.header, votes.rows, new Set([1])));
      out.push(...advice.map((a) => `  → ${a}`), '');
    }
  }
  if (calibration.criteria.length === 0) out.push('no criterion of this report has human labels');
  else out.push(`Intervals: 95% BCa bootstrap over labelled units (conversations on per-turn criteria), ${calibration.resamples} resamples, seed ${calibration.seed}.`);
  if (comparison) {
    out.push(`Which report's panel is closer to people (mean |panel − consensus|; Wilcoxon signed-rank, Holm): a = ${comparison.a}, b = ${comparison.b}`);
    out.push(textTable(['criterion', 'units', 'error a', 'error b', 'p (Holm)', 'closer'], comparison.rows.map((r) => [`${r.rubric}/${r.criterion}`, String(r.units), r.error_a?.toFixed(3) ?? '–', r.error_b?.toFixed(3) ?? '–', r.p_holm?.toFixed(3) ?? '–', r.better === 'neither' ? 'no significant difference' : r.better === 'a' ? comparison.a : comparison.b]), new Set([1, 2, 3, 4])), '');
  }
  return `${out.join('\n')}\n`;
}
