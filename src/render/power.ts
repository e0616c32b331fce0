import type { PowerReport } from '../diff/power.js';
import { textTable } from './table.js';

/** `jury power` output: per criterion the smallest detectable drop and, for a chosen drop, the items it needs. */
export function renderPower(result: PowerReport, format: 'table' | 'md' | 'json'): string {
  if (format === 'json') return `${JSON.stringify({ version: 1, ...result }, null, 2)}\n`;
  const pct = Math.round(result.power * 100);
  const effect = result.criteria.find((c) => c.needed)?.needed?.effect;
  const header = ['criterion', 'items', `smallest drop seen ${pct}% of the time`, ...(effect !== undefined ? [`items for a drop of ${effect}`] : [])];
  const rows = result.criteria.map((c) => [
    `${c.rubric}/${c.criterion}`,
    String(c.items),
    c.detectable.effect === null ? `none: ${c.detectable.reason}` : c.detectable.effect < 0.01 ? '< 0.01' : c.detectable.effect.toFixed(2),
    ...(c.needed ? [c.needed.items === null ? c.needed.reason : String(c.needed.items)] : []),
  ]);
  const noise = result.baseline_label
    ? `the paired differences between ${result.baseline_label} and ${result.label}, centred on their shift (what two runs differ by when nothing changed, as far as these two show)`
    : `${result.label}'s own judges: each item's panel rerun by drawing its judges' scores again (the noise of judging alone; an agent that answers differently from run to run adds more)`;
  const how = `A drop is a shift of every item's score; the test is jury diff's (Wilcoxon signed-rank) at ${result.significance} / ${result.family} = ${(result.significance / result.family).toFixed(4)}, Holm's level for a lone regression in a family of ${result.family}. Noise: ${noise}. ${result.simulations} simulated studies per point, seed ${result.seed}.`;
  if (format === 'md') {
    return [`### jury power: ${result.label}`, '', `| ${header.join(' | ')} |`, `|---|---:|---:|${effect !== undefined ? '---:|' : ''}`, ...rows.map((r) => `| ${r.join(' | ')} |`), '', `_${how}_`, ''].join('\n');
  }
  return `${textTable(header, rows, new Set([1, 2, 3]))}\n${how}\n`;
}
