import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { nonNegative, probability, sliceKey } from './flag-parsers.js';

export function diffCommand(context: CliContext): Command {
  return new Command('diff')
    .description('compare two reports of the same scenarios: what changed, by how much, and whether it is signal or noise')
    .argument('<base>', 'base report.json (e.g. the current agent)')
    .argument('<candidate>', 'candidate report.json (e.g. the new agent)')
    .option('--min-drop <x>', 'list items whose panel score dropped by at least this much', nonNegative, 1)
    .option('--significance <x>', 'family-wise significance level after Holm correction', probability, 0.05)
    .option('--strict', 'refuse reports made with different rubric versions or judges')
    .option('--by <key>', 'also compare within each slice of a metadata key, e.g. metadata.genre (repeatable; Holm-corrected per key)', sliceKey)
    .option('--primary <criterion...>', 'criteria tested as their own, smaller Holm family (more sensitive; the rest form a second family)')
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .action(async (basePath: string, candidatePath: string, flags: { minDrop: number; significance: number; strict?: boolean; by?: string[]; primary?: string[]; format: 'table' | 'md' | 'json' }) => {
      const { diff } = await import('../../api.js');
      const { renderDiff } = await import('../../render/diff.js');
      const result = await diff({ basePath, candidatePath, minDrop: flags.minDrop, significance: flags.significance, strict: flags.strict, by: flags.by, primary: flags.primary });
      context.stdout.write(renderDiff(result, flags.format));
    });
}
