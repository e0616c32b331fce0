import type { AnnotatorRow, CriterionAudit } from '../annotators/audit.js';
import type { ItemRow } from '../annotators/items.js';
import { textTable } from './table.js';

export type AnnotatorsFormat = 'table' | 'md' | 'json';

interface Audit {
  criteria: CriterionAudit[];
  warnings: string[];
}

/** Items listed in the table and Markdown (JSON keeps every one). */
const ITEMS_LISTED = 10;

const num = (v: number | null | undefined, digits = 2) => (v === null || v === undefined ? '–' : v.toFixed(digits));
const stat = (s: { value: number | null; ci: { low: number; high: number } | null }) => (s.value === null ? '–' : `${num(s.value)}${s.ci ? ` [${num(s.ci.low)}, ${num(s.ci.high)}]` : ''}`);

function bias(row: AnnotatorRow): string {
  if (row.mean_shift) return row.mean_shift.value === null ? '–' : `${row.mean_shift.value >= 0 ? '+' : ''}${stat(row.mean_shift)}`;
  if (!row.distribution) return '–';
  // The point this annotator over-uses most, against the pool.
  const [point, diff] = Object.keys(row.distribution.own).map((p) => [p, row.distribution!.own[p]! - row.distribution!.pool[p]!] as const).reduce((a, b) => (Math.abs(b[1]) > Math.abs(a[1]) ? b : a));
  return `${point} ${diff >= 0 ? '+' : ''}${(diff * 100).toFixed(0)} pts`;
}

function annotatorRows(c: CriterionAudit): string[][] {
  return (c.annotators ?? []).map((r) => [
    r.annotator,
    String(r.units),
    stat(r.alpha),
    stat(r.kappa),
    bias(r),
    `${r.scale_used.points.length}/${c.points.length}`,
    r.gold ? `${num(r.gold.accuracy)} of ${r.gold.units}${r.gold.ci ? ` [${num(r.gold.ci.low)}, ${num(r.gold.ci.high)}]` : ''}` : '–',
    r.model ? num(r.model.accuracy) : '–',
    r.flags.length ? 'FLAG' : '',
  ]);
}

function itemRows(items: readonly ItemRow[]): string[][] {
  return items.slice(0, ITEMS_LISTED).map((i) => [
    i.turn === undefined ? i.item : `${i.item} turn ${i.turn}`,
    Object.entries(i.counts).filter(([, n]) => n > 0).map(([p, n]) => `${p}×${n}`).join(' '),
    num(i.entropy),
    i.majority ?? 'tie',
    i.model ? `${i.model.point ?? 'tie'} (${num(i.model.probability)})` : '–',
    i.gold ?? '',
    i.kind,
  ]);
}

const HEAD = ['annotator', 'units', 'alpha vs rest [95% CI]', 'kappa vs rest', 'bias', 'scale', 'gold accuracy', 'model acc.', ''];
const ITEM_HEAD = ['item', 'votes', 'entropy', 'majority', 'model (p)', 'gold', 'kind'];

function criterionText(c: CriterionAudit, md: boolean): string {
  const lines: string[] = [];
  const title = `${c.criterion} (${c.level}: ${c.points.join(', ')}): ${c.units} units, ${c.votes} votes, ${c.annotator_count} annotators`;
  lines.push(md ? `## ${title}` : title, '');
  if (c.refused) lines.push(`No per-annotator figures: ${c.refused}.`, '');
  else {
    lines.push(`Agreement is each annotator against the consensus of the others (leave-one-out). Pool: the median annotator's alpha, ${num(c.pool_alpha)}.`, '');
    lines.push(md ? markdownTable(HEAD, annotatorRows(c)) : textTable(HEAD, annotatorRows(c), new Set([1])), '');
    for (const r of c.annotators ?? []) for (const f of r.flags) lines.push(`${md ? '- ' : '  '}${r.annotator}: ${f}`);
    if (c.annotators?.some((r) => r.flags.length)) lines.push('');
  }
  if (c.model) lines.push(`Dawid–Skene: ${c.model.converged ? 'converged' : 'DID NOT CONVERGE'} in ${c.model.iterations} iteration${c.model.iterations === 1 ? '' : 's'} from the ${c.model.start} start; priors ${Object.entries(c.model.priors).map(([p, v]) => `${p} ${num(v)}`).join(', ')}.`, '');
  else if (c.model_reason) lines.push(`Dawid–Skene: not fitted (${c.model_reason}).`, '');
  const g = c.consensus_vs_gold;
  if (g) {
    const line = (name: string, a: NonNullable<typeof g.dawid_skene>) => `${name} ${num(a.accuracy)}${a.ci ? ` [${num(a.ci.low)}, ${num(a.ci.high)}]` : ''} (${a.correct} of ${a.decided} decided, ${a.ties} tie${a.ties === 1 ? '' : 's'})`;
    lines.push(`Consensus against gold on ${g.majority.units} units: ${line('majority', g.majority)}${g.dawid_skene ? `; ${line('Dawid–Skene', g.dawid_skene)}` : ''}.`, '');
  }
  lines.push(`Most contested items (${Math.min(ITEMS_LISTED, c.items.length)} of ${c.items.length}; ${c.items.filter((i) => i.kind === 'ambiguous').length} ambiguous, ${c.items.filter((i) => i.kind === 'explained').length} split but explained by the model):`, '');
  lines.push(md ? markdownTable(ITEM_HEAD, itemRows(c.items)) : textTable(ITEM_HEAD, itemRows(c.items), new Set([2])), '');
  return lines.join('\n');
}

function markdownTable(head: string[], rows: string[][]): string {
  const cell = (s: string) => s.replace(/\|/g, '\\|');
  return [`| ${head.map(cell).join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.map(cell).join(' | ')} |`)].join('\n');
}

/** `jury annotators` output. */
export function renderAnnotators(audit: Audit, format: AnnotatorsFormat): string {
  if (format === 'json') return `${JSON.stringify(audit, null, 2)}\n`;
  const warnings = audit.warnings.map((w) => `WARNING: ${w}\n`).join('');
  return `${warnings}${audit.criteria.map((c) => criterionText(c, format === 'md')).join('\n')}`;
}
