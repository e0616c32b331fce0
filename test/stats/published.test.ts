import { describe, expect, it } from 'vitest';
import { krippendorffAlpha } from '../../src/stats/alpha.js';
import { pearson, spearman, kendallTauB, kendallW } from '../../src/stats/correlation.js';
import { gwet } from '../../src/stats/gwet.js';
import { icc } from '../../src/stats/icc.js';
import { cohenKappa, fleissKappa } from '../../src/stats/kappa.js';
import { percentAgreement } from '../../src/stats/percent.js';

const _ = null;

// Krippendorff (2011), "Computing Krippendorff's Alpha-Reliability", section E: 4 observers × 12 units with
// missing values. The paper's results: nominal .743, ordinal .815, interval .849, ratio .797.
const observers = [
  [1, 2, 3, 3, 2, 1, 4, 1, 2, _, _, _],
  [1, 2, 3, 3, 2, 2, 4, 1, 2, 5, _, 3],
  [_, 3, 3, 3, 2, 3, 4, 2, 2, 5, 1, _],
  [1, 2, 3, 3, 2, 4, 4, 1, 2, 5, 1, _],
];
const units = observers[0]!.map((_, u) => observers.map((o) => o[u]!));

describe("Krippendorff's alpha: the 2011 worked example with missing data", () => {
  it.each([
    ['nominal', 0.743],
    ['ordinal', 0.815],
    ['interval', 0.849],
    ['ratio', 0.797],
  ] as const)('%s alpha is %s', (level, expected) => {
    expect(krippendorffAlpha(units, level).value).toBeCloseTo(expected, 3);
  });

  it('drops unit 12, which has one rating, as the method defines', () => {
    expect(krippendorffAlpha(units.slice(0, 11), 'nominal').value).toBeCloseTo(0.743, 3);
  });
});

describe("Fleiss' kappa", () => {
  // The worked example of Fleiss' kappa on Wikipedia: 10 subjects, 14 raters, 5 categories;
  // P̄ = 0.378, P̄e = 0.213, κ = (0.378 − 0.213)/(1 − 0.213) = 0.210.
  const counts = [
    [0, 0, 0, 0, 14], [0, 2, 6, 4, 2], [0, 0, 3, 5, 6], [0, 3, 9, 2, 0], [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0], [3, 2, 6, 3, 0], [2, 5, 3, 2, 2], [6, 5, 2, 1, 0], [0, 2, 2, 3, 7],
  ];
  const table = counts.map((row) => row.flatMap((n, category) => Array<number>(n).fill(category + 1)));

  it('reproduces κ = 0.210', () => {
    expect(fleissKappa(table).value).toBeCloseTo(0.2099, 4);
  });

  it('is undefined, with a reason, when every rating is one category', () => {
    expect(fleissKappa([[1, 1], [1, 1]])).toEqual({ value: null, reason: expect.stringMatching(/one category/) });
  });
});

describe('ICC: Shrout & Fleiss (1979), Table 2 (6 targets × 4 judges)', () => {
  const table = [[9, 2, 5, 8], [6, 1, 3, 2], [8, 4, 6, 8], [7, 1, 2, 6], [10, 5, 6, 9], [6, 2, 4, 7]];
  // The paper's Table 4: ICC(1,1) .17, ICC(2,1) .29, ICC(3,1) .71, ICC(1,4) .44, ICC(2,4) .62, ICC(3,4) .91.
  it.each([
    ['ICC1', 0.17], ['ICC2', 0.29], ['ICC3', 0.71], ['ICC1k', 0.44], ['ICC2k', 0.62], ['ICC3k', 0.91],
  ] as const)('%s is %s', (form, expected) => {
    expect(icc(table, form).value).toBeCloseTo(expected, 2);
  });

  it('is undefined with zero variance', () => {
    expect(icc([[3, 3], [3, 3]], 'ICC3').value).toBeNull();
  });
});

/** Two raters' ratings from a 2×2 table: a = yes/yes, b = A yes B no, c = A no B yes, d = no/no. */
function fromTable(a: number, b: number, c: number, d: number): [string[], string[]] {
  const x: string[] = [];
  const y: string[] = [];
  const add = (n: number, p: string, q: string) => { for (let i = 0; i < n; i++) { x.push(p); y.push(q); } };
  add(a, 'yes', 'yes'); add(b, 'yes', 'no'); add(c, 'no', 'yes'); add(d, 'no', 'no');
  return [x, y];
}

describe("Cohen's kappa", () => {
  it('reproduces the textbook 2×2 examples', () => {
    // p_o = 35/50 = 0.7; p_e = 0.5·0.6 + 0.5·0.4 = 0.5; κ = 0.4.
    expect(cohenKappa(...fromTable(20, 5, 10, 15)).value).toBeCloseTo(0.4, 10);
    // p_o = 0.6; p_e = 0.6·0.7 + 0.4·0.3 = 0.54; κ = 0.06/0.46 = 0.1304.
    expect(cohenKappa(...fromTable(45, 15, 25, 15)).value).toBeCloseTo(0.1304, 4);
  });

  it('quadratic weights equal the independent moment form 2·s_xy / (s_x² + s_y² + (x̄ − ȳ)²)', () => {
    const x = [1, 2, 3, 4, 5, 3, 2, 4, 5, 1, 3, 3];
    const y = [1, 3, 3, 5, 4, 2, 2, 4, 5, 2, 4, 3];
    const n = x.length;
    const mx = x.reduce((a, b) => a + b) / n;
    const my = y.reduce((a, b) => a + b) / n;
    const sxy = x.reduce((a, xi, i) => a + (xi - mx) * (y[i]! - my), 0) / n;
    const sx = x.reduce((a, xi) => a + (xi - mx) ** 2, 0) / n;
    const sy = y.reduce((a, yi) => a + (yi - my) ** 2, 0) / n;
    expect(cohenKappa(x, y, 'quadratic').value).toBeCloseTo((2 * sxy) / (sx + sy + (mx - my) ** 2), 12);
  });

  it('linear weights equal the agreement-weight form with w = 1 − |i − j|/(k − 1)', () => {
    const x = [1, 2, 3, 3, 2, 1, 3, 2];
    const y = [1, 3, 3, 2, 2, 2, 3, 1];
    const k = 3;
    const n = x.length;
    const w = (i: number, j: number) => 1 - Math.abs(i - j) / (k - 1);
    let po = 0;
    for (let i = 0; i < n; i++) po += w(x[i]!, y[i]!) / n;
    let pe = 0;
    for (let i = 1; i <= k; i++) for (let j = 1; j <= k; j++) pe += (x.filter((v) => v === i).length / n) * (y.filter((v) => v === j).length / n) * w(i, j);
    expect(cohenKappa(x, y, 'linear').value).toBeCloseTo((po - pe) / (1 - pe), 12);
  });

  it('skips items either rater missed, and is undefined when both used one value', () => {
    expect(cohenKappa(['a', null, 'b', 'a'], ['a', 'b', 'b', null]).value).toBe(1);
    expect(cohenKappa([2, 2, 2], [2, 2, 2]).value).toBeNull();
  });
});

describe("Gwet's raw ratings with missing values (cac.raw4raters, Gwet 2014 p. 120): R irrCAC's published output", () => {
  // 12 subjects, 4 raters, none rating all subjects; null is a missing rating.
  const N = null;
  const raw4raters = [[1, 1, N, 1], [2, 2, 3, 2], [3, 3, 3, 3], [3, 3, 3, 3], [2, 2, 2, 2], [1, 2, 3, 4], [4, 4, 4, 4], [1, 1, 2, 1], [2, 2, 2, 2], [N, 5, 5, 5], [N, N, 1, 1], [N, N, 3, N]];
  it("Fleiss' kappa, available-case: 0.76117 (p_a 0.8181818, p_e 0.2387153)", () => {
    expect(fleissKappa(raw4raters).value).toBeCloseTo(0.76117, 5);
    expect((0.8181818 - 0.2387153) / (1 - 0.2387153)).toBeCloseTo(fleissKappa(raw4raters).value!, 6);
  });
  it("Gwet's AC1 0.77544 and Krippendorff's alpha 0.74342; percent agreement pooled over pairs, not irrCAC's mean over units", () => {
    expect(gwet(raw4raters).value).toBeCloseTo(0.77544, 5);
    expect(krippendorffAlpha(raw4raters, 'nominal').value).toBeCloseTo(0.74342, 5);
    // jury pools agreeing pairs (43 of 55); irrCAC's p_a 0.8181818 averages each unit's share instead.
    expect(percentAgreement(raw4raters).value).toBe(43 / 55);
  });
});

describe("Gwet's AC1 and AC2", () => {
  it('AC1 on the 2×2 example: p_a = 0.7, π_yes = 55/100, p_e = 2·0.55·0.45 = 0.495, AC1 = 0.205/0.505', () => {
    const [x, y] = fromTable(20, 5, 10, 15);
    expect(gwet(x.map((v, i) => [v, y[i]!])).value).toBeCloseTo(0.205 / 0.505, 10);
  });

  it('AC2 with quadratic weights: p_a and p_e recomputed by hand for a 3-point scale', () => {
    // Units [1,1], [1,2], [3,3]; w(1,2) = 1 − (1/2)² = 0.75, w(1,3) = 0, T_w = 3 + 4·0.75 = 6.
    // p_a: unit [1,1] → 1; unit [1,2] → (1·(1 + 0.75 − 1) + 1·(0.75 + 1 − 1))/2 = 0.75; unit [3,3] → 1; mean 2.75/3.
    // π = (1/3)(1 + 0.5 + 0, 0 + 0.5 + 0, 0 + 0 + 1) = (0.5, 1/6, 1/3); Σπ(1−π) = 0.25 + 5/36 + 2/9 = 0.6111.
    // p_e = 6/(3·2) · 0.6111 = 0.6111.
    const pa = 2.75 / 3;
    const pe = 0.25 + 5 / 36 + 2 / 9;
    expect(gwet([[1, 1], [1, 2], [3, 3]], { weights: 'quadratic' }).value).toBeCloseTo((pa - pe) / (1 - pe), 12);
  });

  it('is undefined with one category only', () => {
    expect(gwet([['a', 'a']]).value).toBeNull();
  });
});

describe('correlations', () => {
  it('Spearman without ties equals 1 − 6Σd²/(n(n² − 1))', () => {
    const x = [10, 20, 30, 40, 50, 60];
    const y = [3, 1, 4, 6, 5, 2];
    // ranks x 1..6, ranks y 3,1,4,6,5,2: d = −2,1,−1,−2,0,4; Σd² = 26; ρ = 1 − 156/210.
    expect(spearman(x, y).value).toBeCloseTo(1 - (6 * 26) / (6 * 35), 12);
  });

  it('Kendall tau-b: 6 concordant, 4 discordant of 10 pairs → 0.2; with ties, 4/√(5·5) = 0.8', () => {
    expect(kendallTauB([1, 2, 3, 4, 5], [3, 4, 1, 2, 5]).value).toBeCloseTo(0.2, 12);
    expect(kendallTauB([1, 1, 2, 3], [1, 2, 2, 3]).value).toBeCloseTo(0.8, 12);
  });

  it("Kendall's W relates to the mean pairwise Spearman: r̄ = (mW − 1)/(m − 1) without ties", () => {
    const raters = [[1, 2, 3, 4, 5, 6], [2, 1, 3, 5, 4, 6], [1, 3, 2, 4, 6, 5]];
    const table = raters[0]!.map((_, i) => raters.map((r) => r[i]!));
    const pairs = ([[0, 1], [0, 2], [1, 2]] as const).map(([a, b]) => spearman(raters[a]!, raters[b]!).value!);
    const rBar = pairs.reduce((s, v) => s + v) / 3;
    expect(kendallW(table).value).toBeCloseTo((rBar * 2 + 1) / 3, 12);
  });

  it('Pearson is undefined for a constant rater', () => {
    expect(pearson([1, 2, 3], [2, 2, 2])).toEqual({ value: null, reason: expect.stringMatching(/zero variance/) });
    // Σdxdy = 10.75, Σdx² = 5, Σdy² = 23.1875 → r = 10.75/√115.9375 = 0.998381.
    expect(pearson([1, 2, 3, 4], [2, 4, 6, 8.5]).value).toBeCloseTo(10.75 / Math.sqrt(115.9375), 12);
  });
});

describe('percent agreement', () => {
  it('pools agreeing pairs over all pairs: [1,1,2] has 1 of 3, [3,3] 1 of 1 → 2/4', () => {
    expect(percentAgreement([[1, 1, 2], [3, 3], [4, null]]).value).toBe(0.5);
    expect(percentAgreement([[1, 1, 2], [3, 4]], 1).value).toBe(1);
  });
});
