import type { Score } from '../rubric/rubric.js';
import { pick, withCi, type Stat } from '../stats/stat.js';

/** One labelled unit as the per-vote figures see it: the people's votes and each judge's samples. */
export interface VotedUnit {
  /** The conversation: turns of one are resampled together. */
  item?: string;
  votes: readonly { annotator: string; score: Score }[];
  /** A judge's samples on the unit (one unless the judge samples several times). */
  judges: ReadonlyMap<string, readonly Score[]>;
}

/** A share of agreeing pairs of ratings, with the number of pairs it is over. */
export type PairShare = Stat & { pairs: number };

export interface PerVote {
  /** Every pair counted: a tie agrees only with a tie. */
  with_ties: PairShare;
  /** Pairs where either side chose the scale's tie label left out (only on scales that name one). */
  without_ties?: PairShare;
}

export interface JudgeVsPeople extends PerVote {
  judge: string;
  /** The judge's agreement with each annotator's votes, ties kept. */
  per_annotator: { annotator: string; pairs: number; agreement: number }[];
}

export interface PeopleVsPeople extends PerVote {
  /** People with at least one co-rated unit. */
  persons: number;
  /**
   * The unweighted mean over people of each one's agreement with the others' votes (leave-one-out). The pooled
   * `with_ties` is the same average weighted by each person's pairs.
   */
  average_person: number | null;
}

interface Tally {
  item: string;
  matches: number;
  pairs: number;
  matchesNoTie: number;
  pairsNoTie: number;
}

const zero = (item: string): Tally => ({ item, matches: 0, pairs: 0, matchesNoTie: 0, pairsNoTie: 0 });

/** Adds the pair (a, b) with a weight: a judge's samples each weigh 1/samples, so a judge counts once per vote. */
function count(t: Tally, a: Score, b: Score, weight: number, tie: Score | undefined): void {
  const same = a === b ? weight : 0;
  t.matches += same;
  t.pairs += weight;
  if (tie !== undefined && a !== tie && b !== tie) {
    t.matchesNoTie += same;
    t.pairsNoTie += weight;
  }
}

function shares(tallies: readonly Tally[], tie: Score | undefined, seed: number, resamples: number): PerVote {
  const share = (matches: (t: Tally) => number, pairs: (t: Tally) => number) => {
    const total = tallies.reduce((s, t) => s + pairs(t), 0);
    const stat = withCi(tallies.length, (sel) => {
      const chosen = pick(tallies, sel);
      const n = chosen.reduce((s, t) => s + pairs(t), 0);
      return n > 0 ? { value: chosen.reduce((s, t) => s + matches(t), 0) / n } : { value: null, reason: 'no pair of ratings' };
    }, seed, resamples, tallies.map((t) => t.item));
    return { ...stat, pairs: total };
  };
  return {
    with_ties: share((t) => t.matches, (t) => t.pairs),
    ...(tie !== undefined ? { without_ties: share((t) => t.matchesNoTie, (t) => t.pairsNoTie) } : {}),
  };
}

/**
 * A judge's agreement with each person, as MT-Bench and most of the literature count it: over every pair
 * (the judge's verdict, one person's vote) on the same unit, the share that are equal. Intervals resample
 * units (votes of one unit move together).
 */
export function judgeVsPeople(judge: string, units: readonly VotedUnit[], tie: Score | undefined, seed: number, resamples: number): JudgeVsPeople {
  const tallies: Tally[] = [];
  const byAnnotator = new Map<string, { pairs: number; matches: number }>();
  for (const unit of units) {
    const samples = unit.judges.get(judge);
    if (!samples?.length || unit.votes.length === 0) continue;
    const t = zero(unit.item ?? String(tallies.length));
    for (const vote of unit.votes) {
      const mine = byAnnotator.get(vote.annotator) ?? { pairs: 0, matches: 0 };
      for (const s of samples) {
        count(t, s, vote.score, 1 / samples.length, tie);
        mine.pairs += 1 / samples.length;
        if (s === vote.score) mine.matches += 1 / samples.length;
      }
      byAnnotator.set(vote.annotator, mine);
    }
    tallies.push(t);
  }
  const per_annotator = [...byAnnotator].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([annotator, m]) => ({ annotator, pairs: m.pairs, agreement: m.matches / m.pairs }));
  return { judge, ...shares(tallies, tie, seed, resamples), per_annotator };
}

/**
 * People against each other, counted the same way: every pair of votes by two different people on the same
 * unit. A judge's `judgeVsPeople` and this are like for like (a judge taken as one more annotator), unlike the
 * judge-vs-consensus figures, which compare with a majority that already smooths people's disagreement away.
 */
export function peopleVsPeople(units: readonly VotedUnit[], tie: Score | undefined, seed: number, resamples: number): PeopleVsPeople {
  const tallies: Tally[] = [];
  const byPerson = new Map<string, { pairs: number; matches: number }>();
  for (const unit of units) {
    const t = zero(unit.item ?? String(tallies.length));
    const votes = unit.votes;
    for (let i = 0; i < votes.length; i++) {
      for (let j = i + 1; j < votes.length; j++) {
        const [a, b] = [votes[i]!, votes[j]!];
        // Two votes of one person on one unit are not agreement between people.
        if (a.annotator === b.annotator) continue;
        count(t, a.score, b.score, 1, tie);
        for (const who of [a.annotator, b.annotator]) {
          const mine = byPerson.get(who) ?? { pairs: 0, matches: 0 };
          mine.pairs++;
          if (a.score === b.score) mine.matches++;
          byPerson.set(who, mine);
        }
      }
    }
    if (t.pairs > 0) tallies.push(t);
  }
  const persons = [...byPerson.values()];
  const average_person = persons.length ? persons.reduce((s, p) => s + p.matches / p.pairs, 0) / persons.length : null;
  return { ...shares(tallies, tie, seed, resamples), persons: persons.length, average_person };
}

/**
 * The like-for-like ceiling: a judge's per-vote agreement against the people's agreement with each other,
 * decided only when the intervals are apart.
 */
export function ceilingNote(judge: JudgeVsPeople, people: PeopleVsPeople): string | null {
  const j = judge.with_ties;
  const p = people.with_ties;
  if (j.value === null || p.value === null || !j.ci || !p.ci) return null;
  const figures = `${pct(j.value)} of its verdicts match a person's vote (95% CI ${pct(j.ci.low)}–${pct(j.ci.high)}); people match each other in ${pct(p.value)} of pairs (${pct(p.ci.low)}–${pct(p.ci.high)})`;
  if (j.ci.low > p.ci.high) return `${judge.judge} agrees with people more than people agree with each other, per vote: ${figures}`;
  if (j.ci.high < p.ci.low) return `${judge.judge} agrees with people less than people agree with each other, per vote: ${figures}`;
  return `${judge.judge} agrees with people about as well as people agree with each other, per vote: ${figures}`;
}

const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
