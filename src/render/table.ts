import { ALPHA_FLOOR } from '../aggregate/criterion-agreement.js';
import type { ReportHead } from '../report/report.js';
import { renderPairwise } from './pairwise.js';

/** A plain text table, columns padded to their widest cell; numeric columns right-aligned. */
export function textTable(header: string[], rows: string[][], rightAligned: ReadonlySet<number> = new Set()): string {
  // A loop, not Math.max(...rows): tens of thousands of rows (pairs of 300 raters) overflow the call stack.
  const widths = header.map((h) => h.length);
  for (const row of rows) for (let i = 0; i < widths.length; i++) widths[i] = Math.max(widths[i]!, (row[i] ?? '').length);
  const line = (cells: string[]) =>
    cells.map((cell, i) => (rightAligned.has(i) ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!))).join('  ').trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function fixed(value: number | null, digits = 2): string {
  return value === null ? '–' : value.toFixed(digits);
}

/** The short summary printed at the end of a run: one row per criterion, each judge's mean beside the panel's. */
export function renderSummary(report: ReportHead, options: { width?: number } = {}): string {
  if (report.pairwise) return renderPairwise(report);
  const judges = report.run.judges.map((j) => j.id);
  const header = ['criterion', 'scale', 'panel mean', '95% CI', 'alpha', 'scored', 'unscored', 'failed', ...judges];
  const rows = report.criteria.map((c) => [
    `${c.rubric}/${c.criterion}`,
    c.scale.type === 'likert' ? `${c.scale.min}-${c.scale.max}` : c.scale.type,
    c.mean === null ? (c.panel_distribution ? topLabel(c.panel_distribution) : '–') : fixed(c.mean),
    c.mean_ci ? `${fixed(c.mean_ci.low)}–${fixed(c.mean_ci.high)}` : '',
    `${fixed(c.agreement.alpha.value, 3)}${c.agreement.reliable === false ? ' !' : ''}`,
    String(c.scored),
    String(c.unscored),
    String(c.failed_verdicts),
    ...judges.map((j) => fixed(c.judge_means[j] ?? null)),
  ]);
  const numeric = new Set([2, 4, 5, 6, 7, ...judges.map((_, i) => 8 + i)]);
  let table = textTable(header, rows, numeric);
  const width = options.width ?? Infinity;
  const widest = (text: string) => text.split('\n').reduce((w, line) => Math.max(w, line.length), 0);
  const folded: string[] = [];
  // Too wide for the terminal: the judges' own means go first, then the counts, and the table says so.
  if (widest(table) > width && judges.length) {
    table = textTable(header.slice(0, 8), rows.map((r) => r.slice(0, 8)), numeric);
    folded.push("each judge's mean");
  }
  if (widest(table) > width) {
    table = textTable(header.slice(0, 5), rows.map((r) => r.slice(0, 5)), numeric);
    folded.push('the scored, unscored and failed counts');
  }
  const out = [table];
  if (folded.length) out.push(`(left out to fit ${width} columns: ${folded.join(' and ')}; --wide shows every column)`);
  if (report.criteria.some((c) => c.agreement.reliable === false)) {
    out.push(`! alpha below ${ALPHA_FLOOR}: the panel does not agree well enough on these criteria for firm conclusions.`);
  }
  for (const c of report.criteria) {
    const p = c.partial_panels;
    if (p) out.push(`! ${c.rubric}/${c.criterion}: ${p.units} unit${p.units === 1 ? '' : 's'} scored by fewer judges than the panel (e.g. ${p.items.slice(0, 3).join(', ')}); over the ${p.complete_units} units every judge scored the mean is ${p.complete_mean === null ? '–' : p.complete_mean.toFixed(2)}, against ${c.mean === null ? '–' : c.mean.toFixed(2)} over all.`);
  }
  const few = report.criteria.filter((c) => c.scored > 0 && c.scored < SMALL_SAMPLE);
  if (few.length) out.push(`! fewer than ${SMALL_SAMPLE} scored units on ${few.map((c) => `${c.criterion} (${c.scored})`).join(', ')}: their intervals are rough, whatever the method.`);
  const retest = report.criteria.flatMap((c) => Object.entries(c.test_retest ?? {}).map(([judge, t]) => `${c.criterion} ${judge} ${t.alpha === null ? '–' : t.alpha.toFixed(2)}`));
  if (retest.length) out.push(`Test–retest (each judge's alpha with itself across samples): ${retest.join('; ')}.`);
  if (report.simulated && report.notice) out.unshift(`! ${report.notice}`);
  return out.map((block) => (block === table ? block : wrap(block, width))).join('\n');
}

function topLabel(distribution: Record<string, number>): string {
  const [label] = Object.entries(distribution).sort((a, b) => b[1] - a[1])[0] ?? ['–'];
  return `mostly ${label}`;
}

/** Below this many scored units an interval is said to be rough (BCa's coverage is itself uncertain there). */
export const SMALL_SAMPLE = 20;

/** Prose cut into lines of at most `width` characters at spaces (a table is folded by columns instead). */
function wrap(text: string, width: number): string {
  if (!Number.isFinite(width) || text.length <= width) return text;
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width) {
      lines.push(line);
      line = `  ${word}`;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return lines.join('\n');
}
