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
}

/** One verdict to obtain: a unit, a judge, a sample. */
export interface PlannedCall {
  key: string;
  unit: Unit;
  judge: string;
  sample: number;
}

export interface Plan {
  units: Unit[];
  calls: PlannedCall[];
}

export interface PlanJudge {
  id: string;
  samples: number;
}

export function unitKey(item: string, rubric: string, criterion: string, turn?: number): string {
  return turn === undefined ? `${item}|${rubric}/${criterion}` : `${item}|${rubric}/${criterion}|t${turn}`;
}

export function callKey(unit: string, judge: string, sample: number): string {
  return `${unit}|${judge}|s${sample}`;
}

/**
 * items × criteria × judges × samples. Ordered item, turn, rubric, criterion, judge, sample, so that calls
 * sharing a transcript prefix run close together (provider prefix caches last minutes, not hours).
 */
export function buildPlan(transcripts: readonly Transcript[], rubrics: readonly Rubric[], judges: readonly PlanJudge[]): Plan {
  const units: Unit[] = [];
  const calls: PlannedCall[] = [];
  for (const transcript of transcripts) {
    for (const rubric of rubrics) {
      const turns = rubric.scope === 'assistant_turn' ? assistantTurns(transcript).map((index) => index + 1) : [undefined];
      for (const turn of turns) {
        for (const criterion of rubric.criteria) {
          const unit: Unit = { key: unitKey(transcript.id, rubric.id, criterion.id, turn), item: transcript.id, rubric: rubric.id, criterion: criterion.id, ...(turn === undefined ? {} : { turn }) };
          units.push(unit);
          for (const judge of judges) {
            for (let sample = 0; sample < judge.samples; sample++) calls.push({ key: callKey(unit.key, judge.id, sample), unit, judge: judge.id, sample });
          }
        }
      }
    }
  }
  return { units, calls };
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
