import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { emitGate } from '../print/gate-outputs.js';
import { drawProgress } from '../print/progress.js';
import { gateOverrides, withGateFlags, type GateFlags } from './gate-flags.js';

interface RunFlags extends GateFlags {
  gate?: boolean;
  config: string;
  out?: string;
  label?: string;
  mock?: boolean;
  resume?: string;
  dataset?: string[];
  cache: boolean;
}

export function runCommand(context: CliContext): Command {
  return withGateFlags(new Command('run')
    .description('judge every transcript on every criterion with the panel, and write the report')
    .option('-c, --config <file>', 'config file', 'jury.yaml')
    .option('-o, --out <dir>', 'folder that receives the run folder <label>/ (default: the config\'s `output`)')
    .option('-l, --label <name>', 'name of this run and of its folder (default: the config\'s `label`, else "latest")')
    .option('--mock', 'replace every judge with a deterministic mock judge of the same id (simulated scores)')
    .option('--dataset <glob...>', "judge these transcripts instead of the config's `datasets` (globs relative to the current folder)")
    .option('--resume <dir>', 'finish an interrupted run in <dir> without asking again for journaled verdicts')
    .option('--no-cache', 'neither read nor write the reply cache: every verdict is asked of the model')
    .option('--gate', 'check the quality gates of jury.yaml (and flags) on the new report; exit 1 when one fails'))
    .action(async (flags: RunFlags) => {
      const { runEval } = await import('../../api.js');
      const { renderSummary } = await import('../../render/table.js');
      const outcome = await runEval({
        configPath: flags.config,
        outDir: flags.out,
        label: flags.label,
        mock: flags.mock,
        resume: flags.resume,
        datasets: flags.dataset,
        cache: flags.cache,
        env: context.env,
        onEvent: drawProgress(context.stderr),
        signal: context.signal,
      });
      context.stdout.write(`${renderSummary(outcome.report)}\n\nreport: ${outcome.dir}/report.json\n`);
      if (flags.gate || flags.junit) {
        const { evaluateRunGates } = await import('../../api.js');
        const result = await evaluateRunGates(flags.config, outcome.report, gateOverrides(flags), flags.baseline);
        emitGate(result, outcome.report.run.label, context, flags.junit);
      }
    });
}
