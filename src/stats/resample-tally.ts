import { MAX_KEPT_DRAWS } from './bootstrap.js';
import { seededRng } from './rng.js';
import type { Value } from './types.js';

/**
 * Bootstrap resamples added up while the data arrive, so that a run's end does not resample (issue 21).
 *
 * A seeded bootstrap over n units (seededBootstrapInterval) draws, in resample b, unit u some number of times:
 * its multiplicity m[b][u]. The draws depend only on n, the seed and the number of resamples, so they are known
 * before any unit's value is. A statistic that sees the drawn units only through sums over them can then be
 * tallied unit by unit, in any order, as each unit's value becomes known:
 *   - alpha sees a resample only as how many drawn units have each rating pattern: Σ_u m[b][u]·[class(u) = k];
 *   - a mean sees it only as Σ_u m[b][u]·x_u.
 * Both sums are exact here (integers; values on a 1/1024 grid within range), so their order does not matter and the
 * tallied replicates equal the resampled ones bit for bit. The tallies are used only after checking that every
 * unit was fed exactly the value the final data hold (`…IfMatches`); anything else falls back to resampling.
 */
export class Multiplicities {
  private constructor(
    readonly units: number,
    readonly resamples: number,
    readonly seed: number,
    /** Unit-major: m[b][u] at u · resamples + b, so that a unit's column is read in one sweep. */
    private readonly table: Uint8Array,
  ) {}

  /** Undefined where a tally cannot be kept: too large, or a unit drawn more than 255 times in one resample. */
  static of(units: number, resamples: number, seed: number): Multiplicities | undefined {
    if (units < 2 || units * resamples > MAX_TALLIED_DRAWS) return undefined;
    const table = new Uint8Array(units * resamples);
    // The very draws seededBootstrapInterval makes: resample after resample from one seeded sequence.
    const rng = seededRng(seed);
    const drawn = new Int32Array(units);
    for (let b = 0; b < resamples; b++) {
      rng.fillInts(drawn, units);
      for (let i = 0; i < units; i++) {
        const at = drawn[i]! * resamples + b;
        if (table[at] === 255) return undefined;
        table[at]!++;
      }
    }
    return new Multiplicities(units, resamples, seed, table);
  }

  /** True for the draws of seededBootstrapInterval(units, …, seed, { resamples }). */
  are(units: number, resamples: number, seed: number): boolean {
    return units === this.units && resamples === this.resamples && seed === this.seed;
  }

  /** target[b] += factor · m[b][unit] for every resample b. */
  addTo(target: Float64Array | Uint32Array, unit: number, factor = 1): void {
    const { resamples, table } = this;
    const from = unit * resamples;
    for (let b = 0; b < resamples; b++) target[b]! += factor * table[from + b]!;
  }
}

/**
 * As many draws as the bootstrap keeps (MAX_KEPT_DRAWS: 4 MB here as bytes, e.g. 4,000 units × 1,000 resamples):
 * past that a run's peak memory matters more than its last tenth of a second (a 100,000-verdict run stays under
 * 200 MB only without them), and the end resamples as before.
 */
export const MAX_TALLIED_DRAWS = MAX_KEPT_DRAWS;

/**
 * Values whose sums stay exact in doubles: on a 1/1024 grid and below 2^20 in size. A resample's sum then stays
 * below 2^20 · units · 1024 ≤ 2^52 units of the grid, since units ≤ MAX_TALLIED_DRAWS = 2^22.
 */
const GRID = 1024;
const MAX_VALUE = 2 ** 20;
const exact = (value: number) => Number.isInteger(value * GRID) && Math.abs(value) < MAX_VALUE;

/** One cell of alpha's coincidence matrix: the ordered pair of ratings (c, k). */
export interface CoincidenceCell {
  c: Value;
  k: Value;
}

/**
 * Per resample, alpha's coincidence matrix of the drawn units: o_b(c, k) = Σ_u m[b][u] · w_u(c, k), where
 * w_u is unit u's coincidences (alpha.ts, unitCoincidences). Units with the same ratings row have the same
 * coincidences, so what is added up while the data arrive is, per row pattern p, n_b(p) = Σ_{u in p} m[b][u]
 * (one sweep of the draws a unit); the matrices are o_b(c, k) = Σ_p n_b(p) · w_p(c, k), made when asked for.
 * Kept only while every weight is on the exact grid (units of 2, 3 or 5 ratings: weights in halves or quarters;
 * 4 ratings give thirds, and the tally gives up), so both sums are exact and their order does not matter.
 */
export class CoincidenceTally {
  readonly units: number;
  private readonly rowOf: (string | undefined)[];
  private patterns = new Map<string, { coincidences: readonly (CoincidenceCell & { weight: number })[]; counts: Uint32Array }>();
  private cellKeys = new Set<string>();
  private usable = true;

  constructor(private readonly draws: Multiplicities) {
    this.units = draws.units;
    this.rowOf = new Array<string | undefined>(draws.units);
  }

  /**
   * Unit `unit` has the ratings row `row` (its identity for the final check) and these coincidences, which must be
   * the same for every unit of the same row (unitCoincidences of its ratings).
   */
  add(unit: number, row: string, coincidences: readonly (CoincidenceCell & { weight: number })[]): void {
    if (!this.usable) return;
    if (!(unit >= 0 && unit < this.draws.units) || this.rowOf[unit] !== undefined) return this.giveUp();
    let pattern = this.patterns.get(row);
    if (!pattern) {
      if (this.patterns.size >= MAX_PATTERNS || !coincidences.every((p) => exact(p.weight))) return this.giveUp();
      for (const { c, k } of coincidences) this.cellKeys.add(JSON.stringify([c, k]));
      if (this.cellKeys.size > MAX_CELLS) return this.giveUp();
      this.patterns.set(row, (pattern = { coincidences, counts: new Uint32Array(this.draws.resamples) }));
    }
    this.rowOf[unit] = row;
    this.draws.addTo(pattern.counts, unit);
  }

  /**
   * Each cell's value on every resample, when the tally was fed exactly `rows` (one per unit, in unit order) and
   * its draws are those of `resamples` resamples from `seed`; otherwise undefined.
   */
  coincidencesIfMatches(rows: readonly string[], resamples: number, seed: number): { cell: CoincidenceCell; perResample: Float64Array }[] | undefined {
    if (!this.usable || !this.draws.are(rows.length, resamples, seed)) return undefined;
    for (let u = 0; u < rows.length; u++) if (this.rowOf[u] !== rows[u]) return undefined;
    const cells = new Map<string, { cell: CoincidenceCell; perResample: Float64Array }>();
    for (const { coincidences, counts } of this.patterns.values()) {
      for (const { c, k, weight } of coincidences) {
        const key = JSON.stringify([c, k]);
        let cell = cells.get(key);
        if (!cell) cells.set(key, (cell = { cell: { c, k }, perResample: new Float64Array(resamples) }));
        const sums = cell.perResample;
        for (let b = 0; b < resamples; b++) sums[b]! += weight * counts[b]!;
      }
    }
    return [...cells.values()];
  }

  private giveUp(): void {
    this.usable = false;
    this.patterns = new Map();
    this.cellKeys = new Set();
  }
}

/** Past this many cells (pairs of distinct ratings) a tally would hold more than resampling costs: it gives up. */
export const MAX_CELLS = 256;
/** Likewise past this many distinct ratings rows (a count per resample each: 1 MB at 1,000 resamples). */
export const MAX_PATTERNS = 256;

/** Per resample, the sum of the drawn units' values. */
export class SumTally {
  private readonly fed: Float64Array;
  private readonly given: Uint8Array;
  private readonly sums: Float64Array;
  private usable = true;

  constructor(private readonly draws: Multiplicities) {
    this.fed = new Float64Array(draws.units);
    this.given = new Uint8Array(draws.units);
    this.sums = new Float64Array(draws.resamples);
  }

  /** Unit `unit` has value `value`; a value the sums could round, or a unit fed twice, ends the tally. */
  add(unit: number, value: number): void {
    if (!this.usable) return;
    if (!exact(value) || !(unit >= 0 && unit < this.draws.units) || this.given[unit]) {
      this.usable = false;
      return;
    }
    this.given[unit] = 1;
    this.fed[unit] = value;
    this.draws.addTo(this.sums, unit, value);
  }

  /** The per-resample sums when the tally was fed exactly `values` (one per unit, in unit order) and drawn as `resamples` from `seed`. */
  sumsIfMatches(values: ArrayLike<number>, resamples: number, seed: number): Float64Array | undefined {
    if (!this.usable || !this.draws.are(values.length, resamples, seed)) return undefined;
    for (let u = 0; u < values.length; u++) if (!this.given[u] || !Object.is(this.fed[u], values[u])) return undefined;
    return this.sums;
  }
}
