import type { JudgeConfig } from '../config/config.js';
import type { Usage } from './verdict.js';

/** US dollars per million tokens. */
export interface Price {
  input: number;
  output: number;
  /** Input tokens read from the provider's prompt cache. */
  cached_input: number;
}

/**
 * Built-in list prices in US dollars per million tokens, as the providers' public price pages gave them for each
 * model (PRICES_TAKEN: the date this table was last refreshed; this session could not reach the pages
 * themselves, so the newer rows come from the providers' launch announcements as quoted publicly). Prices change:
 * set `price` on a judge in jury.yaml to override. A model not in this table has an *unknown* price, never a
 * price of zero: a local server can be a proxy to a paid API, so only the mock judge, or a `price` in the
 * config, costs nothing.
 */
export const PRICES_TAKEN = '2026-12';
export const BUILT_IN_PRICES: Record<string, Price> = {
  'gpt-4.1': { input: 2, output: 8, cached_input: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cached_input: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cached_input: 0.025 },
  'gpt-4o': { input: 2.5, output: 10, cached_input: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cached_input: 0.075 },
  'gpt-5': { input: 1.25, output: 10, cached_input: 0.125 },
  'gpt-5-mini': { input: 0.25, output: 2, cached_input: 0.025 },
  'gpt-5-nano': { input: 0.05, output: 0.4, cached_input: 0.005 },
  'gpt-5.4': { input: 2.5, output: 15, cached_input: 0.25 },
  'gpt-5.4-mini': { input: 0.75, output: 4.5, cached_input: 0.075 },
  'gpt-5.5': { input: 5, output: 30, cached_input: 0.5 },
  'claude-sonnet-4-5': { input: 3, output: 15, cached_input: 0.3 },
  'claude-sonnet-4-6': { input: 3, output: 15, cached_input: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cached_input: 0.1 },
  'claude-opus-4-1': { input: 15, output: 75, cached_input: 1.5 },
  'claude-opus-4-5': { input: 5, output: 25, cached_input: 0.5 },
};

const FREE: Price = { input: 0, output: 0, cached_input: 0 };

/**
 * The judge's price: its own `price`, else the built-in one for its model (date-suffixed names included). An
 * unknown price is counted as zero in sums, and every place that shows it says "unknown" instead.
 */
export function priceOf(judge: Pick<JudgeConfig, 'provider' | 'model' | 'base_url' | 'price'>): { price: Price; source: 'config' | 'built-in' | 'unknown' | 'free' } {
  if (judge.price) return { price: { input: judge.price.input, output: judge.price.output, cached_input: judge.price.cached_input ?? judge.price.input }, source: 'config' };
  // A model run in this process costs no dollars (its tokens are still counted).
  if (judge.provider === 'mock' || judge.provider === 'llama-cpp') return { price: FREE, source: 'free' };
  const model = Object.keys(BUILT_IN_PRICES).filter((m) => judge.model === m || judge.model.startsWith(`${m}-20`)).sort((a, b) => b.length - a.length)[0];
  return model ? { price: BUILT_IN_PRICES[model]!, source: 'built-in' } : { price: FREE, source: 'unknown' };
}

/** Dollars for the tokens of a call: uncached input, cached input and output at their own rates. */
export function costOf(usage: Usage, price: Price): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  return (uncached * price.input + usage.cachedInputTokens * price.cached_input + usage.outputTokens * price.output) / 1_000_000;
}
