import { alphaFromUnits, krippendorffAlpha, prepareAlpha } from './alpha.js';
import { bootstrapInterval, type Interval } from './bootstrap.js';
import { kendallTauB, kendallW, pearson, spearman } from './correlation.js';
import { gwet } from './gwet.js';
import { icc, ICC_FORMS } from './icc.js';
import { cohenKappa, fleissKappa, type KappaWeights } from './kappa.js';
import { percentAgreement } from './percent.js';
import { seededRng } from './rng.js';
import { type Estimate, type Level, type RatingTable } from './types.js';

export const STATISTIC_IDS = [
  'krippendorff_alpha', 'fleiss_kappa', 'cohen_kappa', 'icc', 'gwet_ac1', 'gwet_ac2', 'kendall_w',
  'spearman_rho', 'kendall_tau_b', 'pearson_r', 'percent_agreement', 'within_one_agreement',
] as const;
export type StatisticId = (typeof STATISTIC_IDS)[number];

export interface Statistic {
  id: StatisticId;
  params: Record<string, unknown>;
  value: number | null;
  ci: { low: number; high: number; level: number; method: 'bca' | 'percentile'; resamples: number; skipped: number } | null;
  reason: string | null;
}

export interface SuiteOptions {
  level: Level;
  raters: readonly string[];
  /** Which statistics; default: every one that fits the level. */
  stats?: readonly StatisticId[];
  ci?: boolean;
  seed?: number;
  resamples?: number;
  /** 'bca' (default) or 'percentile'. */
  interval?: 'bca' | 'percentile';
  /**
   * The scale's categories, used or not (`--categories 1..10`). Gwet's AC1/AC2 count them (chance agreement
   * depends on how many categories there are, and AC2's weights on the scale's span); the other statistics
   * give the same value either way.
   */
  categories?: readonly (number | string)[];
}

const RANK = { nominal: 0, ordinal: 1, interval: 2, ratio: 3 } as const;

/** The lowest level of measurement each statistic needs. */
const MIN_LEVEL: Record<StatisticId, Level> = {
  krippendorff_alpha: 'nominal', fleiss_kappa: 'nominal', cohen_kappa: 'nominal', gwet_ac1: 'nominal', percent_agreement: 'nominal',
  gwet_ac2: 'ordinal', kendall_w: 'ordinal', spearman_rho: 'ordinal', kendall_tau_b: 'ordinal', within_one_agreement: 'ordinal',
  icc: 'interval', pearson_r: 'interval',
};

// Tau-b is O(n²) per call; a thousand bootstrap resamples of it would take minutes on large tables.
const TAU_B_BOOTSTRAP_LIMIT = 2000;

interface Planned {
  id: StatisticId;
  params: Record<string, unknown>;
  compute: (table: RatingTable) => Estimate;
  /** A faster bootstrap path than recomputing from a sub-table, where there is one. */
  bootstrap?: () => Interval;
  noBootstrap?: string;
}

/** Every requested statistic on a ratings table, each with an optional seeded bootstrap interval over units. */
export function agreementSuite(table: RatingTable, options: SuiteOptions): Statistic[] {
  const { level, raters } = options;
  const wanted = new Set(options.stats ?? STATISTIC_IDS.filter((id) => RANK[MIN_LEVEL[id]] <= RANK[level]));
  const seed = options.seed ?? 1;
  const resamples = options.resamples ?? 1000;
  const method = options.interval ?? 'bca';
  const planned: Planned[] = [];
  const column = (t: RatingTable, j: number) => t.map((row) => row[j] ?? null);
  const pairs: [number, number][] = [];
  for (let a = 0; a < raters.length; a++) for (let b = a + 1; b < raters.length; b++) pairs.push([a, b]);
  const pairParams = (a: number, b: number, extra: Record<string, unknown> = {}) => (raters.length > 2 ? { ...extra, raters: [raters[a], raters[b]] } : extra);

  if (wanted.has('krippendorff_alpha')) {
    planned.push({
      id: 'krippendorff_alpha',
      params: { level },
      compute: (t) => krippendorffAlpha(t, level),
      bootstrap: () => {
        const prepared = prepareAlpha(table, level);
        if ('reason' in prepared) return { low: null, high: null, reason: prepared.reason };
        return bootstrapInterval(prepared.units.length, (sel) => alphaFromUnits(prepared, sel), seededRng(seed), { resamples, method });
      },
    });
  }
  if (wanted.has('fleiss_kappa')) planned.push({ id: 'fleiss_kappa', params: {}, compute: fleissKappa });
  if (wanted.has('cohen_kappa')) {
    const weightsList: KappaWeights[] = RANK[level] >= RANK.ordinal ? ['linear', 'quadratic'] : ['none'];
    for (const weights of weightsList) {
      for (const [a, b] of pairs) planned.push({ id: 'cohen_kappa', params: pairParams(a, b, { weights }), compute: (t) => cohenKappa(column(t, a), column(t, b), weights) });
    }
  }
  if (wanted.has('icc')) for (const form of ICC_FORMS) planned.push({ id: 'icc', params: { form }, compute: (t) => icc(t, form) });
  const declared = options.categories?.length ? { categories: options.categories } : {};
  const categoryParams = options.categories?.length ? { categories: options.categories.length } : {};
  if (wanted.has('gwet_ac1')) planned.push({ id: 'gwet_ac1', params: { ...categoryParams }, compute: (t) => gwet(t, declared) });
  if (wanted.has('gwet_ac2')) planned.push({ id: 'gwet_ac2', params: { weights: 'quadratic', ...categoryParams }, compute: (t) => gwet(t, { weights: 'quadratic', ...declared }) });
  if (wanted.has('kendall_w')) planned.push({ id: 'kendall_w', params: {}, compute: kendallW });
  const correlations = [
    ['spearman_rho', spearman],
    ['kendall_tau_b', kendallTauB],
    ['pearson_r', pearson],
  ] as const;
  for (const [id, f] of correlations) {
    if (!wanted.has(id)) continue;
    for (const [a, b] of pairs) {
      planned.push({
        id,
        params: pairParams(a, b),
        compute: (t) => f(column(t, a), column(t, b)),
        ...(id === 'kendall_tau_b' && table.length > TAU_B_BOOTSTRAP_LIMIT ? { noBootstrap: `no interval: bootstrapping tau-b is O(n²) per resample, skipped above ${TAU_B_BOOTSTRAP_LIMIT} items` } : {}),
      });
    }
  }
  if (wanted.has('percent_agreement')) planned.push({ id: 'percent_agreement', params: {}, compute: (t) => percentAgreement(t) });
  if (wanted.has('within_one_agreement')) planned.push({ id: 'within_one_agreement', params: {}, compute: (t) => percentAgreement(t, 1) });

  if (raters.length < 2) return planned.map((p) => ({ id: p.id, params: p.params, value: null, ci: null, reason: 'fewer than two raters' }));
  return planned.map((p) => {
    const point = p.compute(table);
    let ci: Statistic['ci'] = null;
    let reason = point.value === null ? point.reason : null;
    if (options.ci && point.value !== null) {
      const interval = p.noBootstrap
        ? { low: null, high: null, reason: p.noBootstrap }
        : p.bootstrap
          ? p.bootstrap()
          : bootstrapInterval(table.length, (sel) => p.compute(Array.from(sel, (i) => table[i]!)), seededRng(seed), { resamples, method });
      if (interval.low !== null) ci = { low: interval.low, high: interval.high, level: interval.level, method: interval.method, resamples: interval.resamples, skipped: interval.skipped };
      else reason = `interval undefined: ${interval.reason}`;
    }
    return { id: p.id, params: p.params, value: point.value, ci, reason };
  });
}

