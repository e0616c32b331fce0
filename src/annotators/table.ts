import { compareIds } from '../format/compare-ids.js';
import { isAnswer, type HumanLabel } from '../labels/labels.js';

/** How a criterion's labels are compared: as names (nominal) or as ordered numbers (ordinal). */
export interface LabelScale {
  level: 'nominal' | 'ordinal';
  /** Every point, in order: the scale's when a rubric gives it, else the labels seen. */
  points: (number | string)[];
}

/** One criterion's labels, indexed: units (an item, or one turn of it), annotators and points by number. */
export interface LabelTable {
  criterion: string;
  scale: LabelScale;
  /** Unit keys `item` or `item#turn`, in id order; `items[u]` and `turns[u]` say which. */
  units: string[];
  items: string[];
  turns: (number | undefined)[];
  annotators: string[];
  /** One entry per vote (adjudicated labels are not votes): unit, annotator and point indexes. */
  unit: Int32Array;
  annotator: Int32Array;
  point: Int32Array;
  /** A unit's reference answer (a point index) from a gold file or an adjudicated label. */
  gold: Map<number, number>;
  /** Some annotator ids are positions, not people (marked `anonymous` by the importer). */
  anonymous: boolean;
  /** Labels left out because their score is not a point of the scale. */
  offScale: number;
}

export const unitKey = (item: string, turn?: number) => (turn === undefined ? item : `${item}#${turn}`);

/** The scale the labels themselves imply: numbers on an ordinal scale of the values seen, anything else nominal. */
export function inferScale(labels: readonly HumanLabel[]): LabelScale {
  const values = [...new Set(labels.map((l) => l.score))];
  if (values.length > 0 && values.every((v) => typeof v === 'number')) return { level: 'ordinal', points: (values as number[]).sort((a, b) => a - b) };
  return { level: 'nominal', points: values.map(String).sort(compareIds) };
}

/**
 * One table per criterion, in id order. `scales` gives a criterion's scale (from a report's rubric); criteria
 * without one get the scale their labels imply. Gold labels (a gold file, or a `gold` column) and adjudicated labels become the unit's
 * reference answer (a gold file wins where both exist); votes are everything else.
 */
export function labelTables(labels: readonly HumanLabel[], options: { scales?: Map<string, LabelScale>; gold?: readonly HumanLabel[] } = {}): LabelTable[] {
  const byCriterion = new Map<string, HumanLabel[]>();
  for (const l of labels) {
    const list = byCriterion.get(l.criterion);
    if (list) list.push(l);
    else byCriterion.set(l.criterion, [l]);
  }
  return [...byCriterion.keys()].sort(compareIds).map((criterion) => {
    const all = byCriterion.get(criterion)!;
    const gold = (options.gold ?? []).filter((l) => l.criterion === criterion);
    // Answers count in an inferred scale too: an adjudicator may choose a label no voter used.
    return buildTable(criterion, all, gold, options.scales?.get(criterion) ?? inferScale([...all, ...gold]));
  });
}

function buildTable(criterion: string, labels: readonly HumanLabel[], goldLabels: readonly HumanLabel[], scale: LabelScale): LabelTable {
  const pointIndex = new Map(scale.points.map((p, i) => [p, i]));
  const onScale = (l: HumanLabel) => pointIndex.has(l.score) || (scale.level === 'nominal' && pointIndex.has(String(l.score)));
  const indexOf = (l: HumanLabel) => pointIndex.get(l.score) ?? pointIndex.get(String(l.score))!;
  const kept = labels.filter(onScale);
  const votes = kept.filter((l) => !isAnswer(l));
  const unitKeys = [...new Set([...kept, ...goldLabels.filter(onScale)].map((l) => unitKey(l.item, l.turn)))].sort(compareIds);
  const unitIndex = new Map(unitKeys.map((u, i) => [u, i]));
  const annotators = [...new Set(votes.map((l) => l.annotator))].sort(compareIds);
  const annotatorIndex = new Map(annotators.map((a, i) => [a, i]));
  // Votes in a fixed order (unit, annotator, point), so the model's arithmetic never depends on file order.
  const rows = votes.map((l) => [unitIndex.get(unitKey(l.item, l.turn))!, annotatorIndex.get(l.annotator)!, indexOf(l)] as const);
  rows.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
  const items: string[] = [];
  const turns: (number | undefined)[] = [];
  for (const l of [...kept, ...goldLabels]) {
    const u = unitIndex.get(unitKey(l.item, l.turn));
    if (u !== undefined) [items[u], turns[u]] = [l.item, l.turn];
  }
  const gold = new Map<number, number>();
  for (const l of kept) if (isAnswer(l)) gold.set(unitIndex.get(unitKey(l.item, l.turn))!, indexOf(l));
  for (const l of goldLabels) if (onScale(l)) gold.set(unitIndex.get(unitKey(l.item, l.turn))!, indexOf(l));
  return {
    criterion, scale, units: unitKeys, items, turns, annotators,
    unit: Int32Array.from(rows.map((r) => r[0])),
    annotator: Int32Array.from(rows.map((r) => r[1])),
    point: Int32Array.from(rows.map((r) => r[2])),
    gold,
    anonymous: votes.some((l) => l.anonymous),
    offScale: labels.length - kept.length,
  };
}
