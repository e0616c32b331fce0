import type { Statistic } from '../stats/suite.js';
import { textTable } from './table.js';

export type AgreementFormat = 'table' | 'json' | 'md';

function params(s: Statistic): string {
  return Object.entries(s.params)
    .map(([k, v]) => `${k}=${Array.isArray(v) ? v.join('~') : String(v)}`)
    .join(' ');
}

const num = (v: number | null) => (v === null ? '–' : v.toFixed(3));
const interval = (s: Statistic) => (s.ci ? `[${num(s.ci.low)}, ${num(s.ci.high)}]` : '');

/** `jury agreement` output. JSON is a contract for scripts: {"statistics": [{id, params, value, ci, reason}]}. */
export function renderAgreement(statistics: readonly Statistic[], format: AgreementFormat, header: { items: number; raters: string[]; level: string }): string {
  if (format === 'json') {
    return `${JSON.stringify({ items: header.items, raters: header.raters, level: header.level, statistics }, null, 2)}\n`;
  }
  const rows = statistics.map((s) => [s.id, params(s), num(s.value), interval(s), s.reason ?? '']);
  const title = `${header.items} items, ${header.raters.length} raters (${header.raters.join(', ')}), ${header.level} level`;
  if (format === 'md') {
    const escape = (t: string) => t.replace(/\|/g, '\\|');
    return [`**Agreement**: ${title}`, '', '| statistic | params | value | 95% CI | note |', '|---|---|---:|---|---|', ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`), ''].join('\n');
  }
  return `${title}\n${textTable(['statistic', 'params', 'value', 'CI', 'note'], rows, new Set([2]))}\n`;
}
