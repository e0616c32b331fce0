import { createHash } from 'node:crypto';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import { canonicalJson } from '../format/canonical-json.js';
import { keyVariable, type Env } from '../engine/panel.js';
import { loadProviders } from '../judges/providers.js';
import { ReplyCache } from '../engine/reply-cache.js';
import type { RetryPolicy } from '../engine/retry.js';
import { commandAgent } from '../simulate/agents/command-agent.js';
import type { Agent } from '../simulate/agents/contract.js';
import { httpAgent } from '../simulate/agents/http-agent.js';
import { openAiAgent } from '../simulate/agents/openai-agent.js';
import { catalogueTools, httpTools } from '../simulate/agents/tools.js';
import type { SimulationConfig } from '../simulate/config.js';
import { mockListener, modelListener, type Listener } from '../simulate/listener.js';
import type { LoadedSimulation } from '../simulate/load.js';

/** A variable a setting names, read from the environment: a diagnostic when it is unset or empty. */
function keyFrom(variable: string | undefined, env: Env, file: string, field: (string | number)[], who: string, diagnostics: Diagnostic[]): string | undefined {
  if (!variable) return undefined;
  const key = env[variable];
  if (!key) diagnostics.push({ code: 'config/missing-key', severity: 'error', file, path: field, message: `${who} needs a key in the environment variable ${variable}, which is ${key === undefined ? 'not set' : 'set but empty'}`, expected: `${variable} set in the environment`, hint: 'for a server that takes no key, set `api_key_env: null`; `--mock` runs the mock listener' });
  return key || undefined;
}

export interface SimulationActors {
  listener: Listener;
  agent: Agent;
  /** Keys in use, scrubbed from anything written or printed. */
  secrets: string[];
  cache?: ReplyCache;
}

/** Builds the listener (mock, or a model through the judges' providers) and the agent adapter. */
export async function simulationActors(loaded: LoadedSimulation, env: Env, options: { cacheDir?: string; retries: RetryPolicy }): Promise<{ ok: true; actors: SimulationActors } | { ok: false; diagnostics: Diagnostic[] }> {
  const { config, catalogue } = loaded;
  const diagnostics: Diagnostic[] = [];
  const secrets: string[] = [];
  const listenerKey = keyFrom(keyVariable(config.listener), env, config.file, ['listener'], `the listener (${config.listener.provider} ${config.listener.model})`, diagnostics);
  const agent = config.agent;
  const agentKey = agent.adapter === 'command' ? undefined : keyFrom(agent.api_key_env === null ? undefined : (agent.api_key_env ?? (agent.adapter === 'openai' ? 'OPENAI_API_KEY' : undefined)), env, config.file, ['agent', 'api_key_env'], `the agent (${agent.adapter})`, diagnostics);
  if (diagnostics.length) return { ok: false, diagnostics };
  for (const key of [listenerKey, agentKey]) if (key) secrets.push(key);
  let listener: Listener;
  let cache: ReplyCache | undefined;
  if (config.listener.provider === 'mock') listener = mockListener();
  else {
    const factories = await loadProviders([config.listener.provider]);
    const provider = factories.get(config.listener.provider)!(config.listener, { apiKey: listenerKey });
    cache = options.cacheDir ? new ReplyCache(options.cacheDir) : undefined;
    listener = modelListener(config.listener, provider, options.retries, cache);
  }
  const timeout = agent.timeout_s * 1000;
  const built: Agent =
    agent.adapter === 'command'
      ? commandAgent(agent.command, config.dir, timeout)
      : agent.adapter === 'http'
        ? httpAgent(agent.url, timeout, agentKey ? { authorization: `Bearer ${agentKey}` } : {})
        : openAiAgent(
            { ...(agent.base_url ? { baseUrl: agent.base_url } : {}), ...(agentKey ? { apiKey: agentKey } : {}), model: agent.model, systemPrompt: agent.system_prompt, ...(agent.temperature === undefined ? {} : { temperature: agent.temperature }), ...(agent.seed === undefined ? {} : { seed: agent.seed }), maxTokens: agent.max_tokens, timeoutMs: timeout, maxToolRounds: agent.max_tool_rounds },
            agent.tools === 'mock-catalogue' ? catalogueTools(catalogue) : agent.tools === 'none' ? { definitions: async () => [], call: async () => ({ content: '{"error":"no tools"}', is_error: true }) } : httpTools(agent.tools.url, timeout),
          );
  return { ok: true, actors: { listener, agent: built, secrets, ...(cache ? { cache } : {}) } };
}

/**
 * What a simulation's journal is bound to: the scenario and catalogue files, the listener, the agent and the
 * limits (not concurrency, not the label, not the budget: those change how it runs, not what it says).
 */
export function simulationHash(loaded: LoadedSimulation): string {
  const { config, sources } = loaded;
  const { concurrency: _c, output: _o, cache: _k, label: _l, file: _f, dir: _d, retries: _r, ...rest } = config;
  const listener = { ...rest.listener, api_key_env: undefined, model_path: undefined };
  const hash = createHash('sha256').update(canonicalJson({ ...rest, listener }));
  for (const text of [sources.scenarios, sources.catalogue]) hash.update(`${text.length}:`).update(text);
  return hash.digest('hex').slice(0, 16);
}

/** A conversation's seed: from the run's seed, the scenario's own (or its id) and the repeat. */
export function conversationSeed(config: Pick<SimulationConfig, 'seed'>, scenario: { id: string; seed?: number | undefined }, repeat: number): number {
  const base = scenario.seed ?? Number.parseInt(createHash('sha256').update(scenario.id).digest('hex').slice(0, 8), 16);
  return (Math.imul(config.seed + 1, 2654435761) ^ Math.imul(base, 40503) ^ Math.imul(repeat, 2246822519)) >>> 0;
}
