import { loadConfig } from '../config/load.js';
import { InputError } from '../diagnostics/diagnostic.js';
import { resolvePanel, type Env } from '../engine/panel.js';
import { strongestMode } from '../judges/openai-probe.js';
import { loadProviders } from '../judges/providers.js';
import path from 'node:path';
import { endpointMemory } from './judge-setup.js';
import type { ProbeRow } from '../render/probe.js';

export type { ProbeRow } from '../render/probe.js';

// `jury probe`: what each judge's endpoint really honours, asked now, and the mode a run would use.
export interface ProbeOptions {
  configPath: string;
  env: Env;
}


export async function probe(opts: ProbeOptions): Promise<{ rows: ProbeRow[]; failed: number }> {
  const loaded = await loadConfig(opts.configPath);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  const { config, locate } = loaded.value;
  const providers = await loadProviders(config.judges.map((j) => j.provider));
  const resolved = resolvePanel(config, config.judges, opts.env, locate, providers);
  if (!resolved.ok) throw new InputError(resolved.diagnostics);
  // What it finds replaces what runs remembered (the reply cache is a different thing: --no-cache leaves this alone).
  const memory = endpointMemory(path.resolve(config.dir, config.cache));
  let failed = 0;
  const rows = await Promise.all(
    config.judges.map(async (judge): Promise<ProbeRow> => {
      const configured = judge.structured_output ?? 'json_schema';
      const base = { judge: judge.id, provider: judge.provider, model: judge.model, configured };
      if (judge.provider === 'anthropic') return { ...base, endpoint: judge.base_url ?? 'Anthropic API', used: 'tool use', note: 'not probed: verdicts come through forced tool use, which the Messages API enforces' };
      if (judge.provider === 'llama-cpp') return { ...base, endpoint: 'in process', used: 'grammar', note: 'not probed: generated under the verdict schema\'s grammar' };
      if (judge.provider === 'mock') return { ...base, endpoint: 'none', used: 'simulated' };
      const endpoint = judge.base_url ?? 'https://api.openai.com/v1';
      try {
        const capabilities = await resolved.panel.get(judge.id)!.provider.probe!();
        memory.set(`${endpoint} ${judge.model}`, capabilities);
        const chosen = strongestMode(capabilities, { needsContent: judge.score_mode === 'logprob' });
        const used = configured === 'auto' ? chosen : configured;
        const honoured = used === 'none' || capabilities[used];
        const problems = [
          ...(honoured ? [] : [`asks for ${used}, which this endpoint does not honour: set structured_output: auto (it would use ${chosen})`]),
          ...(judge.score_mode === 'logprob' && !capabilities.logprobs ? ['score_mode: logprob, but this endpoint returns no logprobs'] : []),
        ];
        const note = problems.length ? problems.join('; ') : undefined;
        return { ...base, endpoint, capabilities, used, ...(note ? { note } : {}) };
      } catch (error) {
        failed++;
        return { ...base, endpoint, used: configured === 'auto' ? 'json_schema' : configured, note: `not probed: ${(error as Error).message}` };
      }
    }),
  );
  return { rows, failed };
}
