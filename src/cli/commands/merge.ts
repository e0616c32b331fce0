import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { pairwiseSides } from './flag-parsers.js';

export function mergeCommand(context: CliContext): Command {
  return new Command('merge')
    .description('join the shards of one run (jury run --shard i/n) into the report the whole run would have written')
    .argument('<dirs...>', 'the shard run folders')
    .option('-c, --config <file>', 'the config the shards ran with', 'jury.yaml')
    .option('-o, --out <dir>', "folder that receives <label>/ (default: the config's output)")
    .option('--pairwise <base-and-candidate...>', 'the two datasets the shards compared, as given to jury run --pairwise')
    .action(async (dirs: string[], flags: { config: string; out?: string; pairwise?: string[] }) => {
      const { mergeShards } = await import('../../api.js');
      const { renderSummary } = await import('../../render/table.js');
      const { report, dir } = await mergeShards({ dirs, configPath: flags.config, outDir: flags.out, ...(flags.pairwise ? { pairwise: pairwiseSides(flags.pairwise) } : {}) });
      context.stdout.write(`${renderSummary(report)}\n\nreport: ${dir}/report.json\n`);
      // A shard stopped half-way (Ctrl-C, kill -9) merges into a partial report: say so, as the report does.
      if (report.incomplete) context.stderr.write(`jury: the merged report is INCOMPLETE: ${report.incomplete.missing_verdicts} verdicts are missing from the shards (a shard was interrupted); ${report.incomplete.resume}. Gates fail on it unless --allow-incomplete.\n`);
    });
}
