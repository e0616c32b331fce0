import { describe, expect, it } from 'vitest';
import { battlesOf, pairCounts, pairsOf, type Battles } from '../../src/stats/battles.js';
import { fitDavidson } from '../../src/stats/bradley-terry.js';
import { DEFAULT_ELO, onlineElo } from '../../src/stats/elo.js';
import { headToHead } from '../../src/stats/head-to-head.js';
import { holm } from '../../src/stats/paired.js';
import { rankSystems } from '../../src/stats/ranking.js';
import { signTest } from '../../src/stats/sign-test.js';
import { seededRng } from '../../src/stats/rng.js';
import { directBca, leaveOneOut, replicates } from '../support/bca.js';

type Outcome = 'a' | 'b' | 'tie';
const vote = (a: string, b: string, outcome: Outcome) => ({ a, b, outcome });

/** Four systems, 60 battles with a clear order p > q > r > s and some ties, listed both ways round. */
function league(): { a: string; b: string; outcome: Outcome }[] {
  const rng = seededRng(3);
  const names = ['p', 'q', 'r', 's'];
  const strength = [1, 0.4, -0.2, -1.2];
  return Array.from({ length: 60 }, () => {
    const i = rng.int(4);
    const j = (i + 1 + rng.int(3)) % 4;
    const [pi, pj, tie] = [Math.exp(strength[i]!), Math.exp(strength[j]!), 0.6 * Math.exp((strength[i]! + strength[j]!) / 2)];
    const u = rng.next() * (pi + pj + tie);
    return vote(names[i]!, names[j]!, u < pi ? 'a' : u < pi + pj ? 'b' : 'tie');
  });
}

const strengthsOf = (battles: Battles) => {
  const fit = fitDavidson(pairCounts(battles, pairsOf(battles)));
  if (!('strengths' in fit)) throw new Error(fit.reason);
  return fit.strengths;
};
/** The resamples drawn as jury draws them (n battles with replacement), each fitted; systems keep their numbers. */
function resampled(list: readonly { a: string; b: string; outcome: Outcome }[], battles: Battles, resamples: number, seed: number): Float64Array[] {
  const rng = seededRng(seed);
  const out: Float64Array[] = [];
  for (let b = 0; b < resamples; b++) {
    const drawn = Array.from({ length: list.length }, () => list[rng.int(list.length)]!);
    out.push(strengthsOf({ ...battles, a: Int32Array.from(drawn, (v) => battles.systems.indexOf(v.a)), b: Int32Array.from(drawn, (v) => battles.systems.indexOf(v.b)), outcome: Uint8Array.from(drawn, (v) => (v.outcome === 'a' ? 2 : v.outcome === 'b' ? 0 : 1)) }));
  }
  return out;
}
const toRating = (theta: number) => 1000 + (400 * theta) / Math.log(10);

describe('rankSystems', () => {
  it("each system's interval is the BCa interval of its resampled strength, recomputed battle by battle", () => {
    const list = league();
    const battles = battlesOf(list);
    const ranking = rankSystems(battles, { resamples: 300, seed: 5 });
    const replicates = resampled(list, battles, 300, 5);
    // Jackknife: every battle left out in turn, directly.
    const jackknife = list.map((_, m) => {
      const rest = list.filter((__, k) => k !== m);
      const without = { ...battles, a: Int32Array.from(rest, (v) => battles.systems.indexOf(v.a)), b: Int32Array.from(rest, (v) => battles.systems.indexOf(v.b)), outcome: Uint8Array.from(rest, (v) => (v.outcome === 'a' ? 2 : v.outcome === 'b' ? 0 : 1)) };
      return strengthsOf(without);
    });
    const full = strengthsOf(battles);
    for (const row of ranking.systems) {
      const s = battles.systems.indexOf(row.system);
      const expected = directBca(replicates.map((r) => r[s]!), full[s]!, jackknife.map((r) => r[s]!));
      expect(row.ci!.method).toBe('bca');
      expect(row.ci!.low).toBeCloseTo(toRating(expected.low), 9);
      expect(row.ci!.high).toBeCloseTo(toRating(expected.high), 9);
      expect(row.rating).toBeCloseTo(toRating(full[s]!), 9);
    }
    expect(ranking.systems.map((r) => r.system)).toEqual(['p', 'q', 'r', 's']);
    expect(ranking.systems.map((r) => r.rank)).toEqual([1, 2, 3, 4]);
    expect(ranking.skipped).toBe(0);
    expect(ranking.resamples).toBe(300);
  });

  it('counts each system\'s battles, wins, ties and losses from either side of the battle', () => {
    const ranking = rankSystems(battlesOf([vote('x', 'y', 'a'), vote('y', 'x', 'a'), vote('y', 'x', 'tie'), vote('z', 'y', 'b'), vote('x', 'z', 'a'), vote('z', 'x', 'a')]), { resamples: 100 });
    const row = (name: string) => ranking.systems.find((r) => r.system === name)!;
    expect(row('x')).toMatchObject({ battles: 5, wins: 2, ties: 1, losses: 2 });
    expect(row('y')).toMatchObject({ battles: 4, wins: 2, ties: 1, losses: 1 });
    expect(row('z')).toMatchObject({ battles: 3, wins: 1, ties: 0, losses: 2 });
    expect(ranking.battles).toBe(6);
  });

  it('ranks share a place when ratings are equal; Elo ranks by the whole points printed', () => {
    // x and y mirror each other exactly: equal strengths, and Elo within a point.
    const list = [vote('x', 'z', 'a'), vote('y', 'z', 'a'), vote('z', 'x', 'a'), vote('z', 'y', 'a'), vote('x', 'y', 'tie'), vote('x', 'z', 'a'), vote('y', 'z', 'a')];
    const ranking = rankSystems(battlesOf(list), { resamples: 200 });
    const row = (name: string) => ranking.systems.find((r) => r.system === name)!;
    expect(row('x').rating).toBeCloseTo(row('y').rating!, 9);
    expect(row('z').rank).toBe(3);
    const elo = onlineElo(battlesOf(list));
    const rounded = Array.from(elo, Math.round);
    expect(row('x').elo_rank).toBe(1 + rounded.filter((r) => r > rounded[0]!).length);
    expect(row('x').elo).toBe(elo[0]);
  });

  it('keeps Elo and says why when Bradley–Terry has no fit, best Elo first', () => {
    const ranking = rankSystems(battlesOf([vote('x', 'y', 'a'), vote('x', 'z', 'a'), vote('y', 'z', 'a'), vote('z', 'y', 'tie')]), { resamples: 100 });
    expect(ranking.reason).toBe('y, z never beat or tied any of the other systems, so how far below them they stand has no finite estimate');
    expect(ranking.interval_reason).toBe('the model has no fit on these battles');
    expect(ranking.systems.map((r) => [r.system, r.rating, r.rank, r.ci, r.rank_ci])).toEqual([['x', null, null, null, null], ['y', null, null, null, null], ['z', null, null, null, null]]);
    expect(ranking.systems[0]!.elo).toBeGreaterThan(ranking.systems[1]!.elo);
    expect(ranking.tie).toBeNull();
    expect(ranking.log_likelihood).toBeNull();
  });

  it('gives no interval, with the reason, when most resamples break the links between systems', () => {
    // One battle links {x, y} to {z, w} each way: a resample often leaves one out.
    const list = [vote('x', 'y', 'a'), vote('y', 'x', 'a'), vote('z', 'w', 'a'), vote('w', 'z', 'a'), vote('x', 'z', 'a'), vote('w', 'y', 'a')];
    const ranking = rankSystems(battlesOf(list), { resamples: 200, seed: 2 });
    expect(ranking.systems.every((r) => r.rating !== null && r.ci === null && r.rank_ci === null)).toBe(true);
    expect(ranking.skipped).toBeGreaterThan(20);
    expect(ranking.interval_reason).toMatch(new RegExp(`^the model has no fit in ${ranking.skipped} of 200 resamples \\(e\\.g\\. .+\\): too few battles link the systems for an interval$`));
  });

  it('rank intervals hold the middle 95% of the resampled ranks', () => {
    const list = league();
    const battles = battlesOf(list);
    const ranking = rankSystems(battles, { resamples: 400, seed: 9 });
    const replicates = resampled(list, battles, 400, 9);
    const type7 = (sorted: number[], q: number) => {
      const h = (sorted.length - 1) * q;
      return sorted[Math.floor(h)]! + (h - Math.floor(h)) * (sorted[Math.ceil(h)]! - sorted[Math.floor(h)]!);
    };
    for (const row of ranking.systems) {
      const s = battles.systems.indexOf(row.system);
      const ranks = replicates.map((theta) => 1 + Array.from(theta).filter((t) => t > theta[s]!).length).sort((x, y) => x - y);
      expect(row.rank_ci).toEqual({ best: Math.floor(type7(ranks, 0.025)), worst: Math.ceil(type7(ranks, 0.975)) });
      expect(row.rank_ci!.best).toBeLessThanOrEqual(row.rank!);
      expect(row.rank_ci!.worst).toBeGreaterThanOrEqual(row.rank!);
    }
    expect(ranking.systems[0]!.rank_ci!.best).toBe(1);
    expect(ranking.systems[3]!.rank_ci!.worst).toBe(4);
  });

  it('is seeded: the same seed gives the same intervals, another seed others', () => {
    const battles = battlesOf(league());
    expect(rankSystems(battles, { resamples: 200, seed: 4 })).toEqual(rankSystems(battles, { resamples: 200, seed: 4 }));
    expect(rankSystems(battles, { resamples: 200, seed: 4 }).systems[1]!.ci).not.toEqual(rankSystems(battles, { resamples: 200, seed: 5 }).systems[1]!.ci);
  });

  it('puts ratings on the Elo scale given: initial + scale × log_base of the strength', () => {
    const battles = battlesOf(league());
    const theta = strengthsOf(battles);
    const ranking = rankSystems(battles, { resamples: 100, elo: { ...DEFAULT_ELO, initial: 1500, scale: 173.7178, base: Math.E } });
    const p = ranking.systems.find((r) => r.system === 'p')!;
    expect(p.rating).toBeCloseTo(1500 + 173.7178 * theta[battles.systems.indexOf('p')]!, 9);
  });

  it("with pseudo-battles against an average system, reproduces the PlackettLuce vignette's toy fit (npseudo = 0.5)", () => {
    // A > B, C > A, A > D, B > A, B > C: D never wins, so there is no maximum without the prior. With it, the
    // vignette prints log-worths relative to A: B 0.5184185, C 0.1354707, D −1.1537565.
    const list = [vote('A', 'B', 'a'), vote('C', 'A', 'a'), vote('A', 'D', 'a'), vote('B', 'A', 'a'), vote('B', 'C', 'a')];
    expect(rankSystems(battlesOf(list), { resamples: 100 }).reason).toMatch(/^D never beat or tied/);
    const ranking = rankSystems(battlesOf(list), { resamples: 200, prior: 0.5 });
    const logWorth = (name: string) => ((ranking.systems.find((r) => r.system === name)!.rating! - 1000) * Math.log(10)) / 400;
    expect(logWorth('B') - logWorth('A')).toBeCloseTo(0.5184185, 6);
    expect(logWorth('C') - logWorth('A')).toBeCloseTo(0.1354707, 6);
    expect(logWorth('D') - logWorth('A')).toBeCloseTo(-1.1537565, 6);
    expect(ranking.prior).toBe(0.5);
    // Centred on the real systems, not on the hypothetical one.
    expect(['A', 'B', 'C', 'D'].reduce((sum, n) => sum + logWorth(n), 0)).toBeCloseTo(0, 9);
    // The bootstrap fits with the prior too: every resample has a fit.
    expect(ranking.skipped).toBe(0);
    expect(ranking.systems.every((r) => r.ci !== null)).toBe(true);
  });

  it('head to head: each pair that met, the better-ranked first, with its win rate, interval and sign test', () => {
    const list = league();
    const battles = battlesOf(list);
    const ranking = rankSystems(battles, { resamples: 200, seed: 4 });
    const order = ranking.systems.map((r) => r.system);
    expect(ranking.head_to_head.map((h) => `${h.a}>${h.b}`)).toEqual(['p>q', 'p>r', 'p>s', 'q>r', 'q>s', 'r>s'].filter((k) => ranking.head_to_head.some((h) => `${h.a}>${h.b}` === k)));
    const pValues: number[] = [];
    for (const h of ranking.head_to_head) {
      expect(order.indexOf(h.a)).toBeLessThan(order.indexOf(h.b));
      // From the vote list directly, either side of the battle.
      const mine = list.filter((v) => (v.a === h.a && v.b === h.b) || (v.a === h.b && v.b === h.a));
      const score = mine.map((v) => (v.outcome === 'tie' ? 0.5 : (v.outcome === 'a') === (v.a === h.a) ? 1 : 0));
      expect([h.battles, h.a_wins, h.ties, h.b_wins]).toEqual([mine.length, score.filter((x) => x === 1).length, score.filter((x) => x === 0.5).length, score.filter((x) => x === 0).length]);
      const mean = (sel: readonly number[]) => sel.reduce((sum, i) => sum + score[i]!, 0) / sel.length;
      expect(h.win_rate.value).toBeCloseTo(mean(score.map((_, i) => i)), 12);
      const expected = directBca(replicates(score.length, 200, seededRng(4), mean), mean(score.map((_, i) => i)), leaveOneOut(score.length, mean));
      if (h.win_rate.ci?.method === 'bca') {
        expect(h.win_rate.ci.low).toBeCloseTo(expected.low, 12);
        expect(h.win_rate.ci.high).toBeCloseTo(expected.high, 12);
      }
      expect(h.p).toBe(signTest(h.a_wins, h.b_wins).p);
      pValues.push(h.p!);
    }
    expect(ranking.head_to_head.map((h) => h.p_holm)).toEqual(holm(pValues));
    expect(ranking.head_to_head.filter((h) => h.win_rate.ci?.method === 'bca').length).toBeGreaterThan(2);
  });

  it('head to head: a pair of only ties has no p and takes no part in Holm', () => {
    const battles = battlesOf([vote('x', 'y', 'tie'), vote('y', 'x', 'tie'), vote('x', 'z', 'a'), vote('z', 'x', 'b'), vote('x', 'z', 'a'), vote('y', 'z', 'a')]);
    const rows = headToHead(battles, [0, 1, 2], { seed: 1, resamples: 100 });
    const xy = rows.find((h) => h.a === 'x' && h.b === 'y')!;
    expect([xy.p, xy.p_holm, xy.ties, xy.win_rate.value]).toEqual([null, null, 2, 0.5]);
    const xz = rows.find((h) => h.a === 'x' && h.b === 'z')!;
    expect([xz.a_wins, xz.b_wins]).toEqual([3, 0]);
    const tested = rows.filter((h) => h.p !== null);
    expect(tested.map((h) => h.p_holm)).toEqual(holm(tested.map((h) => h.p!)));
    // Order follows the ranking given: z first turns the x–z pair round.
    const flipped = headToHead(battles, [2, 1, 0], { seed: 1, resamples: 100 }).find((h) => h.a === 'z' && h.b === 'x')!;
    expect([flipped.a_wins, flipped.b_wins, flipped.win_rate.value]).toEqual([0, 3, 0]);
  });

  it('grouped battles are resampled whole, and BCa leaves a group out at a time (recomputed here)', () => {
    const list = league();
    const groups = list.map((_, m) => `q${m % 12}`);
    const battles = battlesOf(list);
    const ranking = rankSystems(battles, { resamples: 200, seed: 6, clusters: groups });
    expect(ranking.clusters).toBe(12);
    // Groups numbered by first appearance (q0 … q11); a resample draws 12 of them with replacement.
    const members = Array.from({ length: 12 }, (_, c) => list.map((_, m) => m).filter((m) => groups[m] === `q${c}`));
    const subset = (ms: readonly number[]) => {
      const votes = ms.map((m) => list[m]!);
      return strengthsOf({ ...battles, a: Int32Array.from(votes, (v) => battles.systems.indexOf(v.a)), b: Int32Array.from(votes, (v) => battles.systems.indexOf(v.b)), outcome: Uint8Array.from(votes, (v) => (v.outcome === 'a' ? 2 : v.outcome === 'b' ? 0 : 1)) });
    };
    const rng = seededRng(6);
    const reps = Array.from({ length: 200 }, () => subset(Array.from({ length: 12 }, () => members[rng.int(12)]!).flat()));
    const jack = members.map((_, c) => subset(members.filter((__, k) => k !== c).flat()));
    const full = strengthsOf(battles);
    for (const row of ranking.systems) {
      const s = battles.systems.indexOf(row.system);
      const expected = directBca(reps.map((r) => r[s]!), full[s]!, jack.map((r) => r[s]!));
      expect(row.ci!.low).toBeCloseTo(toRating(expected.low), 9);
      expect(row.ci!.high).toBeCloseTo(toRating(expected.high), 9);
    }
    // One vote per group is the ungrouped bootstrap.
    const single = rankSystems(battles, { resamples: 200, seed: 6, clusters: list.map((_, m) => `v${m}`) });
    expect(single.clusters).toBeNull();
    expect(single.systems).toEqual(rankSystems(battles, { resamples: 200, seed: 6 }).systems);
  });
});
