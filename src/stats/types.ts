/** A rating: a number on numeric levels, a label (or number) on the nominal level. */
export type Value = number | string;

/** Rows are units (items), columns are raters; null is a missing rating. */
export type RatingTable = readonly (readonly (Value | null)[])[];

export type Level = 'nominal' | 'ordinal' | 'interval' | 'ratio';

/** A statistic's value, or null with the reason it is undefined: never NaN, never a made-up 0 or 1. */
export type Estimate = { value: number; reason?: undefined } | { value: null; reason: string };

export const undefinedBecause = (reason: string): Estimate => ({ value: null, reason });

export function estimate(value: number, reasonIfNotFinite: string): Estimate {
  return Number.isFinite(value) ? { value } : { value: null, reason: reasonIfNotFinite };
}

/** The ratings present in one row. */
export function present(row: readonly (Value | null)[]): Value[] {
  return row.filter((v): v is Value => v !== null && v !== undefined);
}

/** Distinct values, numbers ascending (or labels in first-seen order on the nominal level). */
export function categories(table: RatingTable, numeric: boolean): Value[] {
  const seen = new Set<Value>();
  for (const row of table) for (const v of present(row)) seen.add(v);
  const values = [...seen];
  return numeric ? values.sort((a, b) => Number(a) - Number(b)) : values;
}
