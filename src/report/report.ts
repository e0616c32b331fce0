import type { CriterionAgreement } from '../aggregate/criterion-agreement.js';
import type { PairwiseSummary } from '../aggregate/pairwise.js';
import type { PairOrder } from '../plan/plan.js';
import type { Method, Quorum } from '../aggregate/panel.js';
import type { FailureCause } from '../judges/verdict.js';
import type { Scale, Score } from '../rubric/rubric.js';

/**
 * The newest report format this jury writes and reads. Pointwise reports are still written as version 1 (byte for
 * byte as before); pairwise reports are version 2, so that a jury that predates them refuses them rather than
 * reading positional labels as scores.
 */
export const REPORT_FORMAT = { format: 'jury.report', version: 2 } as const;
export const POINTWISE_REPORT_VERSION = 1;
export const RUN_FORMAT = { format: 'jury.run', version: 1 } as const;

export const SIMULATED_NOTICE = 'Scores in this report are SIMULATED by the mock judge: no model was asked. Use them to check the pipeline, never to judge an assistant.';

/**
 * One judge's verdict as the report keeps it. A failure keeps its cause (rate_limit, unparseable, …), so a reader
 * of report.json sees why without opening run.json; the message, which holds volatile details, stays there.
 */
/**
 * A `score_mode: logprob` verdict: `score` is the weighted one, `sampled_score` the score written and `logprob_mass`
 * the probability found on scale points; or `score_note`, why the score written was kept instead.
 */
export type LogprobFields = { sampled_score?: Score; logprob_mass?: number; score_note?: string };

export type ReportVerdict =
  | ({ judge: string; sample: number; status: 'scored'; score: Score; reasoning: string; cited_turns: number[] } & LogprobFields)
  | { judge: string; sample: number; status: 'failed'; cause: FailureCause };

export interface UnitResult {
  rubric: string;
  criterion: string;
  turn?: number;
  /** Pairwise runs: the order shown (`ab`: the base as A). Scores are then labels in the positions shown. */
  order?: PairOrder;
  panel: { status: 'scored'; score: Score; spread: number; judges: number } | { status: 'unscored'; reason: string; judges: number };
  verdicts: ReportVerdict[];
}

export interface ItemResult {
  id: string;
  /** The transcript's metadata (its `metadata` and the top-level keys its format does not read), for slicing. */
  metadata?: Record<string, unknown>;
  /** Pairwise runs: how long each side's conversation is (for the length-bias audit). */
  lengths?: { base: ConversationLength; candidate: ConversationLength };
  /**
   * Pairwise runs: per criterion, the panel's preference for the candidate (0 the base, ½ a tie, 1 the candidate;
   * null without a quorum) and the winner it names. What `jury rank` reads of a pairwise report.
   */
  preferences?: { rubric: string; criterion: string; preference: number | null; winner: 'base' | 'candidate' | 'tie' | null }[];
  results: UnitResult[];
}

export interface ConversationLength {
  messages: number;
  assistant_chars: number;
}

/** A pairwise run's side names and order rule, and its results (aggregate/pairwise.ts). */
export interface PairwiseReport extends PairwiseSummary {
  base: string;
  candidate: string;
  /** `imported`: verdicts imported already combined, the order each pair was shown in unknown. */
  orders: 'both' | 'one' | 'imported';
  seed: number;
}

export interface CriterionSummary {
  rubric: string;
  criterion: string;
  scale: Scale;
  weight: number;
  units: number;
  scored: number;
  unscored: number;
  /** Mean panel score over scored units; null when none is scored or the scale is categorical. */
  mean: number | null;
  /**
   * 95% bootstrap interval of the mean (BCa; the percentile one where BCa is undefined), resampling units, or
   * conversations on per-turn criteria (seed fixed for reproducibility); `skipped` resamples had no value.
   */
  mean_ci: { low: number; high: number; level: number; method: 'bca' | 'percentile'; skipped: number } | null;
  /** How far the judges agree on this criterion; `reliable` is false below alpha 0.667. */
  agreement: CriterionAgreement;
  /** The units with the widest panel spread, widest first (at most five; spread above zero only). */
  most_disputed: { item: string; turn?: number; spread: number }[];
  /** Scored verdicts per scale point, over every judge and sample: how the panel uses the scale. */
  distribution: Record<string, number>;
  /** Panel scores per label, for categorical scales. */
  panel_distribution?: Record<string, number>;
  /** Each judge's mean over the units it scored. */
  judge_means: Record<string, number | null>;
  failed_verdicts: number;
  /** Present when a lower score is the better one (the rubric says `better: lower`): diffs read a drop as a gain. */
  better?: 'lower';
  /**
   * Present when some scored units were scored by fewer judges than the panel has (numeric scales): how many,
   * a few of their items, and the mean over the units every judge scored, to set beside `mean` (a lenient judge
   * that fails on some items moves the available-case mean between runs; the complete-panel mean does not).
   */
  partial_panels?: { units: number; items: string[]; complete_units: number; complete_mean: number | null };
  /** Per judge that samples several times: its agreement with itself across samples (alpha at the criterion's level). */
  test_retest?: Record<string, { alpha: number | null; reason?: string; units: number }>;
}

export interface Report {
  format: typeof REPORT_FORMAT.format;
  version: number;
  simulated: boolean;
  notice?: string;
  /** Present only when the run was interrupted: the report covers what was judged so far. */
  incomplete?: { missing_verdicts: number; resume: string };
  /** Failed verdicts per judge, so a reader sees a flaky judge without opening run.json. */
  judge_errors: Record<string, { verdicts: number; failed: number; error_rate: number }>;
  run: {
    label: string;
    config_hash: string;
    /** `resamples`: behind the intervals, when set in jury.yaml (absent: 1,000). */
    aggregation: { method: Method; quorum: Quorum; resamples?: number };
    rubrics: { id: string; version: string; title: string; scope: string }[];
    /** `score_mode` is present only for logprob-weighted judges. */
    judges: { id: string; provider: string; model: string; samples: number; simulated: boolean; score_mode?: 'logprob' }[];
  };
  criteria: CriterionSummary[];
  /** Present on pairwise runs: `criteria` then holds the positional verdicts; this, who won. */
  pairwise?: PairwiseReport;
  items: ItemResult[];
}

/** A report without its items: what summaries, gates on means and the console need. */
export type ReportHead = Omit<Report, 'items'>;
