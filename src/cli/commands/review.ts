import { Command } from 'commander';
import type { CliContext } from '../context.js';
import { share, wholeFromOne, wholeFromZero } from './flag-parsers.js';

export function reviewCommand(context: CliContext): Command {
  const review = new Command('review').description('send the units most worth a person\'s time to review, and bring the labels back');
  review
    .command('export')
    .description('write the most disputed units, the largest judge–human gaps and a random audit sample for people to label')
    .argument('<report>', 'report.json')
    .requiredOption('-o, --out <file>', 'review file: .csv, .jsonl, or .json for Label Studio')
    .option('-c, --config <file>', 'config whose datasets and rubrics the report was made from', 'jury.yaml')
    .option('--labels <file...>', 'human labels (default: labels inside the transcripts)')
    .option('--dataset <glob...>', "the transcripts the report was made from, if not the config's datasets")
    .option('--top <n>', 'most disputed units, and largest judge–human gaps, to include (0: none)', wholeFromZero, 20)
    .option('--audit <share>', 'share of all units drawn at random as an audit sample, per criterion', share, 0.05)
    .option('--seed <n>', 'seed of the audit sample', wholeFromZero, 1)
    .option('--uncertain <n>', "the units whose Dawid–Skene consensus of the people's labels is least certain, for adjudication", wholeFromOne)
    .exitOverride()
    .action(async (reportPath: string, flags: { out: string; config: string; labels?: string[]; dataset?: string[]; top: number; audit: number; seed: number; uncertain?: number }) => {
      const { reviewExport } = await import('../../api.js');
      const result = await reviewExport({ reportPath, configPath: flags.config, labels: flags.labels, datasets: flags.dataset, out: flags.out, top: flags.top, audit: flags.audit, seed: flags.seed, uncertain: flags.uncertain });
      for (const w of result.warnings) context.stdout.write(`WARNING: ${w}\n`);
      context.stdout.write(`wrote ${result.rows} units to ${flags.out} (${Object.entries(result.reasons).map(([r, n]) => `${r}: ${n}`).join(', ')})\n`);
    });
  review
    .command('import')
    .description('add completed labels to a labels file: checked against the scale, conflicts refused, written atomically')
    .argument('<file>', 'completed review file (.csv, .jsonl, or a Label Studio .json export)')
    .requiredOption('--labels <file>', 'labels file to update (.csv or .jsonl)')
    .option('--annotator <name>', 'annotator for rows that do not name one')
    .option('--overwrite', "replace an annotator's earlier score for the same unit instead of refusing")
    .option('--adjudicated', "record these labels as adjudicated: each is its unit's final answer, kept apart from the votes (a second, different one is a conflict)")
    .exitOverride()
    .action(async (file: string, flags: { labels: string; annotator?: string; overwrite?: boolean; adjudicated?: boolean }) => {
      const { reviewImport } = await import('../../api.js');
      const result = await reviewImport({ file, labelsPath: flags.labels, annotator: flags.annotator, overwrite: flags.overwrite, adjudicated: flags.adjudicated });
      context.stdout.write(`${flags.labels}: ${result.added} labels added, ${result.unchanged} already there, ${result.skipped} rows left blank\n`);
    });
  return review;
}
