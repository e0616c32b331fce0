import { describe, expect, it } from 'vitest';
import { hodgesLehmann, INCOHERENT, shiftInterval, shiftIntervalContains } from '../../src/stats/hodges-lehmann.js';
import { wilcoxonSignedRank } from '../../src/stats/paired.js';
import { seededRng } from '../../src/stats/rng.js';

/** Every Walsh average, listed: the textbook definition the counting code must match. */
function walsh(d: readonly number[]): number[] {
  const out: number[] = [];
  for (let i = 0; i < d.length; i++) for (let j = i; j < d.length; j++) out.push((d[i]! + d[j]!) / 2);
  return out.sort((a, b) => a - b);
}

const median = (xs: number[]) => (xs.length % 2 ? xs[(xs.length - 1) / 2]! : (xs[xs.length / 2 - 1]! + xs[xs.length / 2]!) / 2);

/** The exact null distribution of W+ for n untied ranks: P(W+ ≤ w). */
function lowerTail(n: number): number[] {
  let counts = [1];
  for (let r = 1; r <= n; r++) {
    const next = new Array<number>(counts.length + r).fill(0);
    counts.forEach((c, w) => {
      next[w]! += c;
      next[w + r]! += c;
    });
    counts = next;
  }
  const total = 2 ** n;
  let acc = 0;
  return counts.map((c) => (acc += c) / total);
}

describe('Hodges–Lehmann shift', () => {
  it('is the median of the Walsh averages, listed here directly', () => {
    const rng = seededRng(3);
    for (let trial = 0; trial < 40; trial++) {
      const n = 1 + rng.int(30);
      // Discrete differences like a panel's (thirds), so that Walsh averages repeat.
      const d = Array.from({ length: n }, () => (rng.int(13) - 6) / 3);
      expect(hodgesLehmann(d)).toBeCloseTo(median(walsh(d)), 12);
    }
    expect(hodgesLehmann([])).toBeNull();
    expect(hodgesLehmann([2])).toBe(2);
    // Hollander & Wolfe's Example 3.1 (Hamilton scale, x − y): Walsh median 0.46.
    const x = [1.83, 0.5, 1.62, 2.48, 1.68, 1.88, 1.55, 3.06, 1.3];
    const y = [0.878, 0.647, 0.598, 2.05, 1.06, 1.29, 1.06, 3.14, 1.29];
    expect(hodgesLehmann(x.map((v, i) => v - y[i]!))).toBeCloseTo(0.46, 12);
  });

  it('without ties, the interval is the textbook [W(k), W(M+1−k)] from the exact null distribution', () => {
    const rng = seededRng(11);
    for (const n of [7, 9, 12, 15, 20]) {
      const d = Array.from({ length: n }, () => rng.next() * 4 - 1);
      const w = walsh(d);
      const tail = lowerTail(n);
      // Largest c with 2·P(W+ ≤ c) < 0.05: the test rejects when W+ ≤ c (or ≥ M − c); k = c + 1.
      let c = -1;
      while (2 * tail[c + 1]! < 0.05) c++;
      const k = c + 1;
      const interval = shiftInterval(d, 0.05);
      expect(interval.low).toBeCloseTo(w[k - 1]!, 12);
      expect(interval.high).toBeCloseTo(w[w.length - k]!, 12);
      expect(interval.level).toBe(0.95);
    }
  });

  it('agrees with the test at 0, always: the interval holds 0 exactly when the test does not reject', () => {
    const rng = seededRng(5);
    let rejected = 0;
    let incoherent = 0;
    for (let trial = 0; trial < 150; trial++) {
      const n = 6 + rng.int(70);
      const shift = (rng.int(5) - 2) / 6;
      // Thirds with many zeros and ties, the hardest case for an inverted test.
      // A third of the trials mostly unchanged items, the case where the median shift is 0 yet the test rejects.
      const unchanged = trial % 3 === 0 ? 0.8 : 1 / 3;
      const d = Array.from({ length: n }, () => (rng.next() < unchanged ? 0 : Math.round(3 * (shift + (rng.int(7) - 3) / 3)) / 3));
      const alpha = [0.05, 0.025, 0.0125][trial % 3]!;
      const interval = shiftInterval(d, alpha);
      const p = wilcoxonSignedRank(d).p_value;
      if (p < alpha) rejected++;
      if (interval.low === null && interval.reason === INCOHERENT) incoherent++;
      else expect(shiftIntervalContains(interval, 0)).toBe(p >= alpha);
    }
    // Where no coherent interval exists it says so; that is the exception (most unchanged items), not the rule.
    expect(incoherent).toBeLessThan(20);
    // Both outcomes were exercised.
    expect(rejected).toBeGreaterThan(20);
    expect(rejected).toBeLessThan(130);
  });

  it('most items unchanged, the changed ones all down: the shift is 0, the interval ends open at 0, below it', () => {
    const d = [...Array(24).fill(0), ...Array(6).fill(-2)];
    expect(hodgesLehmann(d)).toBe(0);
    expect(wilcoxonSignedRank(d).p_value).toBeLessThan(0.05);
    const interval = shiftInterval(d, 0.05);
    expect(interval).toMatchObject({ high: 0, high_open: true });
    expect(interval.low!).toBeLessThan(0);
    expect(shiftIntervalContains(interval, 0)).toBe(false);
    expect(shiftIntervalContains(interval, -0.01)).toBe(true);
    // The mirror image: changed ones all up.
    expect(shiftInterval(d.map((x) => -x), 0.05)).toMatchObject({ low: 0, low_open: true });
  });

  it('all differences alike: a point interval; too few items: no interval, with the reason', () => {
    expect(shiftInterval(Array(10).fill(0.5), 0.05)).toMatchObject({ low: 0.5, high: 0.5 });
    const few = shiftInterval([1, 2, 3], 0.05);
    expect(few.low).toBeNull();
    if (few.low === null) expect(few.reason).toBe('3 paired items cannot exclude any shift at 95%');
    expect(shiftInterval([], 0.05).low).toBeNull();
  });

  it('a smaller alpha gives a wider interval', () => {
    const rng = seededRng(8);
    const d = Array.from({ length: 40 }, () => rng.next() - 0.3);
    const wide = shiftInterval(d, 0.01);
    const narrow = shiftInterval(d, 0.05);
    expect(wide.low!).toBeLessThan(narrow.low!);
    expect(wide.high!).toBeGreaterThan(narrow.high!);
  });
});

describe('interval membership', () => {
  it('no interval holds everything; open ends exclude their own value, closed ones include it', () => {
    expect(shiftIntervalContains({ low: null, high: null, level: 0.95, reason: 'x' }, 123)).toBe(true);
    const open = { low: -1, high: 1, level: 0.95, low_open: true as const, high_open: true as const };
    expect([-1, -0.5, 1, 1.5].map((t) => shiftIntervalContains(open, t))).toEqual([false, true, false, false]);
    const closed = { low: -1, high: 1, level: 0.95 };
    expect([-1.01, -1, 1, 1.01].map((t) => shiftIntervalContains(closed, t))).toEqual([false, true, true, false]);
  });
});

describe('the shift interval, checked end to end against a scan of every Walsh average', () => {
  /**
   * The accepted shifts found by brute force: the test run at every distinct Walsh average and at every midpoint
   * between neighbours (acceptance only changes at Walsh averages). The interval runs from the leftmost accepted
   * point to the rightmost; an end at a midpoint means the Walsh average beside it is rejected: an open end there.
   */
  function scanned(d: readonly number[], alpha: number): { low: number; high: number; low_open?: true; high_open?: true } | null {
    const w = [...new Set(walsh(d))].sort((a, b) => a - b);
    const points: { theta: number; at: number; mid: boolean }[] = [];
    w.forEach((x, k) => {
      points.push({ theta: x, at: k, mid: false });
      if (k + 1 < w.length) points.push({ theta: (x + w[k + 1]!) / 2, at: k, mid: true });
    });
    const accepted = points.filter((p) => wilcoxonSignedRank(d.map((x) => x - p.theta)).p_value >= alpha);
    if (accepted.length === 0) return null;
    const first = accepted[0]!;
    const last = accepted[accepted.length - 1]!;
    return {
      low: first.mid ? w[first.at]! : first.theta,
      high: last.mid ? w[last.at + 1]! : last.theta,
      ...(first.mid ? { low_open: true as const } : {}),
      ...(last.mid ? { high_open: true as const } : {}),
    };
  }

  /** Ends equal up to the two doubles one Walsh average can be ((1/3 + 1/3)/2 against (0 + 2/3)/2); open ends alike. */
  function sameEnds(got: ReturnType<typeof shiftInterval>, expected: ReturnType<typeof scanned>): void {
    expect(expected).not.toBeNull();
    expect(got.low).toBeCloseTo(expected!.low, 9);
    expect(got.high).toBeCloseTo(expected!.high, 9);
    expect([(got as { low_open?: true }).low_open, (got as { high_open?: true }).high_open]).toEqual([expected!.low_open, expected!.high_open]);
  }

  it('gives the same ends, and the same open ends, on tie-heavy panels', () => {
    const rng = seededRng(21);
    let compared = 0;
    for (let trial = 0; trial < 60; trial++) {
      const n = 8 + rng.int(20);
      const zeros = rng.int(3) === 0 ? n / 2 : 0;
      const d = Array.from({ length: n }, (_, i) => (i < zeros ? 0 : (rng.int(9) - 3) / 3));
      const got = shiftInterval(d, 0.05);
      if (got.low === null) continue;
      expect(got.level).toBe(0.95);
      sameEnds(got, scanned(d, 0.05));
      compared++;
    }
    expect(compared).toBeGreaterThan(40);
  });

  it('seven drops among twenty-four: the estimate 0 is rejected, the interval ends open at 0', () => {
    const d = [...Array<number>(7).fill(-1), ...Array<number>(17).fill(0)];
    expect(hodgesLehmann(d)).toBe(0);
    const got = shiftInterval(d, 0.05);
    expect(got).toMatchObject({ high: 0, high_open: true, level: 0.95 });
    sameEnds(got, scanned(d, 0.05));
  });

  it('says why there is none: no item; too few items to exclude any shift (p = α counts as accepting)', () => {
    expect(shiftInterval([], 0.05)).toEqual({ low: null, high: null, level: 0.95, reason: 'no paired item' });
    expect(shiftInterval([2], 0.05)).toEqual({ low: null, high: null, level: 0.95, reason: '1 paired item cannot exclude any shift at 95%' });
    // Five untied differences all beyond the shift: exact p = 2/32 = α, which the test does not reject.
    expect(shiftInterval([1, 2, 3, 4, 5], 0.0625)).toMatchObject({ low: null, reason: '5 paired items cannot exclude any shift at 93.75%' });
    expect(shiftInterval([1, 2, 3, 4, 5], 0.0626).low).not.toBeNull();
  });
});
