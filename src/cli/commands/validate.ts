import { Command } from 'commander';
import type { CliContext } from '../context.js';

export function validateCommand(context: CliContext): Command {
  return new Command('validate')
    .description('check jury.yaml, every rubric and every transcript without calling a model')
    .option('-c, --config <file>', 'config file', 'jury.yaml')
    .action(async (flags: { config: string }) => {
      const { validate } = await import('../../api.js');
      const { inputs, plan } = await validate({ configPath: flags.config });
      const criteria = inputs.rubrics.reduce((n, r) => n + r.criteria.length, 0);
      context.stdout.write(
        `ok: ${inputs.transcripts.length} transcripts, ${inputs.rubrics.length} rubrics (${criteria} criteria), ${inputs.config.judges.length} judges\n` +
          `plan: ${plan.units.length} units to score, ${plan.size} verdicts to ask for\n`,
      );
      const { unreachableConcurrency } = await import('../../config/config.js');
      const concurrency = unreachableConcurrency(inputs.config, inputs.config.judges);
      if (concurrency) context.stdout.write(`note: ${concurrency}\n`);
    });
}
