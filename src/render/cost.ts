import { textTable } from './table.js';

/** One judge's line of a dry run. */
export interface DryRunJudge {
  judge: string;
  model: string;
  calls: number;
  cached: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  price_source: string;
  key: string;
}

const usd = (x: number) => `$${x < 0.01 && x > 0 ? x.toFixed(4) : x.toFixed(2)}`;

/**
 * The dollars a run spent, per judge: over the whole journal (resumed verdicts included, the same figure as
 * run.json's `cost_usd`) and, when some were resumed, what this invocation added. A judge of unknown price
 * shows "unknown", never $0.00.
 */
export function renderCost(cost: { total: Record<string, number>; thisRun: Record<string, number>; unpriced: readonly string[] }): string {
  const unknown = new Set(cost.unpriced);
  const sum = (record: Record<string, number>) => Object.values(record).reduce((a, b) => a + b, 0);
  const total = sum(cost.total);
  const thisRun = sum(cost.thisRun);
  const judges = Object.entries(cost.total).map(([j, c]) => `${j} ${unknown.has(j) ? 'unknown' : usd(c)}`).join(', ');
  const qualifier = unknown.size ? `at least ${usd(total)}` : usd(total);
  const part = Math.abs(total - thisRun) > 1e-12 ? `; ${usd(thisRun)} of it by this run, the rest by the run it resumed` : '';
  const note = unknown.size ? `\nprice unknown for ${[...unknown].join(', ')}: set \`price\` on the judge in jury.yaml` : '';
  return `cost: ${qualifier} (${judges})${part}${note}\n`;
}

/** `jury run --dry-run`: what would be asked for, and what it would cost. */
export function renderDryRun(judges: readonly DryRunJudge[], pricesTaken: string, notes: readonly string[] = []): string {
  const unknown = (j: DryRunJudge) => j.price_source === 'unknown' && j.calls > 0;
  const rows = judges.map((j) => [j.judge, j.model, String(j.calls), String(j.cached), String(j.input_tokens), String(j.output_tokens), unknown(j) ? 'unknown' : usd(j.cost_usd), j.price_source, j.key]);
  const total = judges.reduce((s, j) => s + j.cost_usd, 0);
  const unpriced = judges.filter(unknown).map((j) => j.judge);
  return [
    'dry run: nothing was called',
    textTable(['judge', 'model', 'calls', 'cached', 'input tokens', 'output tokens', 'cost', 'price', 'key'], rows, new Set([2, 3, 4, 5, 6])),
    ...notes.map((n) => `note: ${n}`),
    `estimated total: ${unpriced.length ? `at least ${usd(total)}, plus ${unpriced.join(', ')} at an unknown price` : usd(total)} (input at four characters a token, 180 output tokens a verdict; built-in prices taken ${pricesTaken}, override with \`price\` on a judge)`,
    '',
  ].join('\n');
}
