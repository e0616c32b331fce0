import { InputError } from '../diagnostics/diagnostic.js';
import { readText } from '../config/read-text.js';
import { parseRatings, type Ratings } from '../ratings/parse.js';
import { agreementSuite, type Statistic, type StatisticId } from '../stats/suite.js';
import type { Level } from '../stats/types.js';

// `jury agreement` on any ratings table.
export interface AgreementOptions {
  file: string;
  level: Level;
  stats?: StatisticId[];
  ci?: boolean;
  seed?: number;
  resamples?: number;
  /** For a labels file (item,criterion,annotator,score): which criterion. */
  criterion?: string;
  /** 'bca' (default) or 'percentile'. */
  interval?: 'bca' | 'percentile';
  /** The scale's categories, used or not: Gwet's AC1/AC2 count them. */
  categories?: (number | string)[];
}

/** `jury agreement`: agreement statistics on any ratings table (CSV wide or long, or JSONL). */
export async function agreement(opts: AgreementOptions): Promise<{ ratings: Ratings; statistics: Statistic[] }> {
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  const parsed = parseRatings(opts.file, read.text, opts.level, opts.criterion);
  if (!parsed.ok) throw new InputError(parsed.diagnostics);
  const ratings = parsed.value;
  if (opts.categories?.length) {
    const allowed = new Set(opts.categories.map(String));
    ratings.table.forEach((row, i) => row.forEach((v, j) => {
      if (v !== null && !allowed.has(String(v))) {
        throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.file, path: [ratings.items[i]!, ratings.raters[j]!], message: `item ${JSON.stringify(ratings.items[i])}, rater ${JSON.stringify(ratings.raters[j])}: rating ${JSON.stringify(v)} is not one of --categories`, expected: opts.categories!.join(', ') }]);
      }
    }));
  }
  // Declared categories take the ratings' type: labels when the table holds labels, numbers otherwise.
  const labels = ratings.table.some((row) => row.some((v) => typeof v === 'string'));
  const categories = opts.categories?.map((c) => (labels ? String(c) : Number(c)));
  const statistics = agreementSuite(ratings.table, { level: opts.level, raters: ratings.raters, stats: opts.stats, ci: opts.ci, seed: opts.seed, resamples: opts.resamples, categories, interval: opts.interval });
  return { ratings, statistics };
}
