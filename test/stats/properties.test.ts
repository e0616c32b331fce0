import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alphaFromUnits, krippendorffAlpha, prepareAlpha } from '../../src/stats/alpha.js';
import { bootstrapInterval, seededBootstrapInterval } from '../../src/stats/bootstrap.js';
import { kendallTauB, pearson, spearman } from '../../src/stats/correlation.js';
import { gwet } from '../../src/stats/gwet.js';
import { icc } from '../../src/stats/icc.js';
import { cohenKappa, fleissKappa } from '../../src/stats/kappa.js';
import { percentAgreement } from '../../src/stats/percent.js';
import { seededRng } from '../../src/stats/rng.js';
import type { Level, RatingTable } from '../../src/stats/types.js';

const LEVELS: Level[] = ['nominal', 'ordinal', 'interval', 'ratio'];

/** Tables of 3–15 units × 2–5 raters, scores 1–5, about a fifth missing. */
const tables = fc.integer({ min: 2, max: 5 }).chain((raters) =>
  fc.array(fc.array(fc.option(fc.integer({ min: 1, max: 5 }), { freq: 5, nil: null }), { minLength: raters, maxLength: raters }), { minLength: 3, maxLength: 15 }),
);

const permute = <T>(items: readonly T[], seed: number): T[] => {
  const rng = seededRng(seed);
  const out = [...items];
  for (let i = out.length - 1; i > 0; i--) {
    const j = rng.int(i + 1);
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
};

const close = (a: number | null, b: number | null) => (a === null ? b === null : b !== null && Math.abs(a - b) < 1e-9);

describe('agreement statistics: properties', () => {
  it('alpha, Fleiss and AC1 do not depend on rater order or item order', () => {
    fc.assert(
      fc.property(tables, fc.integer(), (table, seed) => {
        const raterOrder = permute(table[0]!.map((_, j) => j), seed);
        const shuffled: RatingTable = permute(table, seed + 1).map((row) => raterOrder.map((j) => row[j]!));
        for (const level of LEVELS) expect(close(krippendorffAlpha(table, level).value, krippendorffAlpha(shuffled, level).value)).toBe(true);
        expect(close(fleissKappa(table).value, fleissKappa(shuffled).value)).toBe(true);
        expect(close(gwet(table).value, gwet(shuffled).value)).toBe(true);
      }),
    );
  });

  it('nominal alpha is invariant to relabelling the categories', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const labels = ['tie', 'model-a', 'model-b', 'x', 'y'];
        const relabelled = table.map((row) => row.map((v) => (v === null ? null : labels[v - 1]!)));
        expect(close(krippendorffAlpha(table, 'nominal').value, krippendorffAlpha(relabelled, 'nominal').value)).toBe(true);
      }),
    );
  });

  it('perfect agreement gives 1 wherever the statistic is defined', () => {
    const perfect = fc.array(fc.integer({ min: 1, max: 5 }), { minLength: 3, maxLength: 12 }).filter((v) => new Set(v).size >= 2);
    fc.assert(
      fc.property(perfect, fc.integer({ min: 2, max: 5 }), (values, raters) => {
        const table = values.map((v) => Array<number>(raters).fill(v));
        for (const level of LEVELS) expect(krippendorffAlpha(table, level).value).toBeCloseTo(1, 12);
        expect(fleissKappa(table).value).toBeCloseTo(1, 12);
        expect(gwet(table).value).toBeCloseTo(1, 12);
        expect(cohenKappa(table.map((r) => r[0]!), table.map((r) => r[1]!), 'quadratic').value).toBeCloseTo(1, 12);
        expect(icc(table, 'ICC2').value).toBeCloseTo(1, 12);
        expect(percentAgreement(table).value).toBe(1);
      }),
    );
  });

  it('bounds hold: agreement ≤ 1, correlations in [−1, 1], percentages in [0, 1]; undefined is null with a reason', () => {
    fc.assert(
      fc.property(tables, (table) => {
        const stats = [
          ...LEVELS.map((l) => krippendorffAlpha(table, l)),
          fleissKappa(table),
          gwet(table),
          cohenKappa(table.map((r) => r[0]!), table.map((r) => r[1]!)),
        ];
        for (const s of stats) {
          if (s.value === null) expect(s.reason).toBeTruthy();
          else expect(s.value).toBeLessThanOrEqual(1 + 1e-12);
        }
        for (const s of [pearson, spearman, kendallTauB].map((f) => f(table.map((r) => r[0]), table.map((r) => r[1])))) {
          if (s.value !== null) expect(Math.abs(s.value)).toBeLessThanOrEqual(1 + 1e-12);
          else expect(s.reason).toBeTruthy();
        }
        const p = percentAgreement(table, 1);
        if (p.value !== null) expect(p.value >= 0 && p.value <= 1).toBe(true);
      }),
    );
  });

  it('a bootstrap interval is reproducible from its seed and brackets the estimate on well-behaved data', () => {
    const table = Array.from({ length: 60 }, (_, i) => [1 + (i % 5), 1 + (i % 5), 1 + ((i + (i % 3 === 0 ? 1 : 0)) % 5)]);
    const stat = (sel: Int32Array) => krippendorffAlpha(Array.from(sel, (i) => table[i]!), 'ordinal');
    const a = bootstrapInterval(table.length, stat, seededRng(7), { resamples: 300 });
    const b = bootstrapInterval(table.length, stat, seededRng(7), { resamples: 300 });
    const c = bootstrapInterval(table.length, stat, seededRng(8), { resamples: 300 });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
    const point = krippendorffAlpha(table, 'ordinal').value!;
    expect(a.low! < point && point < a.high!).toBe(true);
  });

  it('alpha over a resample (units drawn with repeats) equals a direct coincidence-matrix computation on the drawn rows', () => {
    fc.assert(
      fc.property(tables, fc.constantFrom(...LEVELS), fc.integer({ min: 0, max: 1e6 }), (table, level, seed) => {
        const prepared = prepareAlpha(table, level);
        if ('reason' in prepared) return;
        const pairable = table.filter((row) => row.filter((v) => v !== null).length >= 2);
        const rng = seededRng(seed);
        const selection = Int32Array.from({ length: pairable.length }, () => rng.int(pairable.length));
        const fast = alphaFromUnits(prepared, selection).value;
        const slow = naiveAlpha(Array.from(selection, (i) => pairable[i]!), level);
        expect(close(fast, slow)).toBe(true);
      }),
    );
  });

  it('fillInts continues the stream exactly as int() calls would', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 10_000 }), (seed, before, count, n) => {
        const reference = seededRng(seed);
        const filled = seededRng(seed);
        for (let i = 0; i < before; i++) expect(filled.int(n)).toBe(reference.int(n));
        const target = new Int32Array(count);
        filled.fillInts(target, n);
        expect(Array.from(target)).toEqual(Array.from({ length: count }, () => reference.int(n)));
        expect(filled.next()).toBe(reference.next());
      }),
    );
  });

  it('a bootstrap with kept draws gives exactly what drawing as it goes gives, whatever the order of calls', () => {
    const stat = (sel: Int32Array) => ({ value: sel.reduce((a, b) => a + ((b * 7919) % 13), 0) / sel.length });
    const cases: [number, number, number][] = [[50, 1, 200], [50, 1, 200], [80, 1, 200], [50, 2, 200], [50, 1, 300], [50, 1, 200], [5000, 3, 1000]];
    for (const [units, seed, resamples] of cases) {
      expect(seededBootstrapInterval(units, stat, seed, { resamples })).toEqual(bootstrapInterval(units, stat, seededRng(seed), { resamples }));
    }
  });
});

/** Krippendorff's alpha straight from the definition: every ordered pair of ratings in a unit adds 1/(m−1). */
function naiveAlpha(table: RatingTable, level: Level): number | null {
  const values = [...new Set(table.flat().filter((v): v is number => v !== null))].sort((a, b) => a - b);
  const o = values.map(() => values.map(() => 0));
  for (const row of table) {
    const present = row.filter((v): v is number => v !== null);
    for (let i = 0; i < present.length; i++) {
      for (let j = 0; j < present.length; j++) if (i !== j) o[values.indexOf(present[i]!)]![values.indexOf(present[j]!)]! += 1 / (present.length - 1);
    }
  }
  const n_c = o.map((row) => row.reduce((a, b) => a + b, 0));
  const n = n_c.reduce((a, b) => a + b, 0);
  const delta = (c: number, k: number): number => {
    const [vc, vk] = [values[c]!, values[k]!];
    if (level === 'nominal') return c === k ? 0 : 1;
    if (level === 'interval') return (vc - vk) ** 2;
    if (level === 'ratio') return vc + vk === 0 ? 0 : ((vc - vk) / (vc + vk)) ** 2;
    let between = 0;
    for (let g = Math.min(c, k); g <= Math.max(c, k); g++) between += n_c[g]!;
    return (between - (n_c[c]! + n_c[k]!) / 2) ** 2;
  };
  let observed = 0;
  let expected = 0;
  for (let c = 0; c < values.length; c++) {
    for (let k = 0; k < values.length; k++) {
      observed += o[c]![k]! * delta(c, k);
      expected += n_c[c]! * n_c[k]! * delta(c, k);
    }
  }
  return expected === 0 ? null : 1 - ((n - 1) * observed) / expected;
}
