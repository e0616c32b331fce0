import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import type { Config, JudgeConfig } from '../config/config.js';
import { InputError } from '../diagnostics/diagnostic.js';
import type { EventSink } from '../engine/events.js';
import { priceOf } from '../judges/prices.js';
import type { RunInputs } from './inputs.js';

// `jury run`'s checks before judging: the run folder (made, reused, refused) and a budget it can keep.

/**
 * A budget can only stop what it can price: a judge whose model is not in the price table (a new model, or a
 * local server that may be a proxy to a paid API) would spend without ever counting. Refused up front.
 */
export function refuseUnpricedBudget(config: Config, judges: readonly JudgeConfig[], locate: RunInputs['locate']): void {
  const unpriced = judges.map((j, index) => ({ j, index })).filter(({ j }) => priceOf(j).source === 'unknown');
  if (unpriced.length === 0) return;
  throw new InputError(unpriced.map(({ j, index }) => ({
    code: 'usage/invalid', severity: 'error', file: config.file, ...(locate(['judges', index]) ?? {}), path: ['judges', index],
    message: `--max-cost cannot limit judge \`${j.id}\`: the price of model ${j.model} is unknown to jury`,
    expected: 'a `price: { input, output }` (dollars per million tokens) on the judge; 0 for a free local model',
  })));
}

/** The run folder, or a clear input error: --out naming a file, a read-only folder, a full disk. */
export function makeRunFolder(dir: string): void {
  try {
    // One level at a time from the nearest folder that exists: Node's recursive mkdir spins forever under
    // /proc (ENOENT from a parent that exists), and a run must fail there, not hang.
    const missing: string[] = [];
    for (let at = dir; !existsSync(at); at = path.dirname(at)) missing.unshift(at);
    for (const folder of missing) mkdirSync(folder);
    if (!statSync(dir).isDirectory()) throw Object.assign(new Error(`${dir} is a file`), { code: 'ENOTDIR' });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    // Node's words start with the code ("ENOENT: no such file or directory, mkdir …"): the part before the path.
    const words = (error as Error).message.split(',')[0] ?? code;
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: dir, path: [], message: `cannot create the run folder (${words.startsWith(code) ? words : `${code}: ${words}`})`, expected: 'a writable folder for --out (the run folder is <out>/<label>)' }]);
  }
}

/**
 * A fresh run into a folder that already holds one: an interrupted run's journal holds verdicts that were paid
 * for, so it is refused with the command that finishes it; a finished run is replaced, and that is said.
 */
export function checkFreshFolder(dir: string, configPath: string, onEvent?: EventSink): void {
  if (!existsSync(path.join(dir, 'verdicts.jsonl'))) return;
  const report = path.join(dir, 'report.json');
  const finished = existsSync(report) && !/\n {2}"incomplete": \{/.test(readFileSync(report, 'utf8'));
  if (finished) {
    onEvent?.({ type: 'note', message: `replacing the previous run in ${dir}` });
    return;
  }
  const config = configPath === 'jury.yaml' ? '' : ` -c ${configPath}`;
  throw new InputError([{
    code: 'run/locked', severity: 'error', file: dir, path: [],
    message: 'this run folder holds an interrupted run whose journal keeps verdicts already paid for; a fresh run would throw them away',
    hint: `finish it with: jury run${config} --resume ${dir} — or give another --label, or delete the folder to start over`,
  }]);
}

/** What writeAtomic leaves behind when killed between writing and renaming. */
const ORPHAN_WRITE = /^\.(report|run)\.json\.\d+\.tmp$/;

/** Removes what a killed run left in the folder (it is locked: none of it is in use): spools and temporary writes. */
export function removeLeftovers(dir: string, spoolPrefix: string): void {
  for (const name of readdirSync(dir)) if (name.startsWith(spoolPrefix) || ORPHAN_WRITE.test(name)) rmSync(path.join(dir, name), { force: true });
}
