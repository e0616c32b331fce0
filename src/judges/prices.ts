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
 * Built-in list prices, taken by jury's developers from the providers' public price pages as they stood in
 * 2025-10 (PRICES_TAKEN). Prices change: set `price` on a judge in jury.yaml to override. Unknown models, local
 * servers (a base_url on loopback) and the mock cost nothing here, and `jury run --dry-run` says so.
 */
export const PRICES_TAKEN = '2025-10';
export const BUILT_IN_PRICES: Record<string, Price> = {
  'gpt-4.1': { input: 2, output: 8, cached_input: 0.5 },
  'gpt-4.1-mini': { input: 0.4, output: 1.6, cached_input: 0.1 },
  'gpt-4.1-nano': { input: 0.1, output: 0.4, cached_input: 0.025 },
  'gpt-4o': { input: 2.5, output: 10, cached_input: 1.25 },
  'gpt-4o-mini': { input: 0.15, output: 0.6, cached_input: 0.075 },
  'claude-sonnet-4-5': { input: 3, output: 15, cached_input: 0.3 },
  'claude-haiku-4-5': { input: 1, output: 5, cached_input: 0.1 },
  'claude-opus-4-1': { input: 15, output: 75, cached_input: 1.5 },
};

const FREE: Price = { input: 0, output: 0, cached_input: 0 };

/** The judge's price: its own `price`, else the built-in one for its model (date-suffixed names included). */
export function priceOf(judge: Pick<JudgeConfig, 'provider' | 'model' | 'base_url' | 'price'>): { price: Price; source: 'config' | 'built-in' | 'unknown' | 'free' } {
  if (judge.price) return { price: { input: judge.price.input, output: judge.price.output, cached_input: judge.price.cached_input ?? judge.price.input }, source: 'config' };
  if (judge.provider === 'mock') return { price: FREE, source: 'free' };
  if (judge.base_url && /^https?:\/\/(127\.|localhost|\[::1\])/.test(judge.base_url)) return { price: FREE, source: 'free' };
  const model = Object.keys(BUILT_IN_PRICES).filter((m) => judge.model === m || judge.model.startsWith(`${m}-20`)).sort((a, b) => b.length - a.length)[0];
  return model ? { price: BUILT_IN_PRICES[model]!, source: 'built-in' } : { price: FREE, source: 'unknown' };
}

/** Dollars for the tokens of a call: uncached input, cached input and output at their own rates. */
export function costOf(usage: Usage, price: Price): number {
  const uncached = Math.max(0, usage.inputTokens - usage.cachedInputTokens);
  return (uncached * price.input + usage.cachedInputTokens * price.cached_input + usage.outputTokens * price.output) / 1_000_000;
}
