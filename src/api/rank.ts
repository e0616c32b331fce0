import { readText } from '../config/read-text.js';
import { InputError, type Diagnostic } from '../diagnostics/diagnostic.js';
import { parseVotes, type Vote, type VoteColumns } from '../ratings/votes.js';
import { battlesOf } from '../stats/battles.js';
import { DEFAULT_ELO, type EloOptions } from '../stats/elo.js';
import { rankSystems, type RankResult } from '../stats/ranking.js';
import { isReportFile, votesFromReport } from './report-votes.js';

export type { RankResult } from '../stats/ranking.js';
import { seededRng } from '../stats/rng.js';

export interface RankOptions {
  /** Vote files, read in this order (the order Elo sees the battles in). */
  files: string[];
  columns?: VoteColumns;
  seed?: number;
  resamples?: number;
  elo?: Partial<EloOptions>;
  /** `file`: battles in file order (as the authors of most arena tables ran Elo); `shuffled`: a seeded shuffle. */
  eloOrder?: 'file' | 'shuffled';
  /** Pseudo-battles per system against an average one (PlackettLuce's npseudo); 0 or absent: none. */
  prior?: number;
  /** A column or key grouping the votes (e.g. `question_id`): the bootstrap resamples whole groups. */
  cluster?: string;
  /** For pairwise reports: the criterion whose verdicts are the battles (default: every criterion's). */
  criterion?: string;
}

/** `jury rank`: systems ranked from pairwise votes (Bradley–Terry with ties, bootstrap intervals, online Elo). */
export async function rank(opts: RankOptions): Promise<RankResult> {
  const votes: Vote[] = [];
  const files: RankResult['files'] = [];
  const diagnostics: Diagnostic[] = [];
  for (const file of opts.files) {
    if (isReportFile(file)) {
      const fromReport = await votesFromReport(file, opts.criterion);
      // Each carries its pair as its group: a pair's criteria are resampled together.
      votes.push(...fromReport);
      files.push({ file, votes: fromReport.length });
      continue;
    }
    const read = await readText(file);
    if (!read.ok) {
      diagnostics.push(...read.diagnostics);
      continue;
    }
    const parsed = parseVotes(file, read.text, opts.columns, opts.cluster);
    if (!parsed.ok) {
      diagnostics.push(...parsed.diagnostics);
      continue;
    }
    votes.push(...parsed.value);
    files.push({ file, votes: parsed.value.length });
  }
  if (diagnostics.length) throw new InputError(diagnostics);
  const battles = battlesOf(votes);
  if (battles.systems.length < 2) throw new InputError([{ code: 'ratings/invalid', severity: 'error', file: opts.files[0] ?? '', path: [], message: 'the votes name fewer than two systems', expected: 'votes between at least two systems' }]);
  const seed = opts.seed ?? 1;
  const elo = { ...DEFAULT_ELO, ...opts.elo };
  const order = opts.eloOrder ?? 'file';
  // Reports bring their pairs as groups; votes files only when --cluster names a column (a vote alone otherwise).
  const grouped = opts.cluster !== undefined || votes.some((v) => v.cluster !== undefined);
  const clusters = grouped ? votes.map((v, i) => v.cluster ?? `\u0001${i}`) : undefined;
  const ranking = rankSystems(battles, { resamples: opts.resamples ?? 1000, seed, elo, eloOrder: order === 'shuffled' ? shuffled(votes.length, seed) : undefined, prior: opts.prior ?? 0, clusters });
  return { ...ranking, files, seed, level: 0.95, elo_settings: { ...elo, order }, ...(opts.cluster !== undefined ? { cluster_column: opts.cluster } : grouped ? { cluster_column: 'pair' } : {}), ...(opts.criterion === undefined ? {} : { criterion: opts.criterion }) };
}

/** A seeded Fisher–Yates permutation of 0..n−1. */
export function shuffled(n: number, seed: number): Int32Array {
  const rng = seededRng(seed);
  const out = Int32Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}
