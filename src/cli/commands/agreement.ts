import { Command, InvalidArgumentError, Option } from 'commander';
import { didYouMean } from '../../diagnostics/did-you-mean.js';
import { STATISTIC_IDS, type StatisticId } from '../../stats/suite.js';
import type { Level } from '../../stats/types.js';
import type { CliContext } from '../context.js';
import { numberIn, wholeFromZero } from './flag-parsers.js';

interface Flags {
  level: Level;
  stats?: StatisticId[];
  ci?: boolean;
  seed: number;
  resamples: number;
  format: 'table' | 'json' | 'md';
  criterion?: string;
  categories?: (number | string)[];
  interval: 'bca' | 'percentile';
}

/** `1..10` (integers from 1 to 10) or a comma list `low,mid,high` / `0,0.5,1`. */
function categoryList(value: string): (number | string)[] {
  const range = value.match(/^\s*(-?\d+)\s*\.\.\s*(-?\d+)\s*$/);
  if (range) {
    const [from, to] = [Number(range[1]), Number(range[2])];
    if (to <= from || to - from > 1000) throw new InvalidArgumentError(`${value}: a range low..high with low < high (at most 1,001 points), e.g. 1..10`);
    return Array.from({ length: to - from + 1 }, (_, i) => from + i);
  }
  const list = value.split(',').map((v) => v.trim()).filter((v) => v !== '');
  if (list.length < 2 || new Set(list).size !== list.length) throw new InvalidArgumentError(`${value}: two or more distinct categories, comma-separated (e.g. low,mid,high), or a range such as 1..10`);
  return list.map((v) => (Number.isFinite(Number(v)) ? Number(v) : v));
}

function statList(value: string): StatisticId[] {
  return value.split(',').map((raw) => {
    const id = raw.trim();
    if ((STATISTIC_IDS as readonly string[]).includes(id)) return id as StatisticId;
    const near = didYouMean(id, STATISTIC_IDS);
    throw new InvalidArgumentError(`unknown statistic \`${id}\`${near ? `; did you mean \`${near}\`?` : '.'} Known: ${STATISTIC_IDS.join(', ')}.`);
  });
}


export function agreementCommand(context: CliContext): Command {
  return new Command('agreement')
    .description('agreement statistics on a ratings table: CSV (wide, or long item,rater,score) or JSONL')
    .argument('<file>', 'ratings file')
    .addOption(new Option('--level <level>', 'level of measurement').choices(['nominal', 'ordinal', 'interval', 'ratio']).default('ordinal'))
    .option('--stats <ids>', `comma-separated statistics (default: all that fit the level): ${STATISTIC_IDS.join(', ')}`, statList)
    .option('--criterion <id>', 'with a labels file (item,criterion,annotator,score): the criterion to measure')
    .option('--categories <list>', "the scale's categories, used or not: a range 1..10 or a list low,mid,high (Gwet's AC1/AC2 count unused ones)", categoryList)
    .option('--ci', 'add 95% bootstrap confidence intervals (resampling items)')
    .addOption(new Option('--interval <method>', 'bootstrap interval: bca (bias-corrected and accelerated) or percentile').choices(['bca', 'percentile']).default('bca'))
    .option('--seed <n>', 'bootstrap seed; the same seed gives the same interval', wholeFromZero, 1)
    .option('--resamples <n>', 'bootstrap resamples', numberIn({ min: 100, integer: true }), 1000)
    .addOption(new Option('--format <format>', 'output format').choices(['table', 'json', 'md']).default('table'))
    .action(async (file: string, flags: Flags) => {
      const { agreement } = await import('../../api.js');
      const { renderAgreement } = await import('../../render/agreement.js');
      const { ratings, statistics } = await agreement({ file, criterion: flags.criterion, level: flags.level, stats: flags.stats, ci: flags.ci, seed: flags.seed, resamples: flags.resamples, categories: flags.categories, interval: flags.interval });
      context.stdout.write(renderAgreement(statistics, flags.format, { items: ratings.items.length, raters: ratings.raters, level: flags.level }));
    });
}
