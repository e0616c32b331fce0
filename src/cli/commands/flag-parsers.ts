import { InvalidArgumentError } from 'commander';
import { InputError } from '../../diagnostics/diagnostic.js';
import { LABEL_PATTERN } from '../../config/config.js';

export interface NumberRange {
  /** Lowest accepted value. */
  min?: number;
  /** The lowest value itself is refused (a budget of $0 buys nothing). */
  minExclusive?: boolean;
  max?: number;
  integer?: boolean;
  /** What the number counts, for the message: "dollars", "seconds". */
  unit?: string;
}

/** The accepted range in words, e.g. "a number above 0 (dollars)", "a whole number from 1 up". */
export function describeRange(range: NumberRange): string {
  const kind = range.integer ? 'a whole number' : 'a number';
  const { min, max } = range;
  let bounds = '';
  if (min !== undefined && max !== undefined) bounds = range.minExclusive ? ` above ${min} and at most ${max}` : ` from ${min} to ${max}`;
  else if (min !== undefined) bounds = range.minExclusive ? ` above ${min}` : ` from ${min} up`;
  else if (max !== undefined) bounds = ` up to ${max}`;
  return `${kind}${bounds}${range.unit ? ` (${range.unit})` : ''}`;
}

/**
 * A commander argument parser for a numeric flag. `Number('')` is 0 and `Number('abc')` is NaN, and either would
 * silently turn a budget or a threshold off; anything that is not a finite number in range is refused (exit 2,
 * naming the flag and the accepted range).
 */
export function numberIn(range: NumberRange): (value: string) => number {
  return (value: string) => {
    const n = value.trim() === '' ? Number.NaN : Number(value);
    const inRange = Number.isFinite(n)
      && (!range.integer || Number.isInteger(n))
      && (range.min === undefined || (range.minExclusive ? n > range.min : n >= range.min))
      && (range.max === undefined || n <= range.max);
    if (!inRange) throw new InvalidArgumentError(`expected ${describeRange(range)}, got ${JSON.stringify(value)}.`);
    return n;
  };
}

export const share = numberIn({ min: 0, max: 1 });
export const nonNegative = numberIn({ min: 0 });
export const wholeFromZero = numberIn({ min: 0, integer: true });
export const wholeFromOne = numberIn({ min: 1, integer: true });
export const dollars = numberIn({ min: 0, minExclusive: true, unit: 'dollars' });
export const seconds = numberIn({ min: 0, minExclusive: true, max: 86_400, unit: 'seconds' });
/** A significance level: a probability strictly between 0 and 1. */
export const probability = numberIn({ min: 0, minExclusive: true, max: 0.5 });

/** `--label`: checked as jury.yaml's `label` is, so that `../x`, `/abs` or `''` cannot put a run folder outside `--out`. */
export function runLabel(value: string): string {
  if (!LABEL_PATTERN.test(value)) throw new InvalidArgumentError(`expected a label usable as a folder name (letters, digits, "_", "." or "-", starting with a letter or digit), got ${JSON.stringify(value)}.`);
  return value;
}

/** `--by metadata.genre`: a metadata key (dotted path), each part non-empty. */
export function sliceKey(value: string, previous: string[] = []): string[] {
  const parts = value.split('.');
  if (value.trim() === '' || parts.some((p) => p.trim() === '') || (parts[0] === 'metadata' && parts.length === 1)) {
    throw new InvalidArgumentError(`expected a metadata key such as metadata.genre (or genre), got ${JSON.stringify(value)}.`);
  }
  return [...previous, value];
}

/** `--pairwise <base> <candidate>`: exactly two globs (commander collects the values; the count is checked here). */
export function pairwiseSides(values: readonly string[]): { base: string; candidate: string } {
  if (values.length !== 2) {
    throw new InputError([{ code: 'usage/invalid', severity: 'error', file: '--pairwise', path: [], message: `--pairwise takes two datasets, got ${values.length}`, expected: '--pairwise <base> <candidate>, e.g. --pairwise runs/v1.jsonl runs/v2.jsonl' }]);
  }
  return { base: values[0]!, candidate: values[1]! };
}
