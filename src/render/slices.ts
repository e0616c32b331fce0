import type { SliceDiffFamily } from '../diff/slices.js';
import type { SliceFamily } from '../report/slices.js';
import { shiftIntervalWithLevel } from './shift.js';
import { textTable } from './table.js';

const n = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '–' : x.toFixed(d));
const signed = (x: number | null) => (x === null ? '–' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`);
const p = (x: number | undefined) => (x === undefined ? '–' : x < 0.001 ? '<0.001' : x.toFixed(3));
const mark = { improved: '▲ improved', regressed: '▼ regressed', 'no significant change': '= no significant change', 'not tested': '· not tested' } as const;

/** A run's summary cut by metadata: per key, a row per slice and criterion with the panel mean, its CI and alpha. */
export function renderSlices(families: readonly SliceFamily[]): string {
  return families
    .map((family) => {
      const rows = family.slices.flatMap((slice) =>
        slice.criteria.map((c) => [`${slice.value} (${slice.items})`, `${c.rubric}/${c.criterion}`, n(c.mean), c.mean_ci ? `${n(c.mean_ci.low)}–${n(c.mean_ci.high)}` : '', n(c.alpha.value, 3), String(c.scored)]),
      );
      return `by ${family.by} (${family.slices.length} slice${family.slices.length === 1 ? '' : 's'}; items in parentheses)\n${textTable([family.by, 'criterion', 'panel mean', '95% CI', 'alpha', 'scored'], rows, new Set([2, 4, 5]))}`;
    })
    .join('\n\n');
}

/** The diff's slice section for the terminal or Markdown: every tested slice × criterion, regressions first. */
export function renderSliceDiffs(families: readonly SliceDiffFamily[], format: 'table' | 'md'): string {
  const order = { regressed: 0, improved: 1, 'no significant change': 2, 'not tested': 3 } as const;
  const out: string[] = [];
  for (const family of families) {
    const rows = [...family.rows]
      .filter((r) => r.pairs > 0)
      .sort((a, b) => order[a.change] - order[b.change])
      .map((r) => [r.value, `${r.rubric}/${r.criterion}`, String(r.pairs), n(r.base_mean), n(r.candidate_mean), signed(r.difference), signed(r.shift ?? null), r.ci ? shiftIntervalWithLevel(r.ci) : r.ci_reason ? 'none' : '', p(r.test?.p_holm), mark[r.change]]);
    const header = [family.by, 'criterion', 'items', 'base', 'candidate', 'Δ mean', 'shift', 'interval (Holm level)', 'p (Holm)', 'change'];
    const note = `Means over each slice's items scored in both reports; Holm-corrected within the ${family.family} tests of ${family.by}.`;
    if (format === 'md') {
      const escape = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      out.push(`#### By ${escape(family.by)}`, '', `| ${header.map(escape).join(' | ')} |`, '|---|---|---:|---:|---:|---:|---:|---|---:|---|', ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`), '', `_${note}_`, '');
    } else out.push('', `By ${family.by}:`, textTable(header, rows, new Set([2, 3, 4, 5, 6, 8])), note);
  }
  return out.join('\n');
}
