import { isNumericScale, type Scale, type Score } from '../rubric/rubric.js';
import { krippendorffAlpha } from '../stats/alpha.js';
import { combine } from './panel.js';
import { levelOf } from './criterion-agreement.js';

/**
 * The one rating a judge contributes to agreement when it sampled several times: on numeric scales the lower
 * median of its samples (the ⌈k/2⌉-th smallest: always a point of the scale, where a mean of 3 and 4 would be an
 * off-scale 3.5 that ordinal alpha counts as a category of its own), on categorical ones the most frequent label.
 * Its samples' spread is its own test–retest reliability, reported apart (testRetest).
 */
export function representativeSample(samples: readonly Score[], scale: Scale): Score {
  if (!isNumericScale(scale)) return combine(samples, 'majority', scale);
  const sorted = samples.map(Number).sort((a, b) => a - b);
  return sorted[Math.ceil(sorted.length / 2) - 1]!;
}

export interface TestRetest {
  /** Krippendorff's alpha at the criterion's level over units × samples: the judge agreeing with itself. */
  alpha: number | null;
  reason?: string;
  /** Units with two or more scored samples. */
  units: number;
}

/** A judge's agreement with itself across its samples of the same units (test–retest reliability). */
export function testRetest(unitsSamples: readonly (readonly Score[])[], scale: Scale): TestRetest {
  const table = unitsSamples.filter((s) => s.length >= 2);
  if (table.length === 0) return { alpha: null, reason: 'no unit has two scored samples', units: 0 };
  const width = Math.max(...table.map((s) => s.length));
  const padded = table.map((s) => [...s, ...Array<null>(width - s.length).fill(null)]);
  const alpha = krippendorffAlpha(padded, levelOf(scale));
  return alpha.value === null ? { alpha: null, reason: alpha.reason, units: table.length } : { alpha: alpha.value, units: table.length };
}
