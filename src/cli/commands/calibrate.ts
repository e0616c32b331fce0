import { Command, Option } from 'commander';
import { glob } from 'tinyglobby';
import type { CliContext } from '../context.js';
import { numberIn, wholeFromZero } from './flag-parsers.js';

interface Flags {
  labels: string[];
  transcripts?: string[];
  compare?: string;
  seed: number;
  resamples: number;
  consensus?: 'majority' | 'median' | 'dawid-skene';
  format: 'table' | 'md' | 'json';
}

export function calibrateCommand(context: CliContext): Command {
  return new Command('calibrate')
    .description('audit the judges against human labels: agreement, bias, the human-human ceiling, and advice')
    .argument('<report>', 'report.json of a run over labelled items')
    .option('--labels <file...>', 'labels files: CSV or JSONL with item,criterion,annotator,score', [])
    .option('--transcripts <glob...>', 'transcripts whose `labels` to use')
    .option('--compare <report>', 'a second report over the same items (e.g. another rubric version): which agrees better with people')
    .option('--seed <n>', 'bootstrap seed', wholeFromZero, 1)
    .option('--resamples <n>', 'bootstrap resamples for every interval (BCa)', numberIn({ min: 100, max: 100_000, integer: true }), 1000)
    .addOption(new Option('--consensus <method>', 'the human reference per unit: majority, median (ordinal scales) or dawid-skene; ties are left out and counted (default: median, or the most frequent label)').choices(['majority', 'median', 'dawid-skene']))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .action(async (reportPath: string, flags: Flags) => {
      const { calibrateReport } = await import('../../api.js');
      const { renderCalibration } = await import('../../render/calibration.js');
      const transcripts = flags.transcripts ? await glob(flags.transcripts, { absolute: true }) : [];
      const { calibration, comparison, warnings } = await calibrateReport({ reportPath, labels: flags.labels, transcripts, compare: flags.compare, seed: flags.seed, resamples: flags.resamples, consensus: flags.consensus });
      context.stdout.write(renderCalibration(calibration, flags.format, comparison, warnings));
    });
}
