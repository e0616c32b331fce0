import type { Config, JudgeConfig } from '../config/config.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Location } from '../diagnostics/source.js';
import { DEFAULT_KEY_ENV, type ProviderFactories } from '../judges/providers.js';
import type { PanelJudge } from './run-plan.js';
import type { SendGate } from '../judges/send-gate.js';

export type Env = Readonly<Record<string, string | undefined>>;

/** The variable a judge's key comes from; undefined when it needs none (the mock, keyless servers). */
export function keyVariable(judge: JudgeConfig): string | undefined {
  if (judge.api_key_env === null) return undefined;
  return judge.api_key_env ?? DEFAULT_KEY_ENV[judge.provider];
}

/** `--mock`: every judge becomes a mock judge with the same id and model, so the report keeps its shape. */
export function mockJudges(judges: readonly JudgeConfig[]): JudgeConfig[] {
  return judges.map((judge) => ({ ...judge, provider: 'mock', base_url: undefined, api_key_env: undefined }));
}

/**
 * Builds each judge's provider with its key from the environment. Every judge without its key is reported
 * before any call is made; the message names the variable, never a value.
 */
export function resolvePanel(
  config: Config,
  judges: readonly JudgeConfig[],
  env: Env,
  locate: (path: (string | number)[]) => Location | undefined,
  factories: ProviderFactories,
  sendGate?: SendGate,
): { ok: true; panel: Map<string, PanelJudge> } | { ok: false; diagnostics: Diagnostic[] } {
  const diagnostics: Diagnostic[] = [];
  const panel = new Map<string, PanelJudge>();
  judges.forEach((judge, index) => {
    const variable = keyVariable(judge);
    const key = variable ? env[variable] : undefined;
    if (variable && !key) {
      diagnostics.push({
        code: 'config/missing-key',
        severity: 'error',
        file: config.file,
        ...(locate(['judges', index]) ?? {}),
        path: ['judges', index],
        message: `judge \`${judge.id}\` needs an API key in the environment variable ${variable}, which is ${env[variable] === undefined ? 'not set' : 'set but empty'}`,
        expected: `${variable} set in the environment`,
        hint: judge.provider === 'openai' && judge.base_url ? 'for a local server that takes no key, set `api_key_env: null`' : 'or run with --mock to see the pipeline with simulated judges',
      });
      return;
    }
    panel.set(judge.id, { config: judge, provider: factories.get(judge.provider)!(judge, { apiKey: key, sendGate }), secrets: key ? [key] : [] });
  });
  return diagnostics.length ? { ok: false, diagnostics } : { ok: true, panel };
}
