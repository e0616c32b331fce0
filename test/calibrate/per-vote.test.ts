import { describe, expect, it } from 'vitest';
import { calibrate } from '../../src/calibrate/calibrate.js';
import { ceilingNote, judgeVsPeople, peopleVsPeople, type VotedUnit } from '../../src/calibrate/per-vote.js';
import type { HumanLabel } from '../../src/labels/labels.js';
import { seededRng } from '../../src/stats/rng.js';
import { directBca } from '../support/bca.js';
import { syntheticReport } from '../support/synthetic-report.js';

const unit = (votes: [string, string][], judges: Record<string, string[]> = {}): VotedUnit => ({
  votes: votes.map(([annotator, score]) => ({ annotator, score })),
  judges: new Map(Object.entries(judges)),
});

// Four units on a pairwise scale A / B / tie, counted by hand.
const units: VotedUnit[] = [
  unit([['p', 'A'], ['q', 'A'], ['r', 'B']], { j: ['A'] }), // judge: 2 of 3; people: p–q agree, p–r, q–r not
  unit([['p', 'tie'], ['q', 'B']], { j: ['B'] }), // judge: 1 of 2 (the tie pair drops without ties); people: 0 of 1
  unit([['q', 'A']], { j: ['tie'] }), // judge: 0 of 1, and no pair without ties; people: no pair
  unit([['p', 'B'], ['p', 'B'], ['r', 'B']], { j: ['A', 'B'] }), // p twice: p–p is no pair; p–r twice, both agree
];

describe('per-vote agreement, by hand', () => {
  it('a judge against each vote: its samples weigh 1/samples each, so a judge counts once per vote', () => {
    const j = judgeVsPeople('j', units, 'tie', 1, 200);
    // Matches: 2 + 1 + 0 + (3 votes × ½ from the B sample) = 4.5 of 3 + 2 + 1 + 3 = 9 votes.
    expect(j.with_ties).toMatchObject({ value: 4.5 / 9, pairs: 9 });
    // Without ties: unit 1 as before (2 of 3); unit 2 loses p's tie (1 of 1); unit 3 loses the judge's tie;
    // unit 4 unchanged (1.5 of 3): 4.5 of 7.
    expect(j.without_ties).toMatchObject({ value: 4.5 / 7, pairs: 7 });
    expect(j.per_annotator).toEqual([
      { annotator: 'p', pairs: 1 + 1 + 2, agreement: (1 + 0 + 1) / 4 },
      { annotator: 'q', pairs: 3, agreement: (1 + 1 + 0) / 3 },
      { annotator: 'r', pairs: 2, agreement: (0 + 0.5) / 2 },
    ]);
  });

  it('people against each other: pairs of two different people on a unit, never a person with themself', () => {
    const people = peopleVsPeople(units, 'tie', 1, 200);
    // Pairs: unit 1 three (one agrees), unit 2 one (none), unit 4 two p–r pairs (both agree): 3 of 6.
    expect(people.with_ties).toMatchObject({ value: 3 / 6, pairs: 6 });
    // Without ties unit 2's pair goes: 3 of 5.
    expect(people.without_ties).toMatchObject({ value: 3 / 5, pairs: 5 });
    // Leave-one-out per person: p 3 of 5 (unit 1: 1 of 2, unit 2: 0 of 1, unit 4: 2 of 2); q 1 of 3; r 2 of 4.
    expect(people.persons).toBe(3);
    expect(people.average_person).toBeCloseTo((3 / 5 + 1 / 3 + 2 / 4) / 3, 15);
  });

  it('without a tie label there is no without-ties figure', () => {
    expect(judgeVsPeople('j', units, undefined, 1, 100).without_ties).toBeUndefined();
    expect(peopleVsPeople(units, undefined, 1, 100).without_ties).toBeUndefined();
  });

  it('the interval is a cluster bootstrap: whole units resampled, recomputed here directly', () => {
    // 30 units of varied size; the judge's share recomputed over the same draws of units.
    const rng = seededRng(9);
    const many: VotedUnit[] = Array.from({ length: 30 }, (_, u) => unit(
      Array.from({ length: 1 + (u % 4) }, (_, k) => [`p${k}`, rng.int(3) === 0 ? 'B' : 'A'] as [string, string]),
      { j: ['A'] },
    ));
    const j = judgeVsPeople('j', many, undefined, 7, 500);
    const draws = seededRng(7);
    const values: number[] = [];
    for (let b = 0; b < 500; b++) {
      let match = 0;
      let pairs = 0;
      for (let i = 0; i < many.length; i++) {
        const chosen = many[draws.int(many.length)]!;
        pairs += chosen.votes.length;
        match += chosen.votes.filter((v) => v.score === 'A').length;
      }
      values.push(match / pairs);
    }
    // BCa over those draws, the jackknife leaving out one unit (all its votes) at a time.
    const matches = many.map((u) => u.votes.filter((v) => v.score === 'A').length);
    const sizes = many.map((u) => u.votes.length);
    const [M, N] = [matches.reduce((a, b) => a + b, 0), sizes.reduce((a, b) => a + b, 0)];
    const bca = directBca(values, M / N, many.map((_, u) => (M - matches[u]!) / (N - sizes[u]!)));
    expect(j.with_ties.value).toBe(M / N);
    expect(j.with_ties.ci!.low).toBeCloseTo(bca.low, 12);
    expect(j.with_ties.ci!.high).toBeCloseTo(bca.high, 12);
  });

  it('the ceiling note says which way only when the intervals are apart', () => {
    const stat = (value: number, low: number, high: number) => ({ value, ci: { low, high }, pairs: 10 });
    const judge = (value: number, low: number, high: number) => ({ judge: 'j', with_ties: stat(value, low, high), per_annotator: [] });
    const people = { with_ties: stat(0.6, 0.5, 0.7), persons: 3, average_person: 0.6 };
    expect(ceilingNote(judge(0.8, 0.71, 0.9), people)).toMatch(/^j agrees with people more than people agree with each other, per vote: 80\.0% /);
    expect(ceilingNote(judge(0.4, 0.3, 0.49), people)).toMatch(/^j agrees with people less than/);
    // Touching intervals are not apart.
    expect(ceilingNote(judge(0.8, 0.7, 0.9), people)).toMatch(/^j agrees with people about as well as/);
    expect(ceilingNote(judge(0.4, 0.3, 0.5), people)).toMatch(/about as well/);
    expect(ceilingNote({ judge: 'j', with_ties: { value: null, ci: null, pairs: 0 }, per_annotator: [] }, people)).toBeNull();
  });
});

describe('calibrate: majority with ties removed, and a judge whose samples tie', () => {
  const items = Array.from({ length: 12 }, (_, i) => `item-${String(i).padStart(2, '0')}`);
  const scale = { type: 'categorical' as const, labels: ['A', 'B', 'tie'], tie: 'tie' };
  it('exact without ties leaves out the units where the judge or the reference is a tie', () => {
    // People: unanimous A on items 0–5, unanimous tie on 6–8, B on 9–11. The judge: A everywhere.
    const ref = (i: number) => (i < 6 ? 'A' : i < 9 ? 'tie' : 'B');
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j'], scales: { c1: scale }, score: () => 'A' });
    const labels: HumanLabel[] = items.flatMap((item, i) => ['x', 'y', 'z'].map((annotator) => ({ item, criterion: 'c1', annotator, score: ref(i) })));
    const c = calibrate(report, labels, { resamples: 100 }).criteria[0]!;
    const j = c.raters.find((r) => r.rater === 'j')!;
    expect(j.exact.value).toBe(6 / 12);
    expect(j.exact_without_ties).toMatchObject({ value: 6 / 9, units: 9 });
    expect(j.per_vote!.without_ties).toMatchObject({ value: 18 / 27, pairs: 27 });
    expect(c.human_pairs!.with_ties).toMatchObject({ value: 1, pairs: 36 });
  });

  it('a judge whose samples split evenly has no modal verdict there: left out of the consensus figures, counted per vote', () => {
    const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j'], scales: { c1: scale }, samples: 2, score: (_j, item, _c, _t, sample) => (item === 'item-00' && sample === 1 ? 'B' : 'A') });
    const labels: HumanLabel[] = items.map((item) => ({ item, criterion: 'c1', annotator: 'x', score: 'A' }));
    const c = calibrate(report, labels, { resamples: 100 }).criteria[0]!;
    const j = c.raters.find((r) => r.rater === 'j')!;
    expect(j.units).toBe(11);
    expect(j.per_vote!.with_ties).toMatchObject({ value: 11.5 / 12, pairs: 12 });
  });
});

describe('calibrate: the like-for-like ceiling is said from ten voted units on', () => {
  const truth = (item: string) => 1 + (Number(item.slice(5)) % 5);
  const labelsFor = (k: number): HumanLabel[] => Array.from({ length: k }, (_, i) => `item-${String(i).padStart(2, '0')}`).flatMap((item) => [
    { item, criterion: 'c1', annotator: 'a', score: truth(item) },
    { item, criterion: 'c1', annotator: 'b', score: truth(item) },
  ]);
  const report = syntheticReport({ items: 12, criteria: ['c1'], judges: ['j'], score: (_j, item) => truth(item) });
  const said = (k: number) => calibrate(report, labelsFor(k), { resamples: 50 }).criteria[0]!.recommendation.notes.some((n) => n.includes('per vote'));
  it('nine: no note; ten: the note', () => {
    expect(said(9)).toBe(false);
    expect(said(10)).toBe(true);
  });
});

describe('per-vote edges', () => {
  it('annotators are listed in id order whatever order they vote in; a unit the judge did not score, or with no vote, counts for nothing', () => {
    const units: VotedUnit[] = [
      unit([['zoe', 'A'], ['amy', 'B']], { j: ['A'] }),
      unit([['mia', 'A']], {}),
      unit([], { j: ['A'] }),
    ];
    const j = judgeVsPeople('j', units, undefined, 1, 100);
    expect(j.per_annotator.map((a) => a.annotator)).toEqual(['amy', 'zoe']);
    expect(j.with_ties).toMatchObject({ value: 0.5, pairs: 2 });
  });

  it('units with a single vote add no pair and do not move the people\'s interval', () => {
    const base: VotedUnit[] = Array.from({ length: 12 }, (_, i) => unit([['p', 'A'], ['q', i % 3 ? 'A' : 'B']]));
    const withSingles = [...base, ...Array.from({ length: 6 }, () => unit([['p', 'B']]))];
    expect(peopleVsPeople(withSingles, undefined, 4, 200)).toEqual(peopleVsPeople(base, undefined, 4, 200));
  });

  it('without ties, a judge whose every verdict is the tie has no pair left: no value, and the reason', () => {
    const units: VotedUnit[] = Array.from({ length: 5 }, () => unit([['p', 'A']], { j: ['tie'] }));
    expect(judgeVsPeople('j', units, 'tie', 1, 100).without_ties).toMatchObject({ value: null, ci: null, reason: 'no pair of ratings', pairs: 0 });
  });

  it('the ceiling note needs both figures and both intervals', () => {
    const stat = (value: number | null, ci: { low: number; high: number } | null) => ({ value, ci, pairs: 10 });
    const judge = { judge: 'j', with_ties: stat(0.8, { low: 0.7, high: 0.9 }), per_annotator: [] };
    const people = (value: number | null, ci: { low: number; high: number } | null) => ({ with_ties: stat(value, ci), persons: 2, average_person: value });
    expect(ceilingNote(judge, people(null, null))).toBeNull();
    expect(ceilingNote(judge, people(0.5, null))).toBeNull();
    expect(ceilingNote({ ...judge, with_ties: stat(0.8, null) }, people(0.5, { low: 0.4, high: 0.6 }))).toBeNull();
    expect(ceilingNote(judge, people(0.5, { low: 0.4, high: 0.6 }))).toMatch(/more than/);
  });
});
