import path from 'node:path';
import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { pairwiseSides } from './flag-parsers.js';

export function validateCommand(context: CliContext): Command {
  return new Command('validate')
    .description('check jury.yaml, every rubric and every transcript without calling a model')
    .option('-c, --config <file>', 'config file', 'jury.yaml')
    .option('--dataset <glob...>', "check these transcripts against the config instead of its `datasets` (globs relative to the current folder)")
    .option('--pairwise <base-and-candidate...>', 'check two datasets for a pairwise run (base then candidate) instead')
    .addHelpText('after', '\nExamples:\n  jury validate\n  jury validate --dataset "logs/2026-11-*.jsonl.gz"')
    .action(async (flags: { config: string; dataset?: string[]; pairwise?: string[] }) => {
      const { validate } = await import('../../api.js');
      const { inputs, plan, pairs } = await validate({ configPath: flags.config, datasets: flags.dataset, ...(flags.pairwise ? { pairwise: pairwiseSides(flags.pairwise) } : {}) });
      if (pairs) {
        const criteria = inputs.rubrics.reduce((n, r) => n + r.criteria.length, 0);
        context.stdout.write(
          `ok: ${pairs.matched} pairs (${pairs.base.name}: ${pairs.base.transcripts} transcripts, ${pairs.candidate.name}: ${pairs.candidate.transcripts}), ${inputs.rubrics.length} rubrics asked pairwise (${criteria} criteria), ${inputs.config.judges.length} judges\n` +
            `plan: ${plan.units.length} units to judge (each criterion of each pair in each order shown), ${plan.size} verdicts to ask for\n`,
        );
        for (const notice of pairs.notices) context.stdout.write(`note: ${notice}\n`);
        for (const note of inputs.notes) context.stdout.write(`note: ${path.relative(process.cwd(), note.file) || note.file}: ${note.message}\n`);
        return;
      }
      const criteria = inputs.rubrics.reduce((n, r) => n + r.criteria.length, 0);
      const formats = Object.entries(inputs.formats).sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).map(([format, n]) => `${n} ${format}`);
      context.stdout.write(
        `ok: ${inputs.transcripts.length} transcripts (${formats.join(', ')}), ${inputs.rubrics.length} rubrics (${criteria} criteria), ${inputs.config.judges.length} judges\n` +
          `plan: ${plan.units.length} units to score, ${plan.size} verdicts to ask for\n`,
      );
      for (const note of inputs.notes) context.stdout.write(`note: ${path.relative(process.cwd(), note.file) || note.file}: ${note.message}\n`);
      const { unreachableConcurrency } = await import('../../config/config.js');
      const concurrency = unreachableConcurrency(inputs.config, inputs.config.judges);
      if (concurrency) context.stdout.write(`note: ${concurrency}\n`);
    });
}
