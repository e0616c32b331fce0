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

/** The dollars a run spent, per judge. */
export function renderCost(cost: Record<string, number>): string {
  const total = Object.values(cost).reduce((a, b) => a + b, 0);
  return `cost: ${usd(total)} (${Object.entries(cost).map(([j, c]) => `${j} ${usd(c)}`).join(', ')})\n`;
}

/** `jury run --dry-run`: what would be asked for, and what it would cost. */
export function renderDryRun(judges: readonly DryRunJudge[], pricesTaken: string): string {
  const rows = judges.map((j) => [j.judge, j.model, String(j.calls), String(j.cached), String(j.input_tokens), String(j.output_tokens), usd(j.cost_usd), j.price_source, j.key]);
  const total = judges.reduce((s, j) => s + j.cost_usd, 0);
  return [
    'dry run: nothing was called',
    textTable(['judge', 'model', 'calls', 'cached', 'input tokens', 'output tokens', 'cost', 'price', 'key'], rows, new Set([2, 3, 4, 5, 6])),
    `estimated total: ${usd(total)} (input at four characters a token, 180 output tokens a verdict; built-in prices taken ${pricesTaken}, override with \`price\` on a judge)`,
    '',
  ].join('\n');
}
