import { createHash } from 'node:crypto';
import type { Rubric } from '../rubric/rubric.js';
import { assistantTurns, type Transcript } from '../transcript/transcript.js';

/** One thing the panel scores: an item (or one assistant turn of it) on one criterion. */
export interface Unit {
  key: string;
  item: string;
  /** Turn number (message position from 1) of the assistant turn under review, for per-turn rubrics. */
  turn?: number;
  rubric: string;
  criterion: string;
  /**
   * Pairwise runs: which agent was shown first. `ab`: the base conversation as A, the candidate as B; `ba`: the
   * other way round.
   */
  order?: PairOrder;
}

export type PairOrder = 'ab' | 'ba';

/** One verdict to obtain: a unit, a judge, a sample. Made on demand, never all at once. */
export interface PlannedCall {
  key: string;
  /** Position in the plan: unit index × calls per unit + the judge's offset + sample. */
  slot: number;
  unit: Unit;
  judge: string;
  sample: number;
}

export interface PlanJudge {
  id: string;
  samples: number;
}

/**
 * What a run asks: units × judges × samples. Only the units are held; a run of 100,000 verdicts does not keep
 * 100,000 call objects (planCalls makes them as the engine walks the plan).
 */
export interface Plan {
  units: Unit[];
  judges: readonly PlanJudge[];
  /** Calls per unit: the samples of every judge. */
  perUnit: number;
  /** Planned verdicts in all. */
  size: number;
}

/** What planning needs of a transcript: its id and the message indexes of its assistant turns. */
export interface PlanItem {
  id: string;
  turns: readonly number[];
}

/** Plan items of transcripts held in memory. */
export function planItems(transcripts: readonly Pick<Transcript, 'id' | 'messages'>[]): PlanItem[] {
  return transcripts.map((t) => ({ id: t.id, turns: assistantTurns(t) }));
}

export function unitKey(item: string, rubric: string, criterion: string, turn?: number, order?: PairOrder): string {
  const key = turn === undefined ? `${item}|${rubric}/${criterion}` : `${item}|${rubric}/${criterion}|t${turn}`;
  return order === undefined ? key : `${key}|${order}`;
}

export function callKey(unit: string, judge: string, sample: number): string {
  return `${unit}|${judge}|s${sample}`;
}

/** How a pairwise run orders each pair: both orders (a position swap), or one chosen by a seeded hash of the item. */
export interface PairwisePlan {
  orders: 'both' | 'one';
  seed: number;
}

/** The order a single-order pairwise run shows an item in: a hash of seed and id, so half the pairs go each way. */
export function seededOrder(item: string, seed: number): PairOrder {
  return createHash('sha256').update(`${seed}\u0000${item}`).digest().readUInt32BE(0) % 2 === 0 ? 'ab' : 'ba';
}

/**
 * items × criteria × judges × samples. Ordered item, turn, rubric, criterion, judge, sample, so that calls
 * sharing a transcript prefix run close together (provider prefix caches last minutes, not hours). A pairwise
 * plan has a unit per order shown (both, or the seeded one), after the criterion.
 */
export function buildPlan(items: readonly PlanItem[], rubrics: readonly Rubric[], judges: readonly PlanJudge[], pairwise?: PairwisePlan): Plan {
  const units: Unit[] = [];
  for (const item of items) {
    const orders: (PairOrder | undefined)[] = !pairwise ? [undefined] : pairwise.orders === 'both' ? ['ab', 'ba'] : [seededOrder(item.id, pairwise.seed)];
    for (const rubric of rubrics) {
      const turns = rubric.scope === 'assistant_turn' ? item.turns.map((index) => index + 1) : [undefined];
      for (const turn of turns) {
        for (const criterion of rubric.criteria) {
          for (const order of orders) {
            units.push({ key: unitKey(item.id, rubric.id, criterion.id, turn, order), item: item.id, rubric: rubric.id, criterion: criterion.id, ...(turn === undefined ? {} : { turn }), ...(order === undefined ? {} : { order }) });
          }
        }
      }
    }
  }
  const perUnit = judges.reduce((n, j) => n + j.samples, 0);
  return { units, judges: [...judges], perUnit, size: units.length * perUnit };
}

/** Where a judge's calls start within a unit's calls. */
export function judgeOffsets(plan: Pick<Plan, 'judges'>): Map<string, number> {
  const offsets = new Map<string, number>();
  let offset = 0;
  for (const judge of plan.judges) {
    offsets.set(judge.id, offset);
    offset += judge.samples;
  }
  return offsets;
}

/** The plan's calls in order (unit, judge, sample), or one judge's calls; each made when it is reached. */
export function* planCalls(plan: Plan, judge?: string): Generator<PlannedCall> {
  const offsets = judgeOffsets(plan);
  const judges = judge === undefined ? plan.judges : plan.judges.filter((j) => j.id === judge);
  for (let u = 0; u < plan.units.length; u++) {
    const unit = plan.units[u]!;
    for (const j of judges) {
      const base = u * plan.perUnit + offsets.get(j.id)!;
      for (let sample = 0; sample < j.samples; sample++) yield { key: callKey(unit.key, j.id, sample), slot: base + sample, unit, judge: j.id, sample };
    }
  }
}

export interface Shard {
  /** 1-based. */
  index: number;
  count: number;
}

/**
 * Which shard an item belongs to: a hash of its id, so the partition is the same on every machine and an
 * item keeps its shard when others are added or removed.
 */
export function shardOf(itemId: string, count: number): number {
  return (createHash('sha256').update(itemId).digest().readUInt32BE(0) % count) + 1;
}

export function inShard<T extends { id: string }>(items: readonly T[], shard: Shard | undefined): T[] {
  return shard ? items.filter((item) => shardOf(item.id, shard.count) === shard.index) : [...items];
}

/** Finds where a journaled verdict sits in the plan; undefined for a verdict this plan does not ask for. */
export function slotFinder(plan: Plan): (record: { item: string; rubric: string; criterion: string; turn?: number; order?: PairOrder; judge: string; sample: number }) => number | undefined {
  const unitIndex = new Map(plan.units.map((unit, i) => [unit.key, i]));
  const offsets = judgeOffsets(plan);
  const samples = new Map(plan.judges.map((j) => [j.id, j.samples]));
  return (record) => {
    const u = unitIndex.get(unitKey(record.item, record.rubric, record.criterion, record.turn, record.order));
    const offset = offsets.get(record.judge);
    if (u === undefined || offset === undefined || !(record.sample >= 0 && record.sample < samples.get(record.judge)!)) return undefined;
    return u * plan.perUnit + offset + record.sample;
  };
}
