import type { Diff } from '../diff/diff.js';
import { renderSliceDiffs } from './slices.js';
import { shiftIntervalWithLevel } from './shift.js';
import { textTable } from './table.js';

const n = (x: number | null | undefined, d = 2) => (x === null || x === undefined ? '–' : x.toFixed(d));
const signed = (x: number | null) => (x === null ? '–' : `${x > 0 ? '+' : ''}${x.toFixed(2)}`);
const p = (x: number | undefined) => (x === undefined ? '–' : x < 0.001 ? '<0.001' : x.toFixed(3));
const mark = { improved: '▲ improved', regressed: '▼ regressed', 'no significant change': '= no significant change', 'not tested': '· not tested' } as const;

/** Beside "no significant change": the smallest drop the items would have caught (80% power), or why none. */
const detectable = (c: Diff['criteria'][number]) => (!c.detectable ? '' : c.detectable.effect === null ? ' (no drop on the scale detectable)' : ` (would catch −${c.detectable.effect.toFixed(2)})`);

/** `jury diff` output: a terminal table, Markdown for a pull-request comment, or JSON. */
export function renderDiff(diff: Diff, format: 'table' | 'md' | 'json', options: { maxRegressions?: number } = {}): string {
  if (format === 'json') return `${JSON.stringify(diff, null, 2)}\n`;
  const max = options.maxRegressions ?? 10;
  const header = ['criterion', 'base', 'candidate', 'Δ mean', 'shift', 'interval (Holm level)', 'p (Holm)', 'change'];
  const rows = diff.criteria.map((c) => [`${c.rubric}/${c.criterion}`, n(c.base_mean), n(c.candidate_mean), signed(c.difference), signed(c.shift ?? null), c.ci ? shiftIntervalWithLevel(c.ci) : c.ci_reason ? 'none †' : '', p(c.test?.p_holm), `${mark[c.change]}${c.note ? ` (${c.note})` : ''}${detectable(c)}${c.family ? ` [${c.family}]` : ''}`]);
  const items = `${diff.items.matched} items matched${diff.items.added.length ? `, ${diff.items.added.length} added (${diff.items.added.join(', ')})` : ''}${diff.items.removed.length ? `, ${diff.items.removed.length} removed (${diff.items.removed.join(', ')})` : ''}`;
  const method = `Paired by item: Δ mean is the mean of candidate − base over the items scored in both, while base and candidate are each report's mean over all its scored units, so Δ can differ from their difference when items are missing. Wilcoxon signed-rank test, Holm-corrected across criteria at ${diff.significance}; shift is the Hodges–Lehmann estimate of what the test compares, its interval the signed-rank interval at the level Holm tested the criterion at, so it excludes 0 exactly when the change is significant ("(" or ")": an open end). "would catch −x": the smallest drop these items detect 80% of the time at the family's level, simulated from their own differences: no significant change is not no difference.${diff.primary ? ` Primary criteria (${diff.primary.join(', ')}) form their own Holm family, the rest a second one.` : ''}`;
  const noInterval = diff.criteria.filter((c) => !c.ci && c.ci_reason).map((c) => `† ${c.rubric}/${c.criterion}: ${c.ci_reason}`);
  const top = diff.regressions.slice(0, max);
  if (format === 'md') {
    const escape = (t: string) => t.replace(/\|/g, '\\|').replace(/\n/g, ' ');
    const out = [`### jury diff: ${escape(diff.base_label)} → ${escape(diff.candidate_label)}`, ''];
    for (const w of diff.warnings) out.push(`> **Warning:** ${escape(w)}`, '');
    out.push(items, '', `| ${header.join(' | ')} |`, `|---|---:|---:|---:|---:|---|---:|---|`, ...rows.map((r) => `| ${r.map(escape).join(' | ')} |`), '', `_${method}_`, '', ...noInterval.flatMap((x) => [escape(x), '']));
    if (top.length) {
      out.push(`#### Largest item regressions (${diff.regressions.length} in all)`, '', '| item | criterion | base | candidate | judges (base → candidate) |', '|---|---|---:|---:|---|');
      for (const r of top) {
        const why = r.reasoning.filter((x) => x.base || x.candidate).map((x) => `**${escape(x.judge)}**: ${escape(x.base ?? '–')} → ${escape(x.candidate ?? '–')}`).join('<br>');
        out.push(`| ${escape(r.item)} | ${r.rubric}/${r.criterion} | ${n(r.base)} | ${n(r.candidate)} | ${why} |`);
      }
      out.push('');
    }
    if (diff.slices?.length) out.push(renderSliceDiffs(diff.slices, 'md'));
    return out.join('\n');
  }
  const out = [`jury diff: ${diff.base_label} → ${diff.candidate_label}`];
  for (const w of diff.warnings) out.push(`WARNING: ${w}`);
  out.push(items, '', textTable(header, rows, new Set([1, 2, 3, 4, 6])), method, ...noInterval);
  if (top.length) {
    out.push('', `Largest item regressions (${diff.regressions.length} in all):`);
    for (const r of top) {
      out.push(`  ${r.item}  ${r.rubric}/${r.criterion}  ${n(r.base)} → ${n(r.candidate)}`);
      for (const x of r.reasoning) if (x.base || x.candidate) out.push(`    ${x.judge}: ${x.base ?? '–'}\n    ${' '.repeat(x.judge.length)}→ ${x.candidate ?? '–'}`);
    }
  }
  if (diff.slices?.length) out.push(renderSliceDiffs(diff.slices, 'table'));
  return `${out.join('\n')}\n`;
}
