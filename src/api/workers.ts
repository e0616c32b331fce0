import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { loadConfig } from '../config/load.js';
import { InputError } from '../diagnostics/diagnostic.js';
import type { Env } from '../engine/panel.js';
import type { ReportHead } from '../report/report.js';
import { mergeShards } from './merge.js';

// `jury run --workers n`: the plan split across n worker processes, each a shard of the run (`--shard i/n`) with its
// own journal, taking 1/n of the run's concurrency and of each judge's limits; joined by `jury merge` into the
// report one process would have written, byte for byte. A many-core machine keeps a fast judge busy this way: one
// Node process spends about a millisecond of CPU per call (docs/performance.md).

export interface WorkersOptions {
  workers: number;
  /** The CLI script to run each worker with (process.argv[1]). */
  bin: string;
  configPath: string;
  outDir?: string;
  label?: string;
  mock?: boolean;
  datasets?: string[];
  cache: boolean;
  maxCost?: number;
  env: Env;
  /** Each worker's stderr lines (notes, errors), with the worker's number; its progress lines go to onProgress. */
  onLine?: (worker: number, line: string) => void;
  /** Verdicts done and planned over all workers, as their progress lines say. */
  onProgress?: (done: number, total: number) => void;
  stop?: AbortSignal;
}

export interface WorkersOutcome {
  report: ReportHead;
  dir: string;
  /** The shard folders, each with its own journal: resumed by the next `--workers` run of the same count. */
  shards: string[];
  /** Exit codes of the workers, by worker. */
  codes: (number | null)[];
  /** The config's `slices`. */
  slices?: string[];
}

/** The run's label and output folder as `jury run` resolves them (a pairwise run names itself: refused here). */
async function runFolder(opts: WorkersOptions): Promise<{ label: string; out: string; slices?: string[] }> {
  const loaded = await loadConfig(opts.configPath, opts.datasets);
  if (!loaded.ok) throw new InputError(loaded.diagnostics);
  const { config } = loaded.value;
  if (config.pairwise) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: opts.configPath, path: ['pairwise'], message: '--workers does not split pairwise runs yet', expected: 'a pointwise run, or --shard i/n and jury merge --pairwise' }]);
  return { label: opts.label ?? config.label ?? 'latest', out: path.resolve(opts.outDir ?? path.resolve(config.dir, config.output)), ...(config.slices ? { slices: config.slices } : {}) };
}

export async function runWorkers(opts: WorkersOptions): Promise<WorkersOutcome> {
  const { label, out, slices } = await runFolder(opts);
  const n = opts.workers;
  const shards = Array.from({ length: n }, (_, i) => path.join(out, `${label}-shard-${i + 1}of${n}`));
  const children: ChildProcess[] = [];
  const progress = shards.map(() => ({ done: 0, total: 0 }));
  const PROGRESS = /^jury: (\d+)\/(\d+) verdicts \(/;
  const line = (worker: number, text: string) => {
    const match = PROGRESS.exec(text);
    if (!match) return opts.onLine?.(worker, text);
    progress[worker - 1] = { done: Number(match[1]), total: Number(match[2]) };
    opts.onProgress?.(progress.reduce((n, p) => n + p.done, 0), progress.reduce((n, p) => n + p.total, 0));
  };
  const running = shards.map((dir, i) => {
    // A shard folder left by an earlier run (interrupted or not) is resumed, never judged again.
    const where = existsSync(path.join(dir, 'verdicts.jsonl')) ? ['--resume', dir] : ['--out', out, '--label', label];
    const args = [
      opts.bin, 'run', '-c', opts.configPath, '--shard', `${i + 1}/${n}`, '--worker-share', String(n), ...where,
      ...(opts.mock ? ['--mock'] : []), ...(opts.cache ? [] : ['--no-cache']), ...(opts.datasets ? ['--dataset', ...opts.datasets] : []),
      ...(opts.maxCost === undefined ? [] : ['--max-cost', String(opts.maxCost / n)]),
    ];
    const child = spawn(process.execPath, args, { env: { ...opts.env } as NodeJS.ProcessEnv, stdio: ['ignore', 'ignore', 'pipe'] });
    children.push(child);
    let rest = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      const lines = (rest + chunk.toString('utf8')).split('\n');
      rest = lines.pop() ?? '';
      for (const text of lines) if (text.trim()) line(i + 1, text);
    });
    return new Promise<number | null>((resolve) => {
      child.on('error', (error) => {
        line(i + 1, `cannot start: ${error.message}`);
        resolve(null);
      });
      child.on('close', (code) => {
        if (rest.trim()) line(i + 1, rest);
        resolve(code);
      });
    });
  });
  // Ctrl-C reaches the workers from the terminal; a stop asked of this process (SIGTERM, SIGHUP) is passed on.
  opts.stop?.addEventListener('abort', () => children.forEach((c) => c.kill('SIGINT')), { once: true });
  const codes = await Promise.all(running);
  const failed = codes.map((code, i) => ({ code, i })).filter(({ code }) => code !== 0 && code !== 130 && code !== 143 && code !== 129);
  // An input error is the same in every worker: said once, with its exit code.
  if (failed.length && failed.every(({ code }) => code === 2)) throw new WorkersError(2, 'the workers refused the run (see the messages above)');
  const unstarted = shards.findIndex((d) => !existsSync(path.join(d, 'verdicts.jsonl')));
  if (unstarted >= 0) throw new WorkersError(codes[unstarted] ?? 3, `worker ${unstarted + 1} stopped before it judged anything (exit code ${codes[unstarted]}); nothing to merge`);
  const merged = await mergeShards({ dirs: shards, configPath: opts.configPath, outDir: out, ...(opts.datasets ? { datasets: opts.datasets } : {}) });
  return { ...merged, shards, codes, ...(slices ? { slices } : {}) };
}

/** A worker failed in a way the merged report cannot make up for. */
export class WorkersError extends Error {
  constructor(readonly code: number, message: string) {
    super(message);
    this.name = 'WorkersError';
  }
}
