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
}

/** `jury agreement`: agreement statistics on any ratings table (CSV wide or long, or JSONL). */
export async function agreement(opts: AgreementOptions): Promise<{ ratings: Ratings; statistics: Statistic[] }> {
  const read = await readText(opts.file);
  if (!read.ok) throw new InputError(read.diagnostics);
  const parsed = parseRatings(opts.file, read.text, opts.level, opts.criterion);
  if (!parsed.ok) throw new InputError(parsed.diagnostics);
  const ratings = parsed.value;
  const statistics = agreementSuite(ratings.table, { level: opts.level, raters: ratings.raters, stats: opts.stats, ci: opts.ci, seed: opts.seed, resamples: opts.resamples });
  return { ratings, statistics };
}
