import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { drawProgress } from '../print/progress.js';

interface RunFlags {
  config: string;
  out?: string;
  label?: string;
  mock?: boolean;
  resume?: string;
  cache: boolean;
}

export function runCommand(context: CliContext): Command {
  return new Command('run')
    .description('judge every transcript on every criterion with the panel, and write the report')
    .option('-c, --config <file>', 'config file', 'jury.yaml')
    .option('-o, --out <dir>', 'folder that receives the run folder <label>/ (default: the config\'s `output`)')
    .option('-l, --label <name>', 'name of this run and of its folder (default: the config\'s `label`, else "latest")')
    .option('--mock', 'replace every judge with a deterministic mock judge of the same id (simulated scores)')
    .option('--resume <dir>', 'finish an interrupted run in <dir> without asking again for journaled verdicts')
    .option('--no-cache', 'neither read nor write the reply cache: every verdict is asked of the model')
    .action(async (flags: RunFlags) => {
      const { runEval } = await import('../../api.js');
      const { renderSummary } = await import('../../render/table.js');
      const outcome = await runEval({
        configPath: flags.config,
        outDir: flags.out,
        label: flags.label,
        mock: flags.mock,
        resume: flags.resume,
        cache: flags.cache,
        env: context.env,
        onEvent: drawProgress(context.stderr),
        signal: context.signal,
      });
      context.stdout.write(`${renderSummary(outcome.report)}\n\nreport: ${outcome.dir}/report.json\n`);
    });
}
