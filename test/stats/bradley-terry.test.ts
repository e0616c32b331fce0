import { describe, expect, it } from 'vitest';
import { battlesOf, pairCounts, pairsOf, type Battles } from '../../src/stats/battles.js';
import { fitDavidson, logLikelihood, type DavidsonFit } from '../../src/stats/bradley-terry.js';

/** Battles from per-pair counts: wins of i, wins of j, ties. */
function fromCounts(rows: readonly [string, string, number, number, number][]): Battles {
  return battlesOf(rows.flatMap(([i, j, wi, wj, t]) => [
    ...Array.from({ length: wi }, () => ({ a: i, b: j, outcome: 'a' as const })),
    ...Array.from({ length: wj }, () => ({ a: i, b: j, outcome: 'b' as const })),
    ...Array.from({ length: t }, () => ({ a: i, b: j, outcome: 'tie' as const })),
  ]));
}

function fit(battles: Battles): DavidsonFit {
  const result = fitDavidson(pairCounts(battles, pairsOf(battles)), battles.systems);
  if ('reason' in result) throw new Error(result.reason);
  return result;
}

// Davidson (1970), Example 2: six brands of chocolate pudding, 744 paired tastings with "no preference" allowed.
// The counts as the PlackettLuce package ships them (data `pudding`: i, j, w_ij, w_ji, t_ij).
const PUDDING: [string, string, number, number, number][] = [
  ['1', '2', 19, 22, 16], ['1', '3', 16, 19, 12], ['2', '3', 19, 19, 10], ['1', '4', 18, 23, 13], ['2', '4', 23, 19, 9],
  ['3', '4', 19, 20, 15], ['1', '5', 13, 19, 18], ['2', '5', 16, 20, 12], ['3', '5', 16, 15, 17], ['4', '5', 17, 14, 16],
  ['1', '6', 18, 21, 12], ['2', '6', 22, 20, 12], ['3', '6', 13, 18, 10], ['4', '6', 14, 19, 18], ['5', '6', 11, 21, 12],
];

describe('Bradley–Terry with ties (Davidson 1970)', () => {
  it("reproduces Davidson's estimates for the pudding data", () => {
    const battles = fromCounts(PUDDING);
    const result = fit(battles);
    // Davidson's published worths (normalised to sum 1) and ν, as the PlackettLuce vignette reprints them; his
    // iteration stopped after 7 steps, short of the maximum: they agree with it to 2.0e-5 (brand 4; the others to
    // 6e-6), and the maximum itself is checked by the likelihood equations below.
    const published: Record<string, number> = { 1: 0.1388005, 2: 0.1729985, 3: 0.161742, 4: 0.165393, 5: 0.1586805, 6: 0.2023855 };
    const worth = Array.from(result.strengths, Math.exp);
    const total = worth.reduce((s, x) => s + x, 0);
    battles.systems.forEach((name, s) => expect(Math.abs(worth[s]! / total - published[name]!)).toBeLessThan(2.5e-5));
    expect(result.tie).toBeCloseTo(0.7468147, 4);
    // The vignette's residual deviance, 1619.4, is −2 log-likelihood.
    expect(-2 * result.logLikelihood).toBeCloseTo(1619.419, 3);
    expect(result.strengths.reduce((s, x) => s + x, 0)).toBeCloseTo(0, 12);
  });

  it('sits where the likelihood equations hold: observed wins plus half ties equal their expectation', () => {
    const battles = fromCounts(PUDDING);
    const result = fit(battles);
    const nu = result.tie;
    const expected = new Float64Array(6);
    const observed = new Float64Array(6);
    let expectedTies = 0;
    let ties = 0;
    for (const [i, j, wi, wj, t] of PUDDING) {
      const [a, b] = [battles.systems.indexOf(i), battles.systems.indexOf(j)];
      const [pa, pb] = [Math.exp(result.strengths[a]!), Math.exp(result.strengths[b]!)];
      const d = pa + pb + nu * Math.sqrt(pa * pb);
      const n = wi + wj + t;
      const pTie = (nu * Math.sqrt(pa * pb)) / d;
      expected[a]! += n * (pa / d + pTie / 2);
      expected[b]! += n * (pb / d + pTie / 2);
      observed[a]! += wi + t / 2;
      observed[b]! += wj + t / 2;
      expectedTies += n * pTie;
      ties += t;
    }
    for (let s = 0; s < 6; s++) expect(expected[s]).toBeCloseTo(observed[s]!, 8);
    expect(expectedTies).toBeCloseTo(ties, 8);
  });

  it('is plain Bradley–Terry (ν = 0) without ties: the PlackettLuce vignette\'s toy network', () => {
    // A > B, C > A, B > A, B > C: log-worths relative to A are B 0.8392, C 0.4196 (npseudo = 0).
    const battles = battlesOf([
      { a: 'A', b: 'B', outcome: 'a' },
      { a: 'C', b: 'A', outcome: 'a' },
      { a: 'B', b: 'A', outcome: 'a' },
      { a: 'B', b: 'C', outcome: 'a' },
    ]);
    const result = fit(battles);
    const at = (name: string) => result.strengths[battles.systems.indexOf(name)]!;
    expect(result.tie).toBe(0);
    expect(at('B') - at('A')).toBeCloseTo(0.8392, 4);
    expect(at('C') - at('A')).toBeCloseTo(0.4196, 4);
  });

  it('agrees with Zermelo\'s iteration (Hunter 2004, MM) on random untied data', () => {
    let seed = 7;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
    const names = ['p', 'q', 'r', 's', 't'];
    const truth = [0, 0.5, -0.3, 1, -1];
    const list: { a: string; b: string; outcome: 'a' | 'b' }[] = [];
    for (let k = 0; k < 400; k++) {
      const i = Math.floor(random() * 5);
      const j = (i + 1 + Math.floor(random() * 4)) % 5;
      const p = 1 / (1 + Math.exp(truth[j]! - truth[i]!));
      list.push({ a: names[i]!, b: names[j]!, outcome: random() < p ? 'a' : 'b' });
    }
    const battles = battlesOf(list);
    const result = fit(battles);
    // MM: π_i ← W_i / Σ_j n_ij / (π_i + π_j), from the battle list directly.
    const n = battles.systems.length;
    let pi = new Array(n).fill(1);
    for (let it = 0; it < 5000; it++) {
      const next = pi.map((_, i) => {
        let wins = 0;
        let denominator = 0;
        for (let m = 0; m < battles.a.length; m++) {
          const [a, b] = [battles.a[m]!, battles.b[m]!];
          if (a !== i && b !== i) continue;
          const other = a === i ? b : a;
          if ((a === i && battles.outcome[m] === 2) || (b === i && battles.outcome[m] === 0)) wins++;
          denominator += 1 / (pi[i] + pi[other]);
        }
        return wins / denominator;
      });
      const mean = next.reduce((s, x) => s + Math.log(x), 0) / n;
      pi = next.map((x) => x / Math.exp(mean));
    }
    for (let s = 0; s < n; s++) expect(result.strengths[s]).toBeCloseTo(Math.log(pi[s]), 8);
  });

  it('gives the same fit whichever side of a battle a system is listed on', () => {
    const flipped = fromCounts(PUDDING.map(([i, j, wi, wj, t]) => [j, i, wj, wi, t]));
    const a = fit(fromCounts(PUDDING));
    const b = fit(flipped);
    const byName = (f: DavidsonFit, battles: Battles) => Object.fromEntries(battles.systems.map((s, k) => [s, f.strengths[k]!]));
    const x = byName(a, fromCounts(PUDDING));
    const y = byName(b, flipped);
    for (const s of Object.keys(x)) expect(y[s]).toBeCloseTo(x[s]!, 10);
    expect(b.tie).toBeCloseTo(a.tie, 10);
  });

  it('the log-likelihood is the sum over battles of the log of each outcome\'s probability', () => {
    const battles = fromCounts([['x', 'y', 2, 1, 1], ['y', 'z', 1, 1, 0], ['x', 'z', 0, 1, 2]]);
    const counts = pairCounts(battles, pairsOf(battles));
    const theta = [0.3, -0.1, -0.2];
    const nu = 0.8;
    let direct = 0;
    for (let m = 0; m < battles.a.length; m++) {
      const [pa, pb] = [Math.exp(theta[battles.a[m]!]!), Math.exp(theta[battles.b[m]!]!)];
      const d = pa + pb + nu * Math.sqrt(pa * pb);
      direct += Math.log(battles.outcome[m] === 2 ? pa / d : battles.outcome[m] === 0 ? pb / d : (nu * Math.sqrt(pa * pb)) / d);
    }
    expect(logLikelihood(counts, theta, Math.log(nu))).toBeCloseTo(direct, 12);
  });
});

describe('when no maximum exists', () => {
  const reason = (list: { a: string; b: string; outcome: 'a' | 'b' | 'tie' }[]) => {
    const battles = battlesOf(list);
    const result = fitDavidson(pairCounts(battles, pairsOf(battles)), battles.systems);
    return 'reason' in result ? result.reason : undefined;
  };

  it('names a system that never won or tied', () => {
    expect(reason([{ a: 'x', b: 'y', outcome: 'a' }, { a: 'y', b: 'z', outcome: 'b' }, { a: 'x', b: 'z', outcome: 'a' }, { a: 'z', b: 'x', outcome: 'a' }])).toBe(
      'y never beat or tied any of the other systems, so how far below them it stands has no finite estimate',
    );
  });

  it('names a group that never outdid the rest, even when each member beat the other', () => {
    // x and y beat each other; both always lose to z and w, who beat each other.
    const list = [
      { a: 'x', b: 'y', outcome: 'a' as const }, { a: 'x', b: 'y', outcome: 'b' as const },
      { a: 'z', b: 'w', outcome: 'a' as const }, { a: 'z', b: 'w', outcome: 'b' as const },
      { a: 'x', b: 'z', outcome: 'b' as const }, { a: 'w', b: 'y', outcome: 'a' as const },
    ];
    expect(reason(list)).toBe('x, y never beat or tied any of the other systems, so how far below them they stand has no finite estimate');
    // One win of y over w joins the groups: a maximum exists.
    expect(reason([...list, { a: 'y', b: 'w', outcome: 'a' }])).toBeUndefined();
    // So does a tie.
    expect(reason([...list, { a: 'y', b: 'z', outcome: 'tie' }])).toBeUndefined();
  });

  it('a system that won everything leaves the others as the group that never outdid it', () => {
    expect(reason([{ a: 'x', b: 'y', outcome: 'a' }, { a: 'x', b: 'z', outcome: 'a' }, { a: 'y', b: 'z', outcome: 'a' }, { a: 'z', b: 'y', outcome: 'a' }])).toBe(
      'y, z never beat or tied any of the other systems, so how far below them they stand has no finite estimate',
    );
  });

  it('every battle a tie, or a single system', () => {
    expect(reason([{ a: 'x', b: 'y', outcome: 'tie' }])).toMatch(/^every battle was a tie/);
    expect(fitDavidson({ systems: 1, i: new Int32Array(0), j: new Int32Array(0), winsI: new Float64Array(0), winsJ: new Float64Array(0), ties: new Float64Array(0) })).toEqual({ reason: 'fewer than two systems' });
  });

  it('a system left without battles (in a resample) has no estimate', () => {
    const battles = battlesOf([{ a: 'x', b: 'y', outcome: 'a' }, { a: 'y', b: 'x', outcome: 'a' }, { a: 'x', b: 'z', outcome: 'tie' }]);
    const pairs = pairsOf(battles);
    expect(fitDavidson(pairCounts(battles, pairs, [1, 1, 0]), battles.systems)).toEqual({ reason: 'a system has no battle' });
    expect('strengths' in fitDavidson(pairCounts(battles, pairs, [1, 1, 1]), battles.systems)).toBe(true);
  });
});
