import type { Statistic } from '../stats/suite.js';
import { SMALL_SAMPLE, textTable } from './table.js';

export type AgreementFormat = 'table' | 'json' | 'md';

function params(s: Statistic): string {
  return Object.entries(s.params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('~') : String(v)}`)
    .join(' ');
}

const num = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const interval = (s: Statistic) => (s.ci ? `[${num(s.ci.low)}, ${num(s.ci.high)}]` : '');

/** Past this many, raters and pairs are summarised in the table and Markdown (JSON keeps every one). */
const MAX_LISTED = 12;

/**
 * One row per statistic; a pairwise statistic with more than MAX_LISTED pairs (300 raters have 44,850) becomes
 * one row: the mean over the pairs, with their range, so the table stays readable.
 */
function readableRows(statistics: readonly Statistic[]): string[][] {
  const byId = new Map<string, Statistic[]>();
  // Grouped by statistic and its parameters other than the pair (Cohen's kappa comes weighted and unweighted).
  const groupOf = (s: Statistic) => `${s.id} ${Object.entries(s.params).filter(([k]) => k !== 'raters').map(([k, v]) => `${k}=${String(v)}`).join(' ')}`.trim();
  for (const s of statistics) {
    const group = byId.get(groupOf(s));
    if (group) group.push(s);
    else byId.set(groupOf(s), [s]);
  }
  const rows: string[][] = [];
  for (const [key, group] of byId) {
    const id = group[0]!.id;
    const shared = key.slice(id.length).trim();
    if (group.length <= MAX_LISTED) {
      for (const s of group) rows.push([s.id, params(s), num(s.value), interval(s), s.reason ?? '']);
      continue;
    }
    const values = group.flatMap((s) => (s.value === null ? [] : [s.value])).sort((a, b) => a - b);
    const mean = values.length ? values.reduce((a, b) => a + b, 0) / values.length : null;
    const range = values.length ? `min ${num(values[0]!)}, median ${num(values[Math.floor((values.length - 1) / 2)]!)}, max ${num(values.at(-1)!)}` : 'undefined for every pair';
    const undefinedPairs = group.length - values.length;
    rows.push([id, `${shared ? `${shared}, ` : ''}mean over ${group.length} pairs`, num(mean), '', `${range}${undefinedPairs ? `; ${undefinedPairs} pairs undefined` : ''}; --format json lists each pair`]);
  }
  return rows;
}


/** `jury agreement` output. JSON is a contract for scripts: {"statistics": [{id, params, value, ci, reason}]}. */
export function renderAgreement(statistics: readonly Statistic[], format: AgreementFormat, header: { items: number; raters: string[]; level: string }): string {
  if (format === 'json') {
    return `${JSON.stringify({ items: header.items, raters: header.raters, level: header.level, statistics }, null, 2)}\n`;
  }
  const rows = readableRows(statistics);
  const withCi = statistics.find((s) => s.ci);
  const notes = [
    ...(withCi?.ci ? [`Intervals: ${withCi.ci.method === 'bca' ? 'BCa (bias-corrected and accelerated)' : 'percentile'} bootstrap over items, ${withCi.ci.resamples} resamples${statistics.some((s) => s.ci?.skipped) ? `, up to ${Math.max(...statistics.map((s) => s.ci?.skipped ?? 0))} skipped where a statistic was undefined` : ''}.`] : []),
    ...(withCi && header.items < SMALL_SAMPLE ? [`Only ${header.items} items: a bootstrap interval on so few is rough, whatever its method.`] : []),
  ];
  const raters = header.raters.length > MAX_LISTED ? `${header.raters.slice(0, 5).join(', ')}, … ${header.raters.at(-1)}` : header.raters.join(', ');
  const title = `${header.items} items, ${header.raters.length} raters (${raters}), ${header.level} level`;
  if (format === 'md') {
    const escape = (t: string) => t.replace(/\|/g, '\\|');
    return [`**Agreement**: ${title}`, '', '| statistic | params | value | 95% CI | note |', '|---|---|---:|---|---|', ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`), '', ...notes.map((n) => `_${n}_`), ''].join('\n');
  }
  return `${title}\n${textTable(['statistic', 'params', 'value', 'CI', 'note'], rows, new Set([2]))}\n${notes.map((n) => `${n}\n`).join('')}`;
}
