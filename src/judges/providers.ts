import type { ProviderName } from '../config/config.js';
import { anthropic } from './anthropic.js';
import { mock } from './mock.js';
import { openai } from './openai.js';
import type { ProviderFactory } from './provider.js';

/** A new provider is one file and one line here. */
export const providers = { openai, anthropic, mock } satisfies Record<ProviderName, ProviderFactory>;

/** The environment variable a provider's key is read from, unless a judge names its own. */
export const DEFAULT_KEY_ENV = { openai: 'OPENAI_API_KEY', anthropic: 'ANTHROPIC_API_KEY', mock: undefined } satisfies Record<ProviderName, string | undefined>;
