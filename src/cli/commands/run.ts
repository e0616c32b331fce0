import { Command, InvalidArgumentError, Option } from 'commander';
import path from 'node:path';
import type { CliContext } from '../context.js';
import { InputError } from '../../diagnostics/diagnostic.js';
import { emitGate } from '../print/gate-outputs.js';
import { drawProgress } from '../print/progress.js';
import { gateOverrides, wantsGate, withGateFlags, type GateFlags } from './gate-flags.js';
import { dollars, numberIn, pairwiseSides, runLabel, seconds } from './flag-parsers.js';

function parseShard(value: string): { index: number; count: number } {
  const match = /^(\d+)\/(\d+)$/.exec(value);
  const index = Number(match?.[1]);
  const count = Number(match?.[2]);
  if (!match || count < 1 || index < 1 || index > count) throw new InvalidArgumentError('expected i/n with 1 ≤ i ≤ n, e.g. 2/4');
  return { index, count };
}

/** How long calls in flight may take to finish after the first Ctrl-C. */
const GRACE_MS = 20_000;

interface RunFlags extends GateFlags {
  gate?: boolean;
  config: string;
  out?: string;
  label?: string;
  mock?: boolean;
  resume?: string;
  dataset?: string[];
  pairwise?: string[];
  shard?: { index: number; count: number };
  dryRun?: boolean;
  batch?: boolean;
  batchPoll: number;
  maxCost?: number;
  cache: boolean;
  html?: boolean;
  wide?: boolean;
  workers?: number;
  workerShare?: number;
}

/** `--pairwise` and `--dataset` both name what is judged: one or the other. */
function runPairwise(flags: Pick<RunFlags, 'pairwise' | 'dataset'>): { base: string; candidate: string } | undefined {
  if (!flags.pairwise) return undefined;
  if (flags.dataset) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: '--pairwise', path: [], message: '--pairwise names the datasets itself, so --dataset has nothing to replace', expected: 'one of --pairwise and --dataset' }]);
  return pairwiseSides(flags.pairwise);
}

export function runCommand(context: CliContext): Command {
  return withGateFlags(new Command('run')
    .description('judge every transcript on every criterion with the panel, and write the report')
    .option('-c, --config <file>', 'config file', 'jury.yaml')
    .option('-o, --out <dir>', 'folder that receives the run folder <label>/ (default: the config\'s `output`)')
    .option('-l, --label <name>', 'name of this run and of its folder (default: the config\'s `label`, else "latest")', runLabel)
    .option('--mock', 'replace every judge with a deterministic mock judge of the same id (simulated scores)')
    .option('--dataset <glob...>', "judge these transcripts instead of the config's `datasets` (globs relative to the current folder)")
    .option('--pairwise <base-and-candidate...>', 'two datasets, base then candidate: compare them of the same scenarios (matched by transcript id): each criterion asks which conversation is better, in both orders')
    .option('--batch', "send the calls through the providers' batch APIs (OpenAI Batch, Anthropic Message Batches) first; resumable")
    .option('--batch-poll <seconds>', 'seconds between polls of a batch', seconds, 10)
    .option('--dry-run', 'show the calls, tokens and dollars a run would spend, and the cache hits, without calling anything')
    .option('--max-cost <usd>', 'stop scheduling once this many dollars are spent (resumable; exit 3)', dollars)
    .option('--shard <i/n>', 'judge only shard i of n (a deterministic split of the items); join them with jury merge', parseShard)
    .option('--resume <dir>', 'finish an interrupted run in <dir> without asking again for journaled verdicts')
    .option('--no-cache', 'neither read nor write the reply cache: every verdict is asked of the model')
    .option('--gate', 'check the quality gates of jury.yaml (and flags) on the new report; exit 1 when one fails')
    .option('--html', 'also write report.html beside report.json (jury view), with the diff when --baseline is given')
    .option('--wide', "print the summary table whole, however wide the terminal (by default it folds to the terminal's width)")
    .option('--workers <n>', 'split the run across n worker processes (shards with their own journals, merged into the one report; each takes 1/n of the limits)', numberIn({ min: 2, max: 256, integer: true }))
    .addOption(new Option('--worker-share <n>', 'internal: this run is one of n workers').argParser(numberIn({ min: 2, max: 256, integer: true })).hideHelp())
    .addHelpText('after', '\nExamples:\n  jury run --mock                       # the whole pipeline with simulated judges, no keys\n  jury run --dry-run                    # calls, tokens and dollars, nothing sent\n  jury run --mock --pairwise datasets/music-recs/v1.jsonl datasets/music-recs/v2.jsonl   # v2 against v1, head to head\n  jury run --gate --baseline reports/main/report.json --html'))
    .action(async (flags: RunFlags) => {
      const { runEval } = await import('../../api.js');
      const { renderSummary } = await import('../../render/table.js');
      if (flags.dryRun) {
        const { dryRun } = await import('../../api.js');
        const { renderDryRun } = await import('../../render/cost.js');
        const plan = await dryRun({ configPath: flags.config, mock: flags.mock, datasets: flags.dataset, pairwise: runPairwise(flags), shard: flags.shard, cache: flags.cache, env: context.env });
        context.stdout.write(renderDryRun(plan.judges, plan.pricesTaken, plan.notes));
        return;
      }
      if (flags.workers) return runWithWorkers(flags, context);
      const stop = new AbortController();
      const hard = new AbortController();
      let interrupts = 0;
      // First Ctrl-C (or SIGTERM / SIGHUP, what Docker, Kubernetes and CI runners send): no new calls, the ones in
      // flight may finish (for at most GRACE_MS), a partial report is written. Second: leave at once; the
      // journal already holds every verdict obtained.
      const onSignal = (signal: NodeJS.Signals) => {
        interrupts++;
        if (interrupts === 1) {
          context.interrupted = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
          context.stderr.write(`\njury: stopping: no new calls; waiting for the calls in flight (${signal}; Ctrl-C again to quit at once)\n`);
          stop.abort();
          setTimeout(() => hard.abort(), GRACE_MS).unref();
        } else {
          context.stderr.write('jury: quitting now; the journal holds every verdict obtained so far\n');
          process.exit(context.interrupted ?? 130);
        }
      };
      const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
      for (const signal of signals) process.on(signal, onSignal);
      // What prints the summary is loaded while the run waits on the network, not after its last reply.
      const printing = Promise.all([import('../../render/cost.js'), import('../../render/setup.js')]);
      printing.catch(() => undefined);
      let outcome: Awaited<ReturnType<typeof runEval>>;
      try {
        outcome = await runEval({
          configPath: flags.config,
          outDir: flags.out,
          label: flags.label,
          mock: flags.mock,
          resume: flags.resume,
          datasets: flags.dataset,
          pairwise: runPairwise(flags),
          shard: flags.shard,
          ...(flags.workerShare ? { share: flags.workerShare } : {}),
          maxCost: flags.maxCost,
          batch: flags.batch,
          batchPollSeconds: flags.batchPoll,
          cache: flags.cache,
          env: context.env,
          onEvent: drawProgress(context.stderr, { budgetUsd: flags.maxCost }),
          stop: stop.signal,
          signal: hard.signal,
        });
      } finally {
        for (const signal of signals) process.off(signal, onSignal);
      }
      if (!outcome.complete) {
        context.interrupted ||= 130;
        context.stderr.write(`jury: interrupted; the partial report is marked incomplete (${outcome.report.incomplete?.missing_verdicts ?? 0} verdicts missing). Finish it with: jury run${flags.config === 'jury.yaml' ? '' : ` -c ${flags.config}`} --resume ${outcome.dir}\n`);
      }
      const [{ renderCost }, { renderSetups }] = await printing;
      // The terminal's width (or $COLUMNS): the table folds to it unless --wide; piped output is never folded.
      const columns = (context.stdout as { columns?: number }).columns ?? (Number(context.env.COLUMNS) || undefined);
      const width = flags.wide ? undefined : columns;
      context.stdout.write(`${renderSummary(outcome.report, width ? { width } : {})}\n\n${renderCost(outcome.cost)}\n${renderSetups(outcome.setups)}report: ${outcome.dir}/report.json\n`);
      await afterRun(flags, context, outcome.dir, outcome.report.run.label, outcome.slices);
    });
}

/** What follows a run's summary: the HTML page, the slices, the gates. */
async function afterRun(flags: RunFlags, context: CliContext, dir: string, label: string, slices: string[] | undefined): Promise<void> {
  if (flags.html) {
    const { viewReport } = await import('../../api.js');
    const view = await viewReport({ reportPath: path.join(dir, 'report.json'), baselinePath: flags.baseline, configPath: flags.config, datasets: flags.dataset });
    for (const note of view.notes) context.stderr.write(`jury: note: ${note}\n`);
    context.stdout.write(`html: ${view.file}\n`);
  }
  const keys = flags.by ?? slices;
  if (keys?.length) {
    const { sliceReport } = await import('../../api.js');
    const { renderSlices } = await import('../../render/slices.js');
    context.stdout.write(`\n${renderSlices(await sliceReport(path.join(dir, 'report.json'), keys))}\n`);
  }
  if (wantsGate(flags)) {
    const { evaluateRunGates } = await import('../../api.js');
    const result = await evaluateRunGates(flags.config, path.join(dir, 'report.json'), gateOverrides(flags), flags.baseline, { allowIncomplete: flags.allowIncomplete, allowSimulated: flags.allowSimulated, by: flags.by });
    emitGate(result, label, context, flags.junit);
  }
}

/** `--workers n`: the run as n shard processes, merged into the one report; then the same summary and checks. */
async function runWithWorkers(flags: RunFlags, context: CliContext): Promise<void> {
  const refused = (['resume', 'shard', 'batch', 'pairwise'] as const).find((f) => flags[f] !== undefined && flags[f] !== false);
  if (refused) throw new InputError([{ code: 'usage/invalid', severity: 'error', file: `--${refused}`, path: [], message: `--workers cannot be combined with --${refused}`, expected: refused === 'resume' ? 'the same --workers command again: it resumes each worker\'s shard folder' : '--workers alone, or --shard i/n and jury merge' }]);
  const { runWorkers, RunError } = await import('../../api.js');
  const stop = new AbortController();
  const onSignal = (signal: NodeJS.Signals) => {
    context.interrupted = signal === 'SIGINT' ? 130 : signal === 'SIGTERM' ? 143 : 129;
    stop.abort();
  };
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  for (const signal of signals) process.on(signal, onSignal);
  let outcome: Awaited<ReturnType<typeof runWorkers>>;
  try {
    outcome = await runWorkers({
      workers: flags.workers!, bin: process.argv[1]!, configPath: flags.config, outDir: flags.out, label: flags.label, mock: flags.mock, datasets: flags.dataset,
      cache: flags.cache, ...(flags.maxCost === undefined ? {} : { maxCost: flags.maxCost }), env: context.env, stop: stop.signal,
      onLine: (worker, line) => context.stderr.write(`${context.stderr.isTTY ? '\r\u001b[2K' : ''}[worker ${worker}] ${line}\n`),
      ...(context.stderr.isTTY ? { onProgress: (done: number, total: number) => context.stderr.write(`\r\u001b[2Kjury: ${done}/${total} verdicts (${total ? Math.floor((done / total) * 100) : 0}%) across ${flags.workers} workers`) } : {}),
    });
  } finally {
    for (const signal of signals) process.off(signal, onSignal);
    if (context.stderr.isTTY) context.stderr.write('\n');
  }
  const { renderSummary } = await import('../../render/table.js');
  const columns = (context.stdout as { columns?: number }).columns ?? (Number(context.env.COLUMNS) || undefined);
  const width = flags.wide ? undefined : columns;
  context.stdout.write(`${renderSummary(outcome.report, width ? { width } : {})}\n\n${flags.workers} workers: ${outcome.shards.map((d) => path.basename(d)).join(', ')} (each with its own journal)\nreport: ${outcome.dir}/report.json\n`);
  if (outcome.report.incomplete) context.stderr.write(`jury: the report is INCOMPLETE: ${outcome.report.incomplete.missing_verdicts} verdicts missing; run the same command again to finish them\n`);
  await afterRun(flags, context, outcome.dir, outcome.report.run.label, outcome.slices);
  const failed = outcome.codes.map((code, i) => ({ code, i })).filter(({ code }) => code !== 0 && code !== 130 && code !== 143 && code !== 129);
  if (failed.length) throw new RunError(`worker${failed.length === 1 ? '' : 's'} ${failed.map(({ i, code }) => `${i + 1} (exit ${code})`).join(', ')} did not finish; run the same command again to resume`);
  if (outcome.codes.some((code) => code === 130 || code === 143 || code === 129)) context.interrupted ||= 130;
}
