import { present, undefinedBecause, type Estimate, type RatingTable } from './types.js';

/**
 * Percent agreement: pairs of ratings on the same item that agree, over all such pairs, pooled across items
 * (an item rated m times gives m(m−1)/2 pairs). `within` counts numeric pairs at most that far apart as
 * agreeing (within-one agreement: within = 1). Undefined when no item is rated twice.
 */
export function percentAgreement(table: RatingTable, within = 0): Estimate {
  let pairs = 0;
  let agreeing = 0;
  for (const row of table) {
    const values = present(row);
    for (let i = 0; i < values.length; i++) {
      for (let j = i + 1; j < values.length; j++) {
        pairs++;
        const a = values[i]!;
        const b = values[j]!;
        if (a === b || (within > 0 && typeof a === 'number' && typeof b === 'number' && Math.abs(a - b) <= within)) agreeing++;
      }
    }
  }
  return pairs === 0 ? undefinedBecause('no item has two or more ratings') : { value: agreeing / pairs };
}
