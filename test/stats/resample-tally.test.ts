import { describe, expect, it, vi } from 'vitest';
import { criterionAgreement, meanWithInterval, ratingsKey, REPORT_SEED } from '../../src/aggregate/criterion-agreement.js';
import { unitCoincidences } from '../../src/stats/alpha.js';
import { seededBootstrapInterval, seededDraws } from '../../src/stats/bootstrap.js';
import { CoincidenceTally, MAX_CELLS, MAX_PATTERNS, MAX_TALLIED_DRAWS, Multiplicities, SumTally } from '../../src/stats/resample-tally.js';
import { seededRng } from '../../src/stats/rng.js';

const likert = { type: 'likert' as const, min: 1, max: 5 };

/** How often unit u is drawn in resample b, counted straight from the seeded sequence. */
function drawnCounts(units: number, resamples: number, seed: number): number[][] {
  const rng = seededRng(seed);
  return Array.from({ length: resamples }, () => {
    const counts = new Array<number>(units).fill(0);
    for (let i = 0; i < units; i++) counts[rng.int(units)]!++;
    return counts;
  });
}

/** Column u of the multiplicities, read through addTo. */
function column(m: Multiplicities, unit: number): number[] {
  const out = new Float64Array(m.resamples);
  m.addTo(out, unit);
  return [...out];
}

/** A deterministic shuffle of 0..n−1: tallies are fed in the order units complete, not in unit order. */
function shuffled(n: number, seed = 9): number[] {
  const rng = seededRng(seed);
  const order = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  return order;
}

/** Three judges' ratings on a likert scale, varied enough for many patterns. */
function table(units: number, judges = 3): number[][] {
  const rng = seededRng(5);
  return Array.from({ length: units }, () => {
    const base = 1 + rng.int(5);
    return Array.from({ length: judges }, () => Math.min(5, Math.max(1, base + rng.int(3) - 1)));
  });
}

function alphaTally(rows: readonly (number | null)[][], resamples = 1000, seed = REPORT_SEED): CoincidenceTally {
  const tally = new CoincidenceTally(Multiplicities.of(rows.length, resamples, seed)!);
  for (const u of shuffled(rows.length)) tally.add(u, ratingsKey(rows[u]!), unitCoincidences(rows[u]!.filter((v): v is number => v !== null)));
  return tally;
}

describe('Multiplicities', () => {
  it('counts each unit in each resample exactly as the seeded draws do', () => {
    const m = Multiplicities.of(37, 50, 3)!;
    const expected = drawnCounts(37, 50, 3);
    for (const u of [0, 1, 17, 36]) expect(column(m, u)).toEqual(expected.map((counts) => counts[u]));
    // And the same draws as the bootstrap keeps: resample b is draws[b·n, (b+1)·n).
    const draws = seededDraws(37, 3, 50)!;
    const fromKept = Array.from({ length: 50 }, (_, b) => draws.subarray(b * 37, (b + 1) * 37).filter((u) => u === 5).length);
    expect(column(m, 5)).toEqual(fromKept);
  });

  it('adds a factor times the multiplicity', () => {
    const m = Multiplicities.of(10, 20, 1)!;
    const out = new Float64Array(20).fill(1);
    m.addTo(out, 4, 0.5);
    expect([...out]).toEqual(column(m, 4).map((c) => 1 + 0.5 * c));
  });

  it('is kept only from two units up to its size limit', () => {
    expect(Multiplicities.of(1, 1000, 1)).toBeUndefined();
    expect(Multiplicities.of(2, 1000, 1)).toBeDefined();
    // Exactly at the limit (2^22 draws) and one unit past it.
    expect(Multiplicities.of(MAX_TALLIED_DRAWS / 1024, 1024, 1)).toBeDefined();
    expect(Multiplicities.of(MAX_TALLIED_DRAWS / 1024 + 1, 1024, 1)).toBeUndefined();
  });

  it('knows which draws it holds', () => {
    const m = Multiplicities.of(10, 20, 1)!;
    expect(m.are(10, 20, 1)).toBe(true);
    expect(m.are(11, 20, 1)).toBe(false);
    expect(m.are(10, 21, 1)).toBe(false);
    expect(m.are(10, 20, 2)).toBe(false);
  });
});

describe('SumTally', () => {
  const values = Float64Array.from({ length: 40 }, (_, i) => 1 + (i % 9) / 2);

  function fed(vals: ArrayLike<number>, m = Multiplicities.of(vals.length, 100, REPORT_SEED)!): SumTally {
    const tally = new SumTally(m);
    for (const u of shuffled(vals.length)) tally.add(u, vals[u]!);
    return tally;
  }

  it('holds, per resample, the sum of the drawn values, whatever order the units came in', () => {
    const counts = drawnCounts(40, 100, REPORT_SEED);
    const sums = fed(values).sumsIfMatches(values, 100, REPORT_SEED)!;
    expect([...sums]).toEqual(counts.map((c) => c.reduce((s, k, u) => s + k * values[u]!, 0)));
  });

  it('is refused for other values, draws or a unit left out', () => {
    const tally = fed(values);
    const other = Float64Array.from(values);
    other[7] = other[7]! + 0.5;
    expect(tally.sumsIfMatches(other, 100, REPORT_SEED)).toBeUndefined();
    expect(tally.sumsIfMatches(values, 100, REPORT_SEED + 1)).toBeUndefined();
    expect(tally.sumsIfMatches(values, 99, REPORT_SEED)).toBeUndefined();
    const partial = new SumTally(Multiplicities.of(40, 100, REPORT_SEED)!);
    for (let u = 1; u < 40; u++) partial.add(u, values[u]!);
    expect(partial.sumsIfMatches(values, 100, REPORT_SEED)).toBeUndefined();
  });

  it('gives up on values whose sums could round, and on a unit given twice or out of range', () => {
    const thirds = Float64Array.from(values, (v, i) => (i === 3 ? 10 / 3 : v));
    expect(fed(thirds).sumsIfMatches(thirds, 100, REPORT_SEED)).toBeUndefined();
    const huge = Float64Array.from(values, (v, i) => (i === 3 ? 2 ** 20 : v));
    expect(fed(huge).sumsIfMatches(huge, 100, REPORT_SEED)).toBeUndefined();
    const almost = Float64Array.from(values, (v, i) => (i === 3 ? 2 ** 20 - 1 : v));
    expect(fed(almost).sumsIfMatches(almost, 100, REPORT_SEED)).toBeDefined();
    const twice = fed(values);
    twice.add(0, values[0]!);
    expect(twice.sumsIfMatches(values, 100, REPORT_SEED)).toBeUndefined();
    for (const unit of [40, -1]) {
      const outside = fed(values);
      outside.add(unit, 1);
      expect(outside.sumsIfMatches(values, 100, REPORT_SEED)).toBeUndefined();
    }
  });
});

describe('CoincidenceTally', () => {
  it('holds each resample’s coincidence matrix, equal to adding up the drawn units’ coincidences', () => {
    const rows = table(30);
    const counts = drawnCounts(30, 1000, REPORT_SEED);
    const cells = alphaTally(rows).coincidencesIfMatches(rows.map((r) => ratingsKey(r)), 1000, REPORT_SEED)!;
    expect(cells.length).toBeGreaterThan(5);
    for (const { cell, perResample } of cells.slice(0, 4)) {
      const expected = counts.map((c) => c.reduce((s, k, u) => s + k * (unitCoincidences(rows[u]!).find((p) => p.c === cell.c && p.k === cell.k)?.weight ?? 0), 0));
      expect([...perResample]).toEqual(expected);
    }
  });

  it('is refused for another row, other draws, or a row never given', () => {
    const rows = table(30);
    const keys = rows.map((r) => ratingsKey(r));
    const tally = alphaTally(rows);
    expect(tally.coincidencesIfMatches(keys.map((k, u) => (u === 12 ? ratingsKey([1, 2, 3]) : k)), 1000, REPORT_SEED)).toBeUndefined();
    expect(tally.coincidencesIfMatches(keys, 1000, REPORT_SEED + 1)).toBeUndefined();
    expect(tally.coincidencesIfMatches(keys, 999, REPORT_SEED)).toBeUndefined();
    const partial = new CoincidenceTally(Multiplicities.of(30, 1000, REPORT_SEED)!);
    rows.slice(1).forEach((row, i) => partial.add(i + 1, ratingsKey(row), unitCoincidences(row)));
    expect(partial.coincidencesIfMatches(keys, 1000, REPORT_SEED)).toBeUndefined();
  });

  it('gives up on weights in thirds (four ratings), a unit given twice, and too many cells', () => {
    const four = table(30, 4);
    expect(alphaTally(four).coincidencesIfMatches(four.map((r) => ratingsKey(r)), 1000, REPORT_SEED)).toBeUndefined();
    const rows = table(30);
    const twice = alphaTally(rows);
    twice.add(3, ratingsKey(rows[3]!), unitCoincidences(rows[3]!));
    expect(twice.coincidencesIfMatches(rows.map((r) => ratingsKey(r)), 1000, REPORT_SEED)).toBeUndefined();
    // Each unit rates two values no other unit uses: two new cells a unit.
    const spread = (units: number) => Array.from({ length: units }, (_, u) => [2 * u, 2 * u + 1]);
    const atLimit = spread(MAX_CELLS / 2);
    expect(alphaTally(atLimit, 10).coincidencesIfMatches(atLimit.map((r) => ratingsKey(r)), 10, REPORT_SEED)).toBeDefined();
    const past = spread(MAX_CELLS / 2 + 1);
    expect(alphaTally(past, 10).coincidencesIfMatches(past.map((r) => ratingsKey(r)), 10, REPORT_SEED)).toBeUndefined();
    // At the limit, a unit whose cells are known already is still taken (fed last, after the limit is reached).
    const again = [...atLimit, atLimit[0]!];
    const full = new CoincidenceTally(Multiplicities.of(again.length, 10, REPORT_SEED)!);
    again.forEach((row, u) => full.add(u, ratingsKey(row), unitCoincidences(row)));
    expect(full.coincidencesIfMatches(again.map((r) => ratingsKey(r)), 10, REPORT_SEED)).toBeDefined();
  });

  it('keeps a count per distinct ratings row up to MAX_PATTERNS rows, and gives up past that', () => {
    // Ordered rows of three ratings on 1–7: 343 distinct rows, all of them within 49 cells.
    const rows = Array.from({ length: 343 }, (_, n) => [1 + (n % 7), 1 + (Math.floor(n / 7) % 7), 1 + Math.floor(n / 49)]);
    const atLimit = rows.slice(0, MAX_PATTERNS);
    const kept = alphaTally([...atLimit, ...atLimit], 10).coincidencesIfMatches([...atLimit, ...atLimit].map((r) => ratingsKey(r)), 10, REPORT_SEED);
    expect(kept).toBeDefined();
    const past = rows.slice(0, MAX_PATTERNS + 1);
    expect(alphaTally(past, 10).coincidencesIfMatches(past.map((r) => ratingsKey(r)), 10, REPORT_SEED)).toBeUndefined();
  });

  it('gives up on a unit with any weight off the grid, or out of range', () => {
    // Ten ratings: weights in ninths, some whole (9/9), some not (6/9).
    const mixed = [1, 1, 1, 2, 2, 2, 3, 3, 3, 3];
    expect(unitCoincidences(mixed).some((p) => Number.isInteger(p.weight))).toBe(true);
    const rows = [mixed, ...table(29)];
    expect(alphaTally(rows).coincidencesIfMatches(rows.map((r) => ratingsKey(r)), 1000, REPORT_SEED)).toBeUndefined();
    const plain = table(30);
    for (const unit of [-1, 30]) {
      const tally = alphaTally(plain);
      tally.add(unit, ratingsKey([1, 2]), unitCoincidences([1, 2]));
      expect(tally.coincidencesIfMatches(plain.map((r) => ratingsKey(r)), 1000, REPORT_SEED)).toBeUndefined();
    }
  });
});

describe('the summaries with tallies', () => {
  it('alpha: the same agreement, interval included, as resampling', () => {
    for (const units of [40, 300]) {
      const rows = table(units);
      const tally = alphaTally(rows);
      const spy = vi.spyOn(tally, 'coincidencesIfMatches');
      const tallied = criterionAgreement(rows, ['a', 'b', 'c'], likert, undefined, 1000, false, tally);
      expect(spy).toHaveReturnedWith(expect.any(Array));
      expect(tallied.alpha.ci).not.toBeNull();
      expect(tallied).toEqual(criterionAgreement(rows, ['a', 'b', 'c'], likert));
    }
  });

  it('alpha: the interval comes from the tally when it matches (a tally fed other coincidences moves it)', () => {
    const rows = table(60);
    const skewed = new CoincidenceTally(Multiplicities.of(60, 1000, REPORT_SEED)!);
    rows.forEach((row, u) => skewed.add(u, ratingsKey(row), u % 2 ? [{ c: 1, k: 5, weight: 1 }, { c: 5, k: 1, weight: 1 }] : unitCoincidences(row)));
    const honest = criterionAgreement(rows, ['a', 'b', 'c'], likert);
    const fromSkewed = criterionAgreement(rows, ['a', 'b', 'c'], likert, undefined, 1000, false, skewed);
    expect(fromSkewed.alpha.value).toBe(honest.alpha.value);
    expect(fromSkewed.alpha.ci!.high).toBeLessThan(honest.alpha.ci!.low);
  });

  it('alpha: a tally that does not match, or units nested in conversations, resample as before', () => {
    const rows = table(50);
    const other = table(50).map((r, u) => (u === 0 ? [r[0]!, r[1]!, r[2] === 5 ? 4 : 5] : r));
    const expected = criterionAgreement(rows, ['a', 'b', 'c'], likert);
    expect(criterionAgreement(rows, ['a', 'b', 'c'], likert, undefined, 1000, false, alphaTally(other))).toEqual(expected);
    const nested = rows.map((_, u) => `conv-${Math.floor(u / 2)}`);
    expect(criterionAgreement(rows, ['a', 'b', 'c'], likert, nested, 1000, false, alphaTally(rows))).toEqual(criterionAgreement(rows, ['a', 'b', 'c'], likert, nested));
    // A row with one rating drops out of alpha: the table no longer has one pairable row a unit.
    const gap = rows.map((r, u) => (u === 7 ? [r[0]!, null, null] : r));
    expect(criterionAgreement(gap, ['a', 'b', 'c'], likert, undefined, 1000, false, alphaTally(rows))).toEqual(criterionAgreement(gap, ['a', 'b', 'c'], likert));
  });

  it('the mean: the same interval from tallied sums, from the kept draws and drawn as it goes', () => {
    const jackknife = (values: Float64Array) => () => {
      const total = values.reduce((a, b) => a + b, 0);
      return Array.from(values, (v) => (total - (0 + v)) / (values.length - 1));
    };
    const byResampling = (values: Float64Array) => {
      const statistic = (sel: ArrayLike<number>) => {
        let sum = 0;
        for (let i = 0; i < sel.length; i++) sum += values[sel[i]!]!;
        return { value: sum / sel.length };
      };
      const interval = seededBootstrapInterval(values.length, statistic, REPORT_SEED, { resamples: 1000, method: 'bca', jackknife: jackknife(values) });
      return interval.low === null ? null : { low: interval.low, high: interval.high, level: interval.level, method: interval.method, skipped: interval.skipped };
    };
    const halves = Float64Array.from(table(200), (r) => r.reduce((a, b) => a + b, 0) / 2);
    const thirds = Float64Array.from(table(200), (r) => r.reduce((a, b) => a + b, 0) / 3);
    const tally = new SumTally(Multiplicities.of(200, 1000, REPORT_SEED)!);
    shuffled(200).forEach((u) => tally.add(u, halves[u]!));
    const spy = vi.spyOn(tally, 'sumsIfMatches');
    expect(meanWithInterval([...halves], undefined, 1000, tally).ci).toEqual(byResampling(halves));
    expect(spy).toHaveReturnedWith(expect.any(Float64Array));
    expect(meanWithInterval([...thirds]).ci).toEqual(byResampling(thirds));
    // Past the kept draws' size (4,194,304 indexes): drawn as they are added, still the same numbers.
    const many = Float64Array.from({ length: 4500 }, (_, i) => (1 + ((i * 7) % 5)) / 3);
    expect(seededDraws(4500, REPORT_SEED, 1000)).toBeUndefined();
    expect(meanWithInterval([...many]).ci).toEqual(byResampling(many));
  });
});
