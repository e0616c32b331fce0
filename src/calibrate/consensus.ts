import { isAnswer, type HumanLabel } from '../labels/labels.js';
import type { Scale, Score } from '../rubric/rubric.js';

/**
 * The consensus of one unit's scores: the median on numeric scales (mean of the middle two for an even count:
 * an interval-level reference), the most frequent label on categorical ones, or undefined when two labels tie
 * for most: a tie is never decided by the order of the scale's labels.
 */
export function consensus(scores: readonly Score[], scale: Scale): Score | undefined {
  if (scores.length === 0) return undefined;
  if (scale.type === 'categorical') {
    const counts = new Map<Score, number>();
    for (const s of scores) counts.set(s, (counts.get(s) ?? 0) + 1);
    const top = Math.max(...counts.values());
    const leaders = [...counts].filter(([, c]) => c === top);
    return leaders.length === 1 ? leaders[0]![0] : undefined;
  }
  const sorted = scores.map(Number).sort((a, b) => a - b);
  const mid = sorted.length / 2;
  return sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** A unit's human reference: its answer (adjudicated or gold) when it has one, else the consensus of the votes. */
export function humanReference(labels: readonly HumanLabel[], scale: Scale): Score | undefined {
  const answer = labels.find(isAnswer);
  return answer ? answer.score : consensus(labels.filter((l) => !isAnswer(l)).map((l) => l.score), scale);
}
