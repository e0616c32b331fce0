import type { Report } from '../report/report.js';
import { groupBySlice, sliceName } from '../report/slices.js';
import { decideFamily, itemScores, pairedDifference, type CriterionDiff, type DiffOptions } from './diff.js';

/** One criterion within one slice: the paired comparison of its items present in both reports. */
export type SliceCriterionDiff = Omit<CriterionDiff, 'note'> & { value: string };

/** Every slice × criterion comparison under one key: one family for Holm's correction. */
export interface SliceDiffFamily {
  by: string;
  /** Tests in the family (comparisons with at least one changed item), which Holm's correction divides among. */
  family: number;
  rows: SliceCriterionDiff[];
}

/**
 * The diff cut by metadata: items matched by id, put in slices by the candidate's metadata (the base's when the
 * candidate has none for the item); per slice and criterion the paired mean difference with its CI and the
 * Wilcoxon test, Holm-corrected within the key's family. Pure.
 */
export function diffSlices(base: Report, candidate: Report, keys: readonly string[], options: DiffOptions = {}): SliceDiffFamily[] {
  const significance = options.significance ?? 0.05;
  const baseById = new Map(base.items.map((i) => [i.id, i]));
  const matched = candidate.items.filter((i) => baseById.has(i.id)).map((i) => ({ id: i.id, metadata: i.metadata ?? baseById.get(i.id)!.metadata }));
  const baseScores = itemScores(base);
  const candidateScores = itemScores(candidate);
  const numeric = candidate.criteria.filter((c) => c.scale.type !== 'categorical' && base.criteria.some((b) => b.rubric === c.rubric && b.criterion === c.criterion));
  return keys.map((key) => {
    const rows: SliceCriterionDiff[] = [];
    const samples = new Map<object, readonly number[]>();
    for (const [value, ids] of groupBySlice(matched, key)) {
      for (const summary of numeric) {
        const k = `${summary.rubric}/${summary.criterion}`;
        const b = baseScores.get(k);
        const c = candidateScores.get(k);
        const paired = ids.filter((id) => b?.has(id) && c?.has(id));
        const mean = (scores: number[]) => (scores.length ? scores.reduce((x, y) => x + y, 0) / scores.length : null);
        const row: SliceCriterionDiff = {
          value, rubric: summary.rubric, criterion: summary.criterion, pairs: paired.length,
          base_mean: mean(paired.map((id) => b!.get(id)!.score)), candidate_mean: mean(paired.map((id) => c!.get(id)!.score)),
          difference: null, shift: null, ci: null, test: null, change: 'not tested', ...(summary.better === 'lower' ? { better: 'lower' as const } : {}),
        };
        if (paired.length) {
          const differences = paired.map((id) => c!.get(id)!.score - b!.get(id)!.score);
          Object.assign(row, pairedDifference(differences));
          samples.set(row, differences);
        }
        rows.push(row);
      }
    }
    decideFamily(rows, significance, samples);
    return { by: sliceName(key), family: rows.filter((r) => r.test && r.test.n > 0).length, rows };
  });
}
