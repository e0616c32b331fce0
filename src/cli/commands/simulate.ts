import { Command } from 'commander';
import path from 'node:path';
import type { SimulateOptions } from '../../api/simulate.js';
import type { CliContext } from '../context.js';
import { dollars, numberIn, runLabel, wholeFromOne } from './flag-parsers.js';

type SimulateFlags = Pick<SimulateOptions, 'label' | 'repeat' | 'concurrency' | 'mock' | 'maxCost' | 'fresh'> & { config: string; cache: boolean; dryRun?: boolean; json?: boolean };

export function simulateCommand(context: CliContext): Command {
  return new Command('simulate')
    .description('let simulated listeners talk to the agent under test; write the conversations as a dataset and their computed metrics as a report')
    .option('-c, --config <file>', 'simulation file (scenarios, listener, agent)', 'simulate.yaml')
    .option('--label <name>', 'the agent version: names the output folder (default: the file\'s `label`)', runLabel)
    .option('--repeat <n>', 'conversations per scenario, each with its own seed', numberIn({ min: 1, max: 100, integer: true }))
    .option('--concurrency <n>', 'conversations in flight at once', wholeFromOne)
    .option('--mock', 'the rule-based mock listener instead of the configured model (no key, no cost)')
    .option('--max-cost <usd>', 'start no paid turn once this many dollars are spent (resumable; exit 3)', dollars)
    .option('--fresh', 'start over instead of resuming the journal')
    .option('--no-cache', "don't read or write the listener's reply cache")
    .option('--dry-run', 'show what would run, without calling anything')
    .option('--json', 'print the summary as JSON')
    .addHelpText('after', '\nWrites <output>/<label>/: transcripts.jsonl (a dataset for jury run, diff and pairwise runs), metrics.json (a\njury report of the computed metrics: jury diff and jury gate read it), summary.json and journal.jsonl.\nA run resumes from its journal; no paid turn is asked twice.\n\nExamples:\n  jury simulate -c datasets/music-sim/simulate.yaml --mock\n  jury simulate -c datasets/music-sim/simulate.yaml --mock --label tempo-v2 --repeat 3\n  jury diff simulations/tempo-v1/metrics.json simulations/tempo-v2/metrics.json')
    .action(async (flags: SimulateFlags) => {
      const { simulate, planSimulation, RunError } = await import('../../api.js');
      const { renderSimulationSummary } = await import('../../render/simulation.js');
      const options = {
        configPath: flags.config, env: context.env, noCache: !flags.cache,
        ...(flags.label ? { label: flags.label } : {}), ...(flags.repeat ? { repeat: flags.repeat } : {}), ...(flags.concurrency ? { concurrency: flags.concurrency } : {}),
        ...(flags.mock ? { mock: true } : {}), ...(flags.maxCost === undefined ? {} : { maxCost: flags.maxCost }), ...(flags.fresh ? { fresh: true } : {}),
      };
      if (flags.dryRun) {
        const plan = await planSimulation(options);
        context.stdout.write(flags.json ? `${JSON.stringify(plan, null, 2)}\n` : `simulation ${plan.label}: ${plan.conversations} conversations (${plan.scenarios} scenarios × ${plan.repeat})\nlistener: ${plan.listener}, at most ${plan.maxListenerCalls} calls${plan.listenerCostBound === null ? ' (price unknown)' : `, at most $${plan.listenerCostBound.toFixed(2)}`}\nagent: ${plan.agent}\nnothing was called (--dry-run)\n`);
        return;
      }
      const tty = context.stderr.isTTY === true;
      const result = await simulate({ ...options, ...(tty ? { onProgress: (p) => context.stderr.write(`\r\u001b[2Ksimulate: ${p.finished}/${p.total} conversations, ${p.turns} turns, $${p.costUsd.toFixed(4)}`) } : {}) });
      if (tty) context.stderr.write('\n');
      const relative = (file: string) => path.relative(process.cwd(), file) || file;
      if (flags.json) context.stdout.write(`${JSON.stringify(result.summary, null, 2)}\n`);
      else {
        context.stdout.write(renderSimulationSummary(result.summary));
        context.stdout.write(`\n${result.finished} of ${result.conversations} conversations finished; cost $${result.costUsd.toFixed(4)}${result.agentCostUnknown ? ' (the agent\'s share unknown: it reports no cost)' : ''}\n`);
        context.stdout.write(`dataset: ${relative(result.files.transcripts)}\nmetrics: ${relative(result.files.metrics)}\nsummary: ${relative(result.files.summary)}\n`);
      }
      for (const f of result.failed) context.stderr.write(`${f.id}: ${f.message}\n`);
      if (result.paused) throw new RunError(`the budget (--max-cost) stopped ${result.paused} conversation${result.paused === 1 ? '' : 's'}; run the same command again to finish them`);
      if (result.failed.length) throw new RunError(`the listener could not answer in ${result.failed.length} conversation${result.failed.length === 1 ? '' : 's'}; run the same command again to resume them`);
    });
}
