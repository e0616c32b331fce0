import { isNumericScale, scalePoints, type Scale, type Score } from '../rubric/rubric.js';

export type Method = 'mean' | 'median' | 'majority';
export type Quorum = 'majority' | 'all' | number;

export type PanelResult =
  | { status: 'scored'; score: Score; spread: number; judges: number }
  | { status: 'unscored'; reason: string; judges: number };

/** Judges needed for a panel score: a strict majority of the panel by default. */
export function requiredQuorum(quorum: Quorum, panelSize: number): number {
  if (quorum === 'majority') return Math.floor(panelSize / 2) + 1;
  if (quorum === 'all') return panelSize;
  return Math.min(quorum, panelSize);
}

/**
 * Combines scores into one: the mean, the median (mean of the middle two for an even count), or the most
 * frequent score with ties going to the earliest point of the scale (the lowest, on numeric scales: a tie
 * should not flatter the assistant). Categorical scales always use the most frequent label.
 */
export function combine(scores: readonly Score[], method: Method, scale: Scale): Score {
  if (method === 'majority' || !isNumericScale(scale)) return mode(scores, scale);
  const numbers = scores.map(Number).sort((a, b) => a - b);
  if (method === 'mean') return numbers.reduce((a, b) => a + b, 0) / numbers.length;
  const middle = numbers.length / 2;
  return numbers.length % 2 ? numbers[Math.floor(middle)]! : (numbers[middle - 1]! + numbers[middle]!) / 2;
}

function mode(scores: readonly Score[], scale: Scale): Score {
  const counts = new Map<Score, number>();
  for (const score of scores) counts.set(score, (counts.get(score) ?? 0) + 1);
  let best: Score = scores[0]!;
  let bestCount = 0;
  const order = [...scalePoints(scale), ...counts.keys()];
  for (const point of order) {
    const count = counts.get(point) ?? 0;
    if (count > bestCount) {
      best = point;
      bestCount = count;
    }
  }
  return best;
}

/**
 * Disagreement within the panel: the range of judge scores on numeric scales, the share of judges outside
 * the most frequent label on categorical ones.
 */
export function spread(judgeScores: readonly Score[], scale: Scale): number {
  if (judgeScores.length === 0) return 0;
  if (isNumericScale(scale)) {
    const numbers = judgeScores.map(Number);
    return Math.max(...numbers) - Math.min(...numbers);
  }
  const top = mode(judgeScores, scale);
  return judgeScores.filter((s) => s !== top).length / judgeScores.length;
}

/**
 * The panel's score for one unit. `judgeScores` holds one score per judge that returned at least one
 * verdict (its samples combined first). Below quorum the unit is unscored: never filled in.
 */
export function panelScore(judgeScores: readonly Score[], panelSize: number, method: Method, quorum: Quorum, scale: Scale): PanelResult {
  const needed = requiredQuorum(quorum, panelSize);
  if (judgeScores.length < needed) {
    return { status: 'unscored', reason: `${judgeScores.length} of ${panelSize} judges returned a verdict; quorum is ${needed}`, judges: judgeScores.length };
  }
  return { status: 'scored', score: combine(judgeScores, method, scale), spread: spread(judgeScores, scale), judges: judgeScores.length };
}
