import { Command, Option } from 'commander';
import type { CliContext } from '../context.js';
import { numberIn, share, wholeFromZero } from './flag-parsers.js';

interface Flags {
  gold?: string[];
  report?: string;
  criterion?: string;
  minGoldAccuracy: number;
  start: 'majority' | 'shares';
  seed: number;
  resamples: number;
  format: 'table' | 'md' | 'json';
}

export function annotatorsCommand(context: CliContext): Command {
  return new Command('annotators')
    .description('audit the people who labelled: agreement with the others, bias, gold accuracy, contested items, and a Dawid–Skene consensus')
    .argument('<labels...>', 'labels files: CSV or JSONL with item,criterion,annotator,score')
    .option('--gold <file...>', 'reference answers: item,criterion,score (annotator optional); labels marked gold or adjudicated count too')
    .option('--report <report>', "a report whose judges join the people as annotators (judge:<id>), audited on the same footing; its rubrics give the scales")
    .option('--criterion <id>', 'only this criterion')
    .option('--min-gold-accuracy <share>', "flag an annotator whose gold accuracy's 95% interval lies wholly below this", share, 0.7)
    .addOption(new Option('--start <start>', "Dawid–Skene's starting point: each item's majority vote (ties split), or its vote shares (the 1979 paper's)").choices(['majority', 'shares']).default('majority'))
    .option('--seed <n>', 'bootstrap seed', wholeFromZero, 1)
    .option('--resamples <n>', 'bootstrap resamples', numberIn({ min: 100, integer: true }), 1000)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .action(async (labels: string[], flags: Flags) => {
      const { auditAnnotators } = await import('../../api.js');
      const { renderAnnotators } = await import('../../render/annotators.js');
      const audit = await auditAnnotators({ labels, gold: flags.gold, report: flags.report, criterion: flags.criterion, minGoldAccuracy: flags.minGoldAccuracy, start: flags.start, seed: flags.seed, resamples: flags.resamples });
      context.stdout.write(renderAnnotators(audit, flags.format));
    });
}
