import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { numberIn, wholeFromZero } from './flag-parsers.js';

interface Flags {
  criteria?: string[];
  labels?: string[];
  seed: number;
  resamples: number;
  format: 'table' | 'md' | 'json';
}

export function biasCommand(context: CliContext): Command {
  return new Command('bias')
    .description("audit a report's judges: scale use, leniency against the rest of the panel, agreement with themselves across samples, and preference for their own model family")
    .argument('<report>', 'report.json of a run')
    .option('--criteria <criterion...>', 'criteria to audit (rubric/criterion or an id; default: every criterion)')
    .option('--labels <file...>', "pairwise reports: people's votes by side (as for calibrate), to compare the judges' preference for the longer conversation with theirs")
    .option('--seed <n>', 'bootstrap seed; the same seed gives the same intervals', wholeFromZero, 1)
    .option('--resamples <n>', 'bootstrap resamples', numberIn({ min: 100, integer: true }), 1000)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .action(async (reportPath: string, flags: Flags) => {
      const { bias } = await import('../../api.js');
      const { renderBias } = await import('../../render/bias.js');
      context.stdout.write(renderBias(await bias({ reportPath, criteria: flags.criteria, labels: flags.labels, seed: flags.seed, resamples: flags.resamples }), flags.format));
    });
}
