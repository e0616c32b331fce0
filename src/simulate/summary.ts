import { bootstrapInterval, clusterIndex, clustersOf } from '../stats/bootstrap.js';
import { seededRng } from '../stats/rng.js';
import type { ConversationMetrics } from './metrics.js';

export const SUMMARY_FORMAT = { format: 'jury.simulation-summary', version: 1 } as const;

export interface Figure {
  value: number | null;
  /** 95% percentile bootstrap interval, resampling scenarios (a scenario's repeats move together). */
  ci: { low: number; high: number } | null;
  /** Conversations (or recommendations, questions) the figure is over. */
  n: number;
}

export interface GroupSummary {
  conversations: number;
  outcomes: Record<string, number>;
  success_rate: Figure;
  abandonment_rate: Figure;
  turns_to_success: Figure;
  questions_per_conversation: Figure;
  questions_that_changed_next: Figure;
  violations_per_conversation: Figure;
  repeats_per_conversation: Figure;
  /** Share of recommendations the listener did not already know. */
  novelty: Figure;
  ungrounded_per_conversation: Figure;
  /** Distinct tracks recommended over the group, as a share of the catalogue (no interval: a property of the set). */
  catalogue_coverage: number | null;
  distinct_tracks: number;
  distinct_artists: number;
}

export interface SummaryRow {
  scenario: string;
  kind: string;
  persona: string;
  metrics: ConversationMetrics;
}

type Ratio = (m: ConversationMetrics) => [number, number];

const RATIOS: Record<Exclude<keyof GroupSummary, 'conversations' | 'outcomes' | 'catalogue_coverage' | 'distinct_tracks' | 'distinct_artists'>, Ratio> = {
  success_rate: (m) => [m.success, 1],
  abandonment_rate: (m) => [m.abandoned, 1],
  turns_to_success: (m) => (m.turns_to_success === undefined ? [0, 0] : [m.turns_to_success, 1]),
  questions_per_conversation: (m) => [m.questions.length, 1],
  questions_that_changed_next: (m) => [m.questions.filter((q) => q.changed).length, m.questions.length],
  violations_per_conversation: (m) => [m.violations, 1],
  repeats_per_conversation: (m) => [m.repeated, 1],
  novelty: (m) => [m.recommendations - m.known, m.recommendations],
  ungrounded_per_conversation: (m) => [m.ungrounded, 1],
};

/** Every figure over a set of conversations: sums of numerator and denominator, bootstrapped by scenario. */
export function summarizeGroup(rows: readonly SummaryRow[], catalogueSize: number, seed = 0, resamples = 1000): GroupSummary {
  const clusters = clustersOf(clusterIndex(rows.map((r) => r.scenario)));
  const figure = (ratio: Ratio): Figure => {
    const parts = rows.map((r) => ratio(r.metrics));
    const of = (units: ArrayLike<number>) => {
      let num = 0;
      let den = 0;
      for (let i = 0; i < units.length; i++) {
        num += parts[units[i]!]![0];
        den += parts[units[i]!]![1];
      }
      return den > 0 ? { value: num / den } : { value: null, reason: 'nothing to measure' };
    };
    const all = of(Array.from(rows, (_, i) => i));
    const n = parts.reduce((s, p) => s + p[1], 0);
    if (all.value === null) return { value: null, ci: null, n };
    const interval = bootstrapInterval(clusters.count, (selection) => of(clusters.expand(selection)), seededRng(seed), { resamples });
    return { value: all.value, ci: interval.low === null ? null : { low: interval.low, high: interval.high }, n };
  };
  const tracks = new Set(rows.flatMap((r) => r.metrics.tracks));
  const outcomes: Record<string, number> = {};
  for (const r of rows) outcomes[r.metrics.outcome] = (outcomes[r.metrics.outcome] ?? 0) + 1;
  return {
    conversations: rows.length,
    outcomes,
    ...(Object.fromEntries(Object.entries(RATIOS).map(([k, ratio]) => [k, figure(ratio)])) as Record<keyof typeof RATIOS, Figure>),
    catalogue_coverage: catalogueSize > 0 ? tracks.size / catalogueSize : null,
    distinct_tracks: tracks.size,
    distinct_artists: new Set(rows.flatMap((r) => r.metrics.artists)).size,
  };
}

export interface SimulationSummary {
  format: typeof SUMMARY_FORMAT.format;
  version: typeof SUMMARY_FORMAT.version;
  label: string;
  simulated_listener: boolean;
  overall: GroupSummary;
  by_kind: Record<string, GroupSummary>;
  by_persona: Record<string, GroupSummary>;
}

export function summarize(label: string, rows: readonly SummaryRow[], catalogueSize: number, mockListener: boolean, seed = 0): SimulationSummary {
  const groups = (key: 'kind' | 'persona') => {
    const values = [...new Set(rows.map((r) => r[key]))].sort();
    return Object.fromEntries(values.map((v) => [v, summarizeGroup(rows.filter((r) => r[key] === v), catalogueSize, seed)]));
  };
  return { ...SUMMARY_FORMAT, label, simulated_listener: mockListener, overall: summarizeGroup(rows, catalogueSize, seed), by_kind: groups('kind'), by_persona: groups('persona') };
}
