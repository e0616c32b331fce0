import { dawidSkene, posteriorClass, type DawidSkeneFit } from '../stats/dawid-skene.js';
import type { LabelTable } from './table.js';

/** Point indexes of each unit's votes, with who gave them: votes[u] = [[annotator, point], …]. */
export function votesByUnit(table: LabelTable): [number, number][][] {
  const out: [number, number][][] = table.units.map(() => []);
  for (let n = 0; n < table.point.length; n++) out[table.unit[n]!]!.push([table.annotator[n]!, table.point[n]!]);
  return out;
}

/** The most frequent point, or null when two or more points tie for most (a tie is its own outcome). */
export function majority(points: readonly number[]): number | null {
  if (points.length === 0) return null;
  const counts = new Map<number, number>();
  for (const p of points) counts.set(p, (counts.get(p) ?? 0) + 1);
  const top = Math.max(...counts.values());
  const leaders = [...counts].filter(([, c]) => c === top);
  return leaders.length === 1 ? leaders[0]![0] : null;
}

/** The median of numeric values (the mean of the middle two for an even count), or null with none. */
export function median(values: readonly number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Shannon entropy in bits of a set of votes: 0 when all agree, log2(k) when k points split evenly. */
export function entropy(counts: readonly number[]): number {
  const total = counts.reduce((a, b) => a + b, 0);
  let h = 0;
  for (const c of counts) if (c > 0) h -= (c / total) * Math.log2(c / total);
  return h;
}

export type ConsensusMethod = 'majority' | 'median' | 'dawid-skene';

export interface ModelFit {
  fit: DawidSkeneFit;
  start: 'majority' | 'shares';
}

/** Dawid–Skene over a table's votes: points as classes (ordinal scales are treated as categorical here). */
export function fitModel(table: LabelTable, start: 'majority' | 'shares' = 'majority'): ModelFit {
  const fit = dawidSkene({ classes: table.scale.points.length, items: table.units.length, annotators: table.annotators.length, item: table.unit, annotator: table.annotator, label: table.point }, { start });
  return { fit, start };
}

/**
 * Each unit's consensus as a point of the scale, or null: no votes, or a tie (two points equally frequent, a
 * median between two points, equal posteriors), never decided by the order of the points. `median` applies to
 * ordinal scales; on nominal ones it is the majority.
 */
export function unitConsensus(table: LabelTable, method: ConsensusMethod, model?: ModelFit): (number | string | null)[] {
  const votes = votesByUnit(table);
  const points = table.scale.points;
  return votes.map((unitVotes, u) => {
    if (unitVotes.length === 0) return null;
    if (method === 'dawid-skene') {
      const k = posteriorClass(model!.fit, points.length, u);
      return k === null ? null : points[k]!;
    }
    if (method === 'median' && table.scale.level === 'ordinal') {
      // An even split between two points has a half-point median: a tie, not a point of the scale.
      const m = median(unitVotes.map(([, p]) => Number(points[p])))!;
      return points.includes(m) ? m : null;
    }
    const m = majority(unitVotes.map(([, p]) => p));
    return m === null ? null : points[m]!;
  });
}
