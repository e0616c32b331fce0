import { sideOf } from '../aggregate/pairwise-rule.js';
import type { PositionBias } from '../aggregate/pairwise.js';
import type { Report } from '../report/report.js';
import { withCi, type Stat } from '../stats/stat.js';

// The position and length biases of a pairwise run's judges: position as the run measured it, length from each
// decisive verdict against the two conversations' lengths.

export interface LengthBias {
  judge: string;
  /** Decisive verdicts on pairs of unequal length: the share that picked the longer conversation (assistant characters). */
  longer_preferred: Stat & { decisive: number };
}

export interface PairwiseBias {
  base: string;
  candidate: string;
  position: PositionBias[];
  length: LengthBias[];
  /** Pairs whose conversations differ in length, and the share where the candidate's is the longer one. */
  unequal_pairs: number;
  candidate_longer: number | null;
  /** With people's pairwise votes (`--labels`): the share of their decisive votes on pairs of unequal length that picked the longer. */
  people?: Stat & { decisive: number };
}

/** A person's pairwise vote, by side. */
export interface SideVote {
  item: string;
  side: 'base' | 'candidate' | 'tie';
}

export function pairwiseBias(report: Report, boot: { seed: number; resamples: number }, votes?: readonly SideVote[]): PairwiseBias | undefined {
  const pw = report.pairwise;
  if (!pw) return undefined;
  let unequal = 0;
  let candidateLonger = 0;
  for (const item of report.items) {
    if (!item.lengths) continue;
    const { base, candidate } = item.lengths;
    if (base.assistant_chars === candidate.assistant_chars) continue;
    unequal++;
    if (candidate.assistant_chars > base.assistant_chars) candidateLonger++;
  }
  const length = report.run.judges.map((judge) => {
    const rows: number[] = [];
    const items: string[] = [];
    for (const item of report.items) {
      if (!item.lengths || item.lengths.base.assistant_chars === item.lengths.candidate.assistant_chars) continue;
      const longer = item.lengths.candidate.assistant_chars > item.lengths.base.assistant_chars ? 'candidate' : 'base';
      for (const unit of item.results) {
        if (!unit.order) continue;
        for (const v of unit.verdicts) {
          if (v.judge !== judge.id || v.status !== 'scored') continue;
          const side = sideOf(String(v.score), unit.order);
          if (side === 'tie') continue;
          rows.push(side === longer ? 1 : 0);
          items.push(item.id);
        }
      }
    }
    const share = (sel: ArrayLike<number>) => (sel.length ? { value: Array.from(sel, (i) => rows[i]!).reduce((a, b) => a + b, 0) / sel.length } : { value: null, reason: 'no decisive verdict on a pair of unequal length' });
    const stat: Stat = rows.length ? withCi(rows.length, share, boot.seed, boot.resamples, items) : { value: null, ci: null, reason: 'no decisive verdict on a pair of unequal length' };
    return { judge: judge.id, longer_preferred: { ...stat, decisive: rows.length } };
  });
  const people = votes ? longerShare(report, votes, boot) : undefined;
  return { base: pw.base, candidate: pw.candidate, position: pw.position, length, unequal_pairs: unequal, candidate_longer: unequal ? candidateLonger / unequal : null, ...(people ? { people } : {}) };
}

/** People's decisive votes on pairs of unequal length: the share for the longer conversation, resampled by pair. */
function longerShare(report: Report, votes: readonly SideVote[], boot: { seed: number; resamples: number }): Stat & { decisive: number } {
  const lengths = new Map(report.items.flatMap((i) => (i.lengths ? [[i.id, i.lengths] as const] : [])));
  const rows: number[] = [];
  const items: string[] = [];
  for (const vote of votes) {
    const l = lengths.get(vote.item);
    if (!l || vote.side === 'tie' || l.base.assistant_chars === l.candidate.assistant_chars) continue;
    const longer = l.candidate.assistant_chars > l.base.assistant_chars ? 'candidate' : 'base';
    rows.push(vote.side === longer ? 1 : 0);
    items.push(vote.item);
  }
  const none = 'no decisive vote on a pair of unequal length';
  const share = (sel: ArrayLike<number>) => (sel.length ? { value: Array.from(sel, (i) => rows[i]!).reduce((a, b) => a + b, 0) / sel.length } : { value: null, reason: none });
  const stat: Stat = rows.length ? withCi(rows.length, share, boot.seed, boot.resamples, items) : { value: null, ci: null, reason: none };
  return { ...stat, decisive: rows.length };
}
