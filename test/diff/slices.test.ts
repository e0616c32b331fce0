import type { Report } from '../../src/report/report.js';
import { describe, expect, it } from 'vitest';
import type { Gates } from '../../src/config/config.js';
import { diffReports as diffWithPower, type DiffOptions } from '../../src/diff/diff.js';
import { diffSlices } from '../../src/diff/slices.js';
import { evaluateGates } from '../../src/gate/gate.js';
import { groupBySlice, NO_VALUE, sliceValues, summarizeSlices } from '../../src/report/slices.js';
import { syntheticReport } from '../support/synthetic-report.js';

// The detectable-drop simulation is tested in test/diff/power.test.ts; here it is left out so that these tests
// stay fast under mutation testing, where every "no significant change" would run it instrumented.
const diffReports = (base: Report, candidate: Report, options: DiffOptions = {}) => diffWithPower(base, candidate, { skipDetectable: true, ...options });

// 60 listeners: items 00–09 listen to jazz, 10–59 to rock. The candidate agent got worse for jazz listeners only
// (every jazz item one point lower on c1); for rock listeners it moved ±1 at random-looking, balanced places.
const genre = (item: string) => (Number(item.slice(5)) < 10 ? 'jazz' : 'rock');
const meta = (item: string) => ({ genre: genre(item), tags: Number(item.slice(5)) % 2 ? ['new', 'mobile'] : ['new'], user: { segment: Number(item.slice(5)) < 30 ? 'a' : 'b' } });
const judges = ['j1', 'j2', 'j3'];
const baseScore = (judge: string, item: string, criterion: string) => 3 + ((Number(item.slice(5)) + judges.indexOf(judge) + criterion.length) % 2);
const base = syntheticReport({ items: 60, criteria: ['c1', 'c2'], judges, label: 'base', score: baseScore, metadata: meta });
const shift = (item: string) => (genre(item) === 'jazz' ? -1 : Number(item.slice(5)) % 2 ? 1 : -1);
const candidate = syntheticReport({ items: 60, criteria: ['c1', 'c2'], judges, label: 'candidate', score: (j, item, c) => baseScore(j, item, c) + (c === 'c1' ? shift(item) : 0), metadata: meta });

describe('slice values', () => {
  it('reads a key with or without `metadata.`, nested paths, lists as several slices, and (none) for missing', () => {
    expect(sliceValues({ genre: 'jazz' }, 'metadata.genre')).toEqual(['jazz']);
    expect(sliceValues({ genre: 'jazz' }, 'genre')).toEqual(['jazz']);
    expect(sliceValues({ user: { segment: 'new' } }, 'metadata.user.segment')).toEqual(['new']);
    expect(sliceValues({ tags: ['a', 'b', 'a'] }, 'tags')).toEqual(['a', 'b']);
    expect(sliceValues({ turns: 4, ok: false }, 'turns')).toEqual(['4']);
    expect(sliceValues({ ok: false }, 'ok')).toEqual(['false']);
    expect(sliceValues(undefined, 'genre')).toEqual([NO_VALUE]);
    expect(sliceValues({ genre: '' }, 'genre')).toEqual([NO_VALUE]);
    const groups = groupBySlice([{ id: 'a', metadata: { g: 'z' } }, { id: 'b' }, { id: 'c', metadata: { g: 'b' } }], 'g');
    expect([...groups]).toEqual([['b', ['c']], ['z', ['a']], [NO_VALUE, ['b']]]);
  });
});

describe('summaries by slice', () => {
  it('a slice holding every item has exactly the report’s own mean, CI and alpha (an independent path: buildReport)', () => {
    const [family] = summarizeSlices(base, ['metadata.user']);
    // `user` is an object: one value per distinct object, here two.
    expect(family!.slices.map((s) => s.items)).toEqual([30, 30]);
    const [everything] = summarizeSlices(syntheticReport({ items: 60, criteria: ['c1', 'c2'], judges, score: baseScore, metadata: () => ({ genre: 'all' }) }), ['genre']);
    expect(everything!.slices).toHaveLength(1);
    for (const [i, c] of everything!.slices[0]!.criteria.entries()) {
      const whole = base.criteria[i]!;
      expect(c.mean).toBe(whole.mean);
      expect(c.mean_ci).toEqual(whole.mean_ci);
      expect(c.alpha.value).toBe(whole.agreement.alpha.value);
      expect(c.units).toBe(whole.units);
    }
  });

  it('a slice’s mean is the mean of its items’ panel scores; a listed value puts an item in several slices', () => {
    const [byGenre, byTag] = summarizeSlices(candidate, ['genre', 'metadata.tags']);
    const jazz = byGenre!.slices.find((s) => s.value === 'jazz')!;
    const panel = candidate.items.filter((i) => genre(i.id) === 'jazz').map((i) => i.results.find((r) => r.criterion === 'c1')!.panel);
    const expected = panel.reduce((sum, p) => sum + (p.status === 'scored' ? Number(p.score) : 0), 0) / panel.length;
    expect(jazz.items).toBe(10);
    expect(jazz.criteria.find((c) => c.criterion === 'c1')!.mean).toBeCloseTo(expected, 12);
    expect(byTag!.slices.map((s) => [s.value, s.items])).toEqual([['mobile', 30], ['new', 60]]);
  });
});

describe('diff and gate by slice', () => {
  it('finds the regression the whole-set mean hides, Holm-corrected within its family', () => {
    const whole = diffReports(base, candidate);
    const c1 = whole.criteria.find((c) => c.criterion === 'c1')!;
    expect(c1.change).toBe('no significant change');
    const [family] = diffSlices(base, candidate, ['metadata.genre']);
    expect(family!.by).toBe('metadata.genre');
    const jazz = family!.rows.find((r) => r.value === 'jazz' && r.criterion === 'c1')!;
    const rock = family!.rows.find((r) => r.value === 'rock' && r.criterion === 'c1')!;
    expect(jazz).toMatchObject({ pairs: 10, difference: -1, change: 'regressed' });
    expect(rock.change).toBe('no significant change');
    // c2 did not change anywhere: its tests (n = 0) are not in the family, which is the two c1 tests.
    expect(family!.family).toBe(2);
    // Holm over two: the smaller p is doubled, the larger kept (never below the smaller adjusted one).
    expect(jazz.test!.p_holm).toBeCloseTo(Math.min(1, 2 * jazz.test!.p_value), 12);
    expect(rock.test!.p_holm).toBeCloseTo(Math.max(jazz.test!.p_holm, rock.test!.p_value), 12);
    // All ten jazz differences are −1: the exact two-sided signed-rank p is 2/2^10; the normal approximation is near.
    expect(jazz.test!.p_value).toBeGreaterThan(0.0005);
    expect(jazz.test!.p_value).toBeLessThan(0.004);
  });

  it('a single slice of every item gives the whole diff’s numbers', () => {
    const allBase = syntheticReport({ items: 60, criteria: ['c1', 'c2'], judges, label: 'base', score: baseScore, metadata: () => ({ g: 'x' }) });
    const allCandidate = syntheticReport({ items: 60, criteria: ['c1', 'c2'], judges, label: 'candidate', score: (j, item, c) => baseScore(j, item, c) + (c === 'c1' ? shift(item) : 0), metadata: () => ({ g: 'x' }) });
    const whole = diffReports(allBase, allCandidate);
    const [family] = diffSlices(allBase, allCandidate, ['g']);
    for (const row of family!.rows) {
      const c = whole.criteria.find((x) => x.criterion === row.criterion)!;
      expect([row.difference, row.ci, row.test?.p_value, row.test?.p_holm, row.change]).toEqual([c.difference, c.ci, c.test?.p_value, c.test?.p_holm, c.change]);
    }
  });

  it('the slice gate fails on the hidden regression; small slices are reported, not gated; nothing to check never passes', () => {
    const gates = (extra: Partial<Gates>): Gates => ({ significance: 0.05, min_slice_items: 10, max_regression: 0, ...extra });
    const diff = { ...diffReports(base, candidate), slices: diffSlices(base, candidate, ['genre']) };
    const overall = evaluateGates(candidate, gates({}), diff, { baseline: base });
    expect(overall.passed).toBe(true);
    const sliced = evaluateGates(candidate, gates({ max_slice_regression: 0 }), diff, { baseline: base });
    expect(sliced.passed).toBe(false);
    const failing = sliced.checks.filter((c) => !c.passed);
    expect(failing.map((c) => c.subject)).toEqual(['metadata.genre=jazz r/c1']);
    expect(failing[0]!.message).toMatch(/^regressed on 10 items: mean 3\.\d+ → 2\.\d+ \(Δ -1, Holm p 0\.00\d in a family of 2\)$/);
    // A drop of 1 is within a tolerance of 1.
    expect(evaluateGates(candidate, gates({ max_slice_regression: 1 }), diff, { baseline: base }).passed).toBe(true);
    // Jazz has 10 items: with 11 required it is not gated (said), rock still is.
    const small = evaluateGates(candidate, gates({ max_slice_regression: 0, min_slice_items: 11 }), diff, { baseline: base });
    expect(small.passed).toBe(true);
    expect(small.warnings).toContain('metadata.genre: 1 slice with fewer than 11 matched items was not gated (jazz)');
    const none = evaluateGates(candidate, gates({ max_slice_regression: 0, min_slice_items: 51 }), diff, { baseline: base });
    expect(none.passed).toBe(false);
    expect(none.checks.find((c) => c.gate === 'max_slice_regression')!.message).toContain('no slice has 51 or more matched items');
    const noKeys = evaluateGates(candidate, gates({ max_slice_regression: 0 }), diffReports(base, candidate), { baseline: base });
    expect(noKeys.passed).toBe(false);
    expect(noKeys.checks.find((c) => c.gate === 'max_slice_regression')!.message).toContain('no slices to check');
    const noBaseline = evaluateGates(candidate, { significance: 0.05, min_slice_items: 10, max_slice_regression: 0 });
    expect(noBaseline.passed).toBe(false);
  });
});
