import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { numberIn, probability, wholeFromOne, wholeFromZero } from './flag-parsers.js';

interface Flags {
  baseline?: string;
  effect?: number;
  criteria?: string[];
  primary?: string[];
  family?: number;
  significance: number;
  power: number;
  simulations: number;
  seed: number;
  format: 'table' | 'md' | 'json';
}

export function powerCommand(context: CliContext): Command {
  return new Command('power')
    .description('how many conversations a decision needs: the smallest drop each criterion detects, and the items a chosen drop needs')
    .argument('<report>', 'report.json whose noise to learn from (its judges; or, with --baseline, the paired differences of the two)')
    .option('--baseline <report>', 'a second report of the same items (ideally the same agent run twice): learn the noise from the paired differences')
    .option('--effect <x>', 'a drop to plan for: how many items detect it', numberIn({ min: 0, minExclusive: true }))
    .option('--criteria <criterion...>', 'criteria to report on (rubric/criterion or an id; default: every numeric criterion)')
    .option('--primary <criterion...>', 'criteria gated as their own Holm family (the family is then their number)')
    .option('--family <n>', 'tests in the Holm family (default: the primary criteria, else every numeric criterion)', wholeFromOne)
    .option('--significance <x>', 'family-wise significance level', probability, 0.05)
    .option('--power <x>', 'the power wanted', numberIn({ min: 0.5, max: 0.99 }), 0.8)
    .option('--simulations <n>', 'simulated studies per point (more: steadier, slower)', numberIn({ min: 100, max: 100_000, integer: true }), 400)
    .option('--seed <n>', 'simulation seed; the same seed gives the same answer', wholeFromZero, 1)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .action(async (reportPath: string, flags: Flags) => {
      const { power } = await import('../../api.js');
      const { renderPower } = await import('../../render/power.js');
      const result = await power({ reportPath, baselinePath: flags.baseline, effect: flags.effect, criteria: flags.criteria, primary: flags.primary, family: flags.family, significance: flags.significance, power: flags.power, simulations: flags.simulations, seed: flags.seed });
      context.stdout.write(renderPower(result, flags.format));
    });
}
