import type { ProviderName } from '../config/config.js';
import type { ProviderFactory } from './provider.js';

/**
 * Each provider's module, loaded only when a judge uses it: the two SDKs take about a third of a second to
 * load, which a mock run or a one-provider panel need not pay. A new provider is one file and one line here.
 */
const loaders = {
  openai: async () => (await import('./openai.js')).openai,
  anthropic: async () => (await import('./anthropic.js')).anthropic,
  'llama-cpp': async () => (await import('./llama-cpp.js')).llamaCpp,
  mock: async () => (await import('./mock.js')).mock,
} satisfies Record<ProviderName, () => Promise<ProviderFactory>>;

export type ProviderFactories = ReadonlyMap<ProviderName, ProviderFactory>;

/** Loads the providers these judges use. */
export async function loadProviders(names: Iterable<ProviderName>): Promise<ProviderFactories> {
  const unique = [...new Set(names)];
  const factories = await Promise.all(unique.map((name) => loaders[name]()));
  return new Map(unique.map((name, i) => [name, factories[i]!]));
}

/** The environment variable a provider's key is read from, unless a judge names its own. */
export const DEFAULT_KEY_ENV = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY', 'llama-cpp': undefined, mock: undefined } satisfies Record<ProviderName, string | undefined>;
