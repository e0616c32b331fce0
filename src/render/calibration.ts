import type { Calibration, Stat } from '../calibrate/calibrate.js';
import type { VersionComparison } from '../calibrate/compare.js';
import { textTable } from './table.js';

const v = (s: Stat | undefined, digits = 2) => (!s || s.value === null ? '–' : `${s.value.toFixed(digits)}${s.ci ? ` [${s.ci.low.toFixed(digits)}, ${s.ci.high.toFixed(digits)}]` : ''}`);

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
    if (format === 'md') {
      out.push(`#### ${title}`, '', `| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`), '', ...advice.map((a) => `- ${a}`), '');
    } else {
      out.push(title, textTable(header, rows, new Set([1])), ...advice.map((a) => `  → ${a}`), '');
    }
  }
  if (calibration.criteria.length === 0) out.push('no criterion of this report has human labels');
  if (comparison) {
    out.push(`Which report's panel is closer to people (mean |panel − consensus|; Wilcoxon signed-rank, Holm): a = ${comparison.a}, b = ${comparison.b}`);
    out.push(textTable(['criterion', 'units', 'error a', 'error b', 'p (Holm)', 'closer'], comparison.rows.map((r) => [`${r.rubric}/${r.criterion}`, String(r.units), r.error_a?.toFixed(3) ?? '–', r.error_b?.toFixed(3) ?? '–', r.p_holm?.toFixed(3) ?? '–', r.better === 'neither' ? 'no significant difference' : r.better === 'a' ? comparison.a : comparison.b]), new Set([1, 2, 3, 4])), '');
  }
  return `${out.join('\n')}\n`;
}
