import { labelPreference } from '../rubric/pairwise.js';
import type { PairOrder } from '../plan/plan.js';

/**
 * How one judge's verdicts on a pair become one preference, in the candidate's favour from 0 (the base is
 * better) to 1 (the candidate is), ½ a tie.
 *
 * Three levels, MT-Bench's rule (FastChat's pairwise judgment with position swap): the same winner in both
 * orders wins; verdicts that disagree ("inconsistent") are a tie. Five levels, Arena-Hard's weighting: each
 * order is a game, a strong verdict (A>>B) counts as three battles, any other as one, a tie as one tie; the
 * preference is the candidate's share of the battles, ties as half. One order only (a single-order run):
 * that order's verdict alone, by the same reading.
 */
export type Side = 'base' | 'candidate' | 'tie';

/** Which agent a positional label prefers, given the order shown (`ab`: base as A). */
export function sideOf(label: string, order: PairOrder): Side {
  const { prefers } = labelPreference(label);
  if (prefers === 'tie') return 'tie';
  const first: Side = order === 'ab' ? 'base' : 'candidate';
  const second: Side = order === 'ab' ? 'candidate' : 'base';
  return prefers === 'A' ? first : second;
}

/** Arena-Hard's battles in one game: strong verdicts weigh three. */
export const STRONG_WEIGHT = 3;

export function pairPreference(verdicts: readonly { label: string; order: PairOrder }[], levels: 3 | 5): number | null {
  if (verdicts.length === 0) return null;
  if (levels === 3) {
    const sides = verdicts.map((v) => sideOf(v.label, v.order));
    if (sides.some((s) => s !== sides[0])) return 0.5;
    return valueOf(sides[0]!);
  }
  let battles = 0;
  let won = 0;
  for (const v of verdicts) {
    const side = sideOf(v.label, v.order);
    const weight = labelPreference(v.label).strength === 2 ? STRONG_WEIGHT : 1;
    battles += weight;
    won += weight * valueOf(side);
  }
  return won / battles;
}

function valueOf(side: Side): number {
  return side === 'candidate' ? 1 : side === 'base' ? 0 : 0.5;
}

/** Preferences within this of ½ are a tie (averages of halves and thirds are not exact in floating point). */
const TIE_TOLERANCE = 1e-9;

export function outcomeOf(preference: number): Side {
  return preference > 0.5 + TIE_TOLERANCE ? 'candidate' : preference < 0.5 - TIE_TOLERANCE ? 'base' : 'tie';
}
