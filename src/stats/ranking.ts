import { A_WINS, B_WINS, pairCounts, pairsOf, TIE, withPseudoBattles, type Battles, type PairCounts } from './battles.js';
import { bcaFromReplicates } from './bca.js';
import { clusterIndex, clustersOf, JACKKNIFE_LIMIT, type Clusters } from './bootstrap.js';
import { fitDavidson, type FitResult } from './bradley-terry.js';
import { DEFAULT_ELO, onlineElo, type EloOptions } from './elo.js';
import { headToHead, type HeadToHead } from './head-to-head.js';
import { quantile } from './quantile.js';
import { seededRng } from './rng.js';

export interface RankingOptions {
  resamples?: number;
  seed?: number;
  level?: number;
  elo?: EloOptions;
  /** The order Elo sees the battles in (indexes); default as given. */
  eloOrder?: ArrayLike<number>;
  /** Pseudo-battles per system against a hypothetical average one (won `prior` times, lost `prior` times); 0: none. */
  prior?: number;
  /**
   * Per battle, the group it belongs to (the question both systems answered, the session): the bootstrap then
   * resamples whole groups, since votes on one question move together.
   */
  clusters?: readonly string[];
}

export interface SystemRank {
  system: string;
  battles: number;
  wins: number;
  ties: number;
  losses: number;
  /** Bradley–Terry strength on the Elo scale: initial + scale · log_base(π / geometric mean of π). */
  rating: number | null;
  ci: { low: number; high: number; method: 'bca' | 'percentile' } | null;
  /** 1 + the systems rated higher (ties share a rank); null when the model has no fit. */
  rank: number | null;
  /** The middle `level` of this system's rank over the resamples. */
  rank_ci: { best: number; worst: number } | null;
  elo: number;
  /** 1 + the systems whose Elo, rounded to a whole point, is higher (how Elo tables are usually printed). */
  elo_rank: number;
}

export interface Ranking {
  systems: SystemRank[];
  battles: number;
  /** Davidson's ν: how readily battles tie (0 when none did); null without a fit. */
  tie: number | null;
  log_likelihood: number | null;
  /** Why the model has no fit, when it has none. */
  reason?: string;
  resamples: number;
  /** Resamples where the model had no fit (left out of the intervals). */
  skipped: number;
  /** Why there are no intervals, when there are none. */
  interval_reason?: string;
  /** Pseudo-battles per system against an average one (0: the plain maximum-likelihood fit). */
  prior: number;
  /** Every pair of systems that met, the better-ranked first. */
  head_to_head: HeadToHead[];
  /** Groups resampled by the bootstrap when battles are grouped (`clusters`); null when battles are resampled one by one. */
  clusters: number | null;
}

/** `jury rank`'s result: the ranking with where its votes came from and how it was computed. */
export interface RankResult extends Ranking {
  files: { file: string; votes: number }[];
  seed: number;
  level: number;
  elo_settings: EloOptions & { order: 'file' | 'shuffled' };
  /** The column that grouped the votes for the bootstrap (`--cluster`). */
  cluster_column?: string;
  /** For votes read from pairwise reports: the criterion whose verdicts were the battles (absent: all). */
  criterion?: string;
}

/**
 * Systems ranked from pairwise battles: Bradley–Terry with ties (Davidson) with bootstrap intervals (battles
 * resampled with replacement; BCa where defined, percentile otherwise) and online Elo. Pure and seeded.
 */
export function rankSystems(battles: Battles, options: RankingOptions = {}): Ranking {
  const resamples = options.resamples ?? 1000;
  const level = options.level ?? 0.95;
  const elo = options.elo ?? DEFAULT_ELO;
  const n = battles.systems.length;
  const pairs = pairsOf(battles);
  const toRating = (theta: number) => elo.initial + (elo.scale * theta) / Math.log(elo.base);
  const prior = options.prior ?? 0;
  const point = fitWith(pairCounts(battles, pairs), prior, battles.systems);
  const eloRatings = onlineElo(battles, elo, options.eloOrder);
  const record = tally(battles);
  const rounded = Array.from(eloRatings, Math.round);
  const rows: SystemRank[] = battles.systems.map((system, s) => ({
    system,
    ...record[s]!,
    rating: 'strengths' in point ? toRating(point.strengths[s]!) : null,
    ci: null,
    rank: 'strengths' in point ? ranksOf(point.strengths)[s]! : null,
    rank_ci: null,
    elo: eloRatings[s]!,
    elo_rank: 1 + rounded.filter((r) => r > rounded[s]!).length,
  }));
  const out: Ranking = { systems: rows, battles: battles.a.length, tie: 'strengths' in point ? point.tie : null, log_likelihood: 'strengths' in point ? point.logLikelihood : null, resamples, skipped: 0, prior, head_to_head: [], clusters: null };
  const groups = options.clusters ? clustersOf(clusterIndex(options.clusters)) : undefined;
  const grouped = groups && !groups.singletons ? groups : undefined;
  if (grouped) out.clusters = grouped.count;
  const withHeadToHead = (ranked: Ranking) => {
    ranked.head_to_head = headToHead(battles, ranked.systems.map((r) => battles.systems.indexOf(r.system)), { seed: options.seed ?? 1, resamples, clusters: grouped ? options.clusters : undefined });
    return ranked;
  };
  if (!('strengths' in point)) {
    out.reason = point.reason;
    out.interval_reason = 'the model has no fit on these battles';
    return withHeadToHead(finish(out));
  }
  const boot = bootstrap(battles, pairs, resamples, options.seed ?? 1, prior, grouped);
  out.skipped = boot.skipped;
  if (boot.replicates.length < resamples * 0.9) {
    out.interval_reason = `the model has no fit in ${boot.skipped} of ${resamples} resamples (e.g. ${boot.firstReason}): too few battles link the systems for an interval`;
    return withHeadToHead(finish(out));
  }
  const jackknife = grouped ? leaveOneClusterOut(battles, pairs, prior, grouped) : leaveOneBattleOut(battles, pairs, prior);
  for (let s = 0; s < n; s++) {
    const sorted = boot.replicates.map((theta) => theta[s]!).sort((x, y) => x - y);
    const bca = jackknife ? bcaFromReplicates(sorted, point.strengths[s]!, jackknife.map((theta) => theta[s]!), level) : undefined;
    const [low, high, method] = bca && bca.low !== null ? [bca.low, bca.high, 'bca' as const] : [quantile(sorted, (1 - level) / 2), quantile(sorted, (1 + level) / 2), 'percentile' as const];
    rows[s]!.ci = { low: toRating(low), high: toRating(high), method };
    const ranks = boot.ranks.map((r) => r[s]!).sort((x, y) => x - y);
    rows[s]!.rank_ci = { best: Math.floor(quantile(ranks, (1 - level) / 2)), worst: Math.ceil(quantile(ranks, (1 + level) / 2)) };
  }
  return withHeadToHead(finish(out));
}

/** The Davidson fit, through pseudo-battles against an average system when `prior` > 0 (its strength dropped after). */
function fitWith(counts: PairCounts, prior: number, names?: readonly string[]): FitResult {
  if (prior <= 0) return fitDavidson(counts, names);
  const fit = fitDavidson(withPseudoBattles(counts, prior));
  if (!('strengths' in fit)) return fit;
  const strengths = fit.strengths.slice(1);
  const mean = strengths.reduce((sum, x) => sum + x, 0) / strengths.length;
  for (let s = 0; s < strengths.length; s++) strengths[s]! -= mean;
  return { ...fit, strengths };
}

/** Best first: by rating, then Elo, then name. */
function finish(ranking: Ranking): Ranking {
  ranking.systems.sort((x, y) => (y.rating ?? -Infinity) - (x.rating ?? -Infinity) || y.elo - x.elo || (x.system < y.system ? -1 : x.system > y.system ? 1 : 0));
  return ranking;
}

/** Competition ranks: 1 + how many are strictly higher. */
function ranksOf(values: ArrayLike<number>): Int32Array {
  const out = new Int32Array(values.length);
  for (let s = 0; s < values.length; s++) {
    let above = 0;
    for (let t = 0; t < values.length; t++) if (values[t]! > values[s]!) above++;
    out[s] = 1 + above;
  }
  return out;
}

function tally(battles: Battles): { battles: number; wins: number; ties: number; losses: number }[] {
  const out = battles.systems.map(() => ({ battles: 0, wins: 0, ties: 0, losses: 0 }));
  for (let m = 0; m < battles.a.length; m++) {
    const a = out[battles.a[m]!]!;
    const b = out[battles.b[m]!]!;
    a.battles++;
    b.battles++;
    const o = battles.outcome[m]!;
    if (o === TIE) {
      a.ties++;
      b.ties++;
    } else if (o === A_WINS) {
      a.wins++;
      b.losses++;
    } else if (o === B_WINS) {
      b.wins++;
      a.losses++;
    }
  }
  return out;
}

/** Resamples of the battles (n drawn with replacement, seeded; whole groups when grouped): each fit's strengths and ranks. */
function bootstrap(battles: Battles, pairs: ReturnType<typeof pairsOf>, resamples: number, seed: number, prior: number, grouped?: Clusters): { replicates: Float64Array[]; ranks: Int32Array[]; skipped: number; firstReason?: string } {
  const rng = seededRng(seed);
  const count = battles.a.length;
  const weights = new Float64Array(count);
  const replicates: Float64Array[] = [];
  const ranks: Int32Array[] = [];
  let skipped = 0;
  let firstReason: string | undefined;
  for (let b = 0; b < resamples; b++) {
    weights.fill(0);
    if (grouped) {
      const drawn = new Int32Array(grouped.count);
      for (let k = 0; k < grouped.count; k++) drawn[k] = rng.int(grouped.count);
      for (const m of grouped.expand(drawn)) weights[m]!++;
    } else for (let k = 0; k < count; k++) weights[rng.int(count)]!++;
    const fit = fitWith(pairCounts(battles, pairs, weights), prior, battles.systems);
    if ('strengths' in fit) {
      replicates.push(fit.strengths);
      ranks.push(ranksOf(fit.strengths));
    } else {
      skipped++;
      firstReason ??= fit.reason;
    }
  }
  return { replicates, ranks, skipped, firstReason };
}

/**
 * The fit with each battle left out in turn, for BCa's acceleration: battles of one pair with one outcome give the
 * same fit, so one fit per such cell, repeated for its battles. Undefined when some leave-one-out fit is.
 */
function leaveOneBattleOut(battles: Battles, pairs: ReturnType<typeof pairsOf>, prior: number): Float64Array[] | undefined {
  const full = pairCounts(battles, pairs);
  const cells = new Map<number, { count: number }>();
  for (let m = 0; m < battles.a.length; m++) {
    // Outcome relative to the pair's first system, so that x beats y and y loses to x are one cell.
    const first = battles.a[m]! === pairs.i[pairs.pair[m]!]!;
    const o = battles.outcome[m]!;
    const relative = o === TIE ? 1 : (o === A_WINS) === first ? 2 : 0;
    const key = pairs.pair[m]! * 3 + relative;
    const cell = cells.get(key);
    if (cell) cell.count++;
    else cells.set(key, { count: 1 });
  }
  const out: Float64Array[] = [];
  for (const [key, { count }] of cells) {
    const p = Math.floor(key / 3);
    const relative = key % 3;
    const counts = { ...full, winsI: full.winsI.slice(), winsJ: full.winsJ.slice(), ties: full.ties.slice() };
    if (relative === 1) counts.ties[p]!--;
    else if (relative === 2) counts.winsI[p]!--;
    else counts.winsJ[p]!--;
    const fit = fitWith(counts, prior);
    if (!('strengths' in fit)) return undefined;
    for (let c = 0; c < count; c++) out.push(fit.strengths);
  }
  return out;
}

/** The fit with each group of battles left out in turn (BCa's acceleration for a grouped bootstrap). */
function leaveOneClusterOut(battles: Battles, pairs: ReturnType<typeof pairsOf>, prior: number, grouped: Clusters): Float64Array[] | undefined {
  if (grouped.count > JACKKNIFE_LIMIT) return undefined;
  const out: Float64Array[] = [];
  const weights = new Float64Array(battles.a.length);
  for (let c = 0; c < grouped.count; c++) {
    weights.fill(1);
    for (const m of grouped.expand([c])) weights[m] = 0;
    const fit = fitWith(pairCounts(battles, pairs, weights), prior);
    if (!('strengths' in fit)) return undefined;
    out.push(fit.strengths);
  }
  return out;
}
