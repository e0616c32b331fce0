import { A_WINS, TIE, type Battles } from './battles.js';
import { holm } from './paired.js';
import { signTest } from './sign-test.js';
import { withCi, type Stat } from './stat.js';

/** Two systems' battles against each other: `a` is the one listed first in `order` (the better-ranked). */
export interface HeadToHead {
  a: string;
  b: string;
  battles: number;
  a_wins: number;
  ties: number;
  b_wins: number;
  /** a's share of the battles, a tie counting half, with its bootstrap interval over these battles. */
  win_rate: Stat;
  /** Exact sign test of a's wins against b's (ties left out), and Holm's adjustment over every pair listed. */
  p: number | null;
  p_holm: number | null;
}

/** Every pair of systems that met, in `order`'s order (a system's index by rank); `clusters`: each battle's group, resampled whole. Pure and seeded. */
export function headToHead(battles: Battles, order: readonly number[], options: { seed: number; resamples: number; clusters?: readonly string[] }): HeadToHead[] {
  const position = new Map(order.map((s, k) => [s, k]));
  const byPair = new Map<string, number[]>();
  for (let m = 0; m < battles.a.length; m++) {
    const [x, y] = [battles.a[m]!, battles.b[m]!];
    const [first, second] = position.get(x)! <= position.get(y)! ? [x, y] : [y, x];
    const key = `${first} ${second}`;
    const list = byPair.get(key);
    if (list) list.push(m);
    else byPair.set(key, [m]);
  }
  const rows = [...byPair].map(([key, list]) => {
    const [first, second] = key.split(' ').map(Number) as [number, number];
    // Each battle scored from `first`'s side: 1 won, ½ tied, 0 lost.
    const score = list.map((m) => (battles.outcome[m] === TIE ? 0.5 : (battles.outcome[m] === A_WINS) === (battles.a[m] === first) ? 1 : 0));
    const aWins = score.filter((s) => s === 1).length;
    const ties = score.filter((s) => s === 0.5).length;
    const bWins = score.length - aWins - ties;
    const mean = (sel: ArrayLike<number>) => {
      let sum = 0;
      for (let k = 0; k < sel.length; k++) sum += score[sel[k]!]!;
      return { value: sum / sel.length };
    };
    const test = signTest(aWins, bWins);
    return { first, second, row: { a: battles.systems[first]!, b: battles.systems[second]!, battles: list.length, a_wins: aWins, ties, b_wins: bWins, win_rate: withCi(list.length, mean, options.seed, options.resamples, options.clusters && list.map((m) => options.clusters![m]!)), p: test.p, p_holm: null as number | null } };
  });
  rows.sort((x, y) => position.get(x.first)! - position.get(y.first)! || position.get(x.second)! - position.get(y.second)!);
  const tested = rows.filter((r) => r.row.p !== null);
  const adjusted = holm(tested.map((r) => r.row.p!));
  tested.forEach((r, k) => (r.row.p_holm = adjusted[k]!));
  return rows.map((r) => r.row);
}
