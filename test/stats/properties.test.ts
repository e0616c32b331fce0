import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { bootstrapInterval } from '../../src/stats/bootstrap.js';
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
});
