import { entropy, majority, votesByUnit, type ModelFit } from './consensus.js';
import { compareIds } from '../format/compare-ids.js';
import type { LabelTable } from './table.js';

/** A posterior at least this sure makes a split vote "explained" rather than "ambiguous". */
export const SURE_POSTERIOR = 0.9;

export interface ItemRow {
  item: string;
  turn?: number;
  votes: number;
  /** Votes per point of the scale. */
  counts: Record<string, number>;
  /** Entropy of the votes in bits: 0 when everyone agrees. */
  entropy: number;
  /** The majority point, or null on a tie. */
  majority: string | null;
  /** Dawid–Skene's most probable point (null on a tie), how probable, the posterior's entropy in bits, and the posterior. */
  model?: { point: string | null; probability: number; entropy: number; posterior: Record<string, number> };
  gold?: string;
  /**
   * unanimous: every vote the same. explained: votes split, but the model is sure (≥ 0.9): the dissent comes
   * from annotators it trusts less. ambiguous: the model is unsure too: the item itself is hard. split: votes
   * split and no model to tell which (anonymous annotators, or one).
   */
  kind: 'unanimous' | 'explained' | 'ambiguous' | 'split';
}

/** Every unit with votes, the most contested first (entropy of the votes, then the model's doubt, then id). */
export function contestedItems(table: LabelTable, model: ModelFit | undefined): ItemRow[] {
  const points = table.scale.points.map(String);
  const K = points.length;
  const rows: ItemRow[] = [];
  votesByUnit(table).forEach((unitVotes, u) => {
    if (unitVotes.length === 0) return;
    const counts = points.map(() => 0);
    for (const [, p] of unitVotes) counts[p]!++;
    const h = entropy(counts);
    const m = majority(unitVotes.map(([, p]) => p));
    const row: ItemRow = {
      item: table.items[u]!,
      ...(table.turns[u] === undefined ? {} : { turn: table.turns[u] }),
      votes: unitVotes.length,
      counts: Object.fromEntries(points.map((p, k) => [p, counts[k]!])),
      entropy: h,
      majority: m === null ? null : points[m]!,
      kind: h === 0 ? 'unanimous' : 'split',
    };
    if (model) {
      const posterior = Array.from(model.fit.posterior.subarray(u * K, (u + 1) * K));
      const top = Math.max(...posterior);
      const leaders = posterior.flatMap((p, k) => (top - p <= 1e-9 ? [k] : []));
      row.model = { point: leaders.length === 1 ? points[leaders[0]!]! : null, probability: top, entropy: entropy(posterior), posterior: Object.fromEntries(points.map((p, k) => [p, posterior[k]!])) };
      if (h > 0) row.kind = top >= SURE_POSTERIOR && leaders.length === 1 ? 'explained' : 'ambiguous';
    }
    const gold = table.gold.get(u);
    if (gold !== undefined) row.gold = points[gold]!;
    rows.push(row);
  });
  const doubt = (r: ItemRow) => (r.model ? 1 - r.model.probability : 0);
  return rows.sort((a, b) => b.entropy - a.entropy || doubt(b) - doubt(a) || compareIds(a.item, b.item) || (a.turn ?? 0) - (b.turn ?? 0));
}
