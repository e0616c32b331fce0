import { createHash } from 'node:crypto';
import { createReadStream, statSync } from 'node:fs';
import path from 'node:path';
import type { Config, JudgeConfig, ModelFile } from '../config/config.js';
import { InputError } from '../diagnostics/diagnostic.js';
import type { Location } from '../diagnostics/source.js';
import type { PanelJudge } from '../engine/run-plan.js';
import { SetupError, type JudgeSetup } from '../judges/provider.js';

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
export async function prepareJudges(panel: ReadonlyMap<string, PanelJudge>, config: Pick<Config, 'file' | 'judges'>, locate: (path: (string | number)[]) => Location | undefined): Promise<Record<string, JudgeSetup>> {
  const entries = [...panel.entries()].filter(([, judge]) => judge.provider.prepare);
  const settled = await Promise.allSettled(entries.map(([, judge]) => judge.provider.prepare!()));
  const setups: Record<string, JudgeSetup> = {};
  const failed: { id: string; error: SetupError }[] = [];
  settled.forEach((result, i) => {
    const id = entries[i]![0];
    if (result.status === 'fulfilled') setups[id] = { ...(panel.get(id)!.config.model_file ? { model_file: { ...panel.get(id)!.config.model_file } } : {}), ...result.value };
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
