import { criterionAgreement, meanWithInterval } from '../aggregate/criterion-agreement.js';
import { representativeSample } from '../aggregate/samples.js';
import { isNumericScale, type Score } from '../rubric/rubric.js';
import type { ItemResult, Report } from './report.js';

/**
 * Cutting a report by its items' metadata: `metadata.genre` groups items by genre; an item whose value is a list
 * (tags) is in each of its values' slices; one without the key is in `(none)`. A regression that only one
 * segment of listeners sees is exactly what a whole-set mean hides.
 */
export const NO_VALUE = '(none)';

/** A slice key as users write it (`metadata.genre`, or `genre`), as the path inside an item's metadata. */
export function slicePath(key: string): string[] {
  const parts = key.split('.').filter((p) => p !== '');
  return parts[0] === 'metadata' ? parts.slice(1) : parts;
}

/** The key as jury prints it: always `metadata.…`. */
export function sliceName(key: string): string {
  return ['metadata', ...slicePath(key)].join('.');
}

/** The slice values an item belongs to under a key. */
export function sliceValues(metadata: ItemResult['metadata'], key: string): string[] {
  let value: unknown = metadata;
  for (const part of slicePath(key)) value = value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>)[part] : undefined;
  const list = Array.isArray(value) ? value : [value];
  const values = [...new Set(list.filter((v) => v !== undefined && v !== null && v !== '').map((v) => (typeof v === 'object' ? JSON.stringify(v) : String(v))))];
  return values.length ? values : [NO_VALUE];
}

/** Item ids per slice value under a key, values in code-point order with `(none)` last. */
export function groupBySlice(items: readonly Pick<ItemResult, 'id' | 'metadata'>[], key: string): Map<string, string[]> {
  const groups = new Map<string, string[]>();
  for (const item of items) for (const value of sliceValues(item.metadata, key)) (groups.get(value) ?? groups.set(value, []).get(value)!).push(item.id);
  const order = [...groups.keys()].sort((a, b) => (a === NO_VALUE ? 1 : b === NO_VALUE ? -1 : a < b ? -1 : a > b ? 1 : 0));
  return new Map(order.map((v) => [v, groups.get(v)!]));
}

export interface SliceCriterion {
  rubric: string;
  criterion: string;
  units: number;
  scored: number;
  mean: number | null;
  mean_ci: { low: number; high: number; level: number } | null;
  alpha: { value: number | null; reason?: string };
}

export interface Slice {
  value: string;
  items: number;
  criteria: SliceCriterion[];
}

export interface SliceFamily {
  by: string;
  slices: Slice[];
}

/** Per slice of each key: the panel mean with its CI and the judges' alpha, criterion by criterion. Pure. */
export function summarizeSlices(report: Report, keys: readonly string[]): SliceFamily[] {
  const judges = report.run.judges.map((j) => j.id).sort();
  const byId = new Map(report.items.map((i) => [i.id, i]));
  return keys.map((key) => ({
    by: sliceName(key),
    slices: [...groupBySlice(report.items, key)].map(([value, ids]) => {
      const items = ids.map((id) => byId.get(id)!);
      return {
        value,
        items: ids.length,
        criteria: report.criteria.map((summary) => {
          const panel: Score[] = [];
          const panelConversations: string[] = [];
          const table: (Score | null)[][] = [];
          const conversations: string[] = [];
          let units = 0;
          for (const item of items) {
            for (const unit of item.results) {
              if (unit.rubric !== summary.rubric || unit.criterion !== summary.criterion) continue;
              units++;
              if (unit.panel.status === 'scored') {
                panel.push(unit.panel.score);
                panelConversations.push(item.id);
              }
              conversations.push(item.id);
              // Each judge's rating on the unit: one of its samples, as the report's agreement takes it.
              table.push(judges.map((judge) => {
                const scores = unit.verdicts.flatMap((v) => (v.judge === judge && v.status === 'scored' ? [v.score] : []));
                return scores.length ? representativeSample(scores, summary.scale) : null;
              }));
            }
          }
          const numeric = isNumericScale(summary.scale);
          const interval = numeric ? meanWithInterval(panel, panelConversations, report.run.aggregation.resamples) : { mean: null, ci: null };
          const alpha = criterionAgreement(table, judges, summary.scale, conversations, report.run.aggregation.resamples, report.run.judges.some((j) => j.score_mode === 'logprob')).alpha;
          return {
            rubric: summary.rubric,
            criterion: summary.criterion,
            units,
            scored: panel.length,
            mean: interval.mean,
            mean_ci: interval.ci,
            alpha: alpha.value === null ? { value: null, reason: alpha.reason } : { value: alpha.value },
          };
        }),
      };
    }),
  }));
}
