import { Command, InvalidArgumentError, Option } from 'commander';
import type { VoteColumns } from '../../ratings/votes.js';
import type { CliContext } from '../context.js';
import { numberIn, wholeFromZero } from './flag-parsers.js';

interface Flags {
  columns?: VoteColumns;
  seed: number;
  resamples: number;
  eloK: number;
  eloInitial: number;
  eloOrder: 'file' | 'shuffled';
  prior: number;
  cluster?: string;
  criterion?: string;
  format: 'table' | 'md' | 'json';
}

function columnList(value: string): VoteColumns {
  const names = value.split(',').map((v) => v.trim());
  if (names.length !== 3 || names.some((n) => n === '') || new Set(names).size !== 3) throw new InvalidArgumentError(`${value}: three different column names, first system, second system, verdict (e.g. crs1,crs2,vote)`);
  return { a: names[0]!, b: names[1]!, winner: names[2]! };
}

export function rankCommand(context: CliContext): Command {
  return new Command('rank')
    .description('rank systems from pairwise votes: Bradley–Terry with ties (bootstrap intervals of ratings and ranks) beside online Elo')
    .argument('<votes...>', 'vote files (CSV or JSONL: a, b, winner; model_a, model_b, winner; system_a, system_b, winner; crs1, crs2, vote), or report.json files of pairwise runs (jury run --pairwise), read in order')
    .option('--columns <a,b,winner>', 'the columns holding the first system, the second and the verdict (a system name, a/b or tie)', columnList)
    .option('--seed <n>', 'bootstrap seed (and the shuffle of --elo-order shuffled)', wholeFromZero, 1)
    .option('--resamples <n>', 'bootstrap resamples of the battles', numberIn({ min: 100, integer: true }), 1000)
    .option('--prior <n>', 'pseudo-battles each system wins and loses against an average one, so a fit exists when some systems never won (0.5: PlackettLuce\'s default)', numberIn({ min: 0 }), 0)
    .option('--criterion <name>', 'pairwise reports: rank on this criterion (rubric/criterion or its id) instead of on every criterion')
    .option('--cluster <column>', 'resample whole groups of votes (e.g. question_id: votes on one question move together)')
    .option('--elo-k <k>', 'Elo: the most one battle moves a rating', numberIn({ min: 0, minExclusive: true }), 16)
    .option('--elo-initial <rating>', 'Elo: every rating before its first battle', numberIn({}), 1000)
    .addOption(new Option('--elo-order <order>', 'Elo: battles in file order, or shuffled with the seed').choices(['file', 'shuffled']).default('file'))
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'md', 'json']).default('table'))
    .action(async (files: string[], flags: Flags) => {
      const { rank } = await import('../../api.js');
      const { renderRank } = await import('../../render/rank.js');
      const result = await rank({ files, columns: flags.columns, seed: flags.seed, resamples: flags.resamples, elo: { k: flags.eloK, initial: flags.eloInitial }, eloOrder: flags.eloOrder, prior: flags.prior, cluster: flags.cluster, criterion: flags.criterion });
      context.stdout.write(renderRank(result, flags.format));
    });
}
