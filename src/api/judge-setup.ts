import { createHash } from 'node:crypto';
import { createReadStream, mkdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config, JudgeConfig, ModelFile } from '../config/config.js';
import { InputError } from '../diagnostics/diagnostic.js';
import type { Location } from '../diagnostics/source.js';
import type { PanelJudge } from '../engine/run-plan.js';
import { writeJson } from '../report/write.js';
import { SetupError, type JudgeSetup, type SetupContext } from '../judges/provider.js';
import type { Capabilities } from '../judges/openai-probe.js';

/**
 * Each local judge with the identity of its weights (file name, size, SHA-256): part of the config hash, so a
 * journal is never resumed with other weights, and of the cache key, so a replaced file is never served old replies.
 */
export async function withModelFiles(judges: readonly JudgeConfig[]): Promise<JudgeConfig[]> {
  const hashes = new Map<string, Promise<ModelFile>>();
  return Promise.all(
    judges.map(async (judge) => {
      if (judge.provider !== 'llama-cpp' || !judge.model_path) return judge;
      let file = hashes.get(judge.model_path);
      if (!file) hashes.set(judge.model_path, (file = describeModelFile(judge.model_path)));
      return { ...judge, model_file: await file };
    }),
  );
}

export async function describeModelFile(file: string): Promise<ModelFile> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(file, { highWaterMark: 1 << 20 })) hash.update(chunk as Buffer);
  return { name: path.basename(file), bytes: statSync(file).size, sha256: hash.digest('hex') };
}

/**
 * Runs every judge's one-off set-up (a local model loaded, an endpoint probed) before the first call, all at
 * once. A judge that cannot be set up as configured is an input error naming its field; the facts go to run.json.
 */
export async function prepareJudges(panel: ReadonlyMap<string, PanelJudge>, config: Pick<Config, 'file' | 'judges'>, locate: (path: (string | number)[]) => Location | undefined, context: SetupContext = {}): Promise<Record<string, JudgeSetup>> {
  const entries = [...panel.entries()].filter(([, judge]) => judge.provider.prepare);
  const settled = await Promise.allSettled(entries.map(([, judge]) => judge.provider.prepare!(context)));
  const setups: Record<string, JudgeSetup> = {};
  const failed: { id: string; error: SetupError }[] = [];
  settled.forEach((result, i) => {
    const id = entries[i]![0];
    if (result.status === 'fulfilled') {
      const setup = { ...(panel.get(id)!.config.model_file ? { model_file: { ...panel.get(id)!.config.model_file } } : {}), ...result.value };
      if (Object.keys(setup).length) setups[id] = setup;
    }
    else if (result.reason instanceof SetupError) failed.push({ id, error: result.reason });
    else throw result.reason;
  });
  if (!failed.length) return setups;
  await closeJudges(panel);
  throw new InputError(
    failed.map(({ id, error }) => {
      const index = config.judges.findIndex((j) => j.id === id);
      const at = ['judges', index, error.field];
      return { code: 'config/judge-setup', severity: 'error', file: config.file, ...(locate(at) ?? locate(['judges', index]) ?? {}), path: at, message: `judge \`${id}\`: ${error.message}` };
    }),
  );
}

/** Frees what the judges hold (loaded models); never throws, since it runs on the way out of errors too. */
export async function closeJudges(panel: ReadonlyMap<string, PanelJudge>): Promise<void> {
  await Promise.allSettled([...panel.values()].map((judge) => judge.provider.close?.()));
}

/**
 * A probed judge's `structured_output: auto` replaced in the panel by the mode chosen, so the cache key names the
 * requests really sent (the config hash keeps `auto`: a journal resumes whatever a later probe finds). With the
 * notes a person should see: what each probe found and chose, and a warning when it is plain text.
 */
export function settleJudges(panel: Map<string, PanelJudge>, setups: Record<string, JudgeSetup>): string[] {
  const notes: string[] = [];
  for (const [id, judge] of panel) {
    const setup = setups[id];
    const chosen = setup?.structured_output;
    if (typeof chosen !== 'string' || judge.config.structured_output !== 'auto') continue;
    if (setup!.probed === 'failed') {
      notes.push(`judge ${id}: ${judge.config.base_url} could not be probed (${String(setup!.probe_error)}); asking for verdicts as ${chosen}`);
    } else {
      const capabilities = setup!.capabilities as unknown as Capabilities;
      const list = (Object.keys(capabilities) as (keyof Capabilities)[]).map((name) => `${name} ${capabilities[name] ? 'yes' : 'no'}`).join(', ');
      notes.push(`judge ${id}: ${judge.config.base_url} honours ${list}${setup!.probed === 'remembered' ? ' (probed earlier; `jury probe` probes again)' : ''}: verdicts as ${chosen}`);
      if (judge.config.score_mode === 'logprob' && !capabilities.logprobs) notes.push(`warning: judge ${id} has score_mode: logprob, but its endpoint returns no logprobs: its verdicts will ${judge.config.logprob_fallback === 'sampled' ? 'fall back to the score written' : 'fail'}`);
      if (chosen === 'none') notes.push(`warning: judge ${id}'s endpoint enforces no structured output: its verdicts are read from plain text, and more of them may fail to parse`);
    }
    panel.set(id, { ...judge, config: { ...judge.config, structured_output: chosen as JudgeConfig['structured_output'] } });
  }
  return notes;
}

/** How long a probe is trusted: a server upgraded since may honour more (or less). */
const PROBE_TTL_MS = 24 * 60 * 60 * 1000;
const ENDPOINTS_FORMAT = { format: 'jury.endpoints', version: 1 } as const;
type Remembered = Record<string, { probed_at: string; capabilities: Capabilities }>;

/**
 * Probed endpoints remembered in the cache folder (`endpoints.json`), by base_url and model. Kept with --no-cache
 * too: what a server honours is not a cached reply.
 */
export function endpointMemory(cacheDir: string | undefined, now = () => Date.now()): NonNullable<SetupContext['endpoints']> {
  const file = cacheDir ? path.join(cacheDir, 'endpoints.json') : undefined;
  let entries: Remembered = {};
  if (file) {
    try {
      const read = JSON.parse(readFileSync(file, 'utf8')) as { format?: string; version?: number; endpoints?: Remembered };
      if (read.format === ENDPOINTS_FORMAT.format && read.version === ENDPOINTS_FORMAT.version && read.endpoints) entries = read.endpoints;
    } catch {
      // Missing or unreadable: probe again.
    }
  }
  return {
    get(key) {
      const entry = entries[key];
      if (!entry || !(now() - Date.parse(entry.probed_at) < PROBE_TTL_MS)) return undefined;
      return entry.capabilities;
    },
    set(key, capabilities) {
      entries = { ...entries, [key]: { probed_at: new Date(now()).toISOString(), capabilities } };
      if (!file) return;
      mkdirSync(path.dirname(file), { recursive: true });
      writeJson(file, { ...ENDPOINTS_FORMAT, endpoints: entries });
    },
  };
}
