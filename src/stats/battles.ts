/**
 * Pairwise battles between systems, indexed: battle m is systems[a[m]] against systems[b[m]], with outcome[m] the
 * score of a doubled (2: a won, 1: a tie, 0: b won), so that it fits a byte and ties stay exact.
 */
export interface Battles {
  systems: string[];
  a: Int32Array;
  b: Int32Array;
  outcome: Uint8Array;
}

export const A_WINS = 2;
export const TIE = 1;
export const B_WINS = 0;

/** Battles from named outcomes, systems numbered in order of first appearance. */
export function battlesOf(list: readonly { a: string; b: string; outcome: 'a' | 'b' | 'tie' }[]): Battles {
  const index = new Map<string, number>();
  const id = (name: string) => {
    let i = index.get(name);
    if (i === undefined) index.set(name, (i = index.size));
    return i;
  };
  const a = new Int32Array(list.length);
  const b = new Int32Array(list.length);
  const outcome = new Uint8Array(list.length);
  list.forEach((battle, m) => {
    a[m] = id(battle.a);
    b[m] = id(battle.b);
    outcome[m] = battle.outcome === 'a' ? A_WINS : battle.outcome === 'b' ? B_WINS : TIE;
  });
  return { systems: [...index.keys()], a, b, outcome };
}

/**
 * The battles summed per unordered pair of systems (i < j): wins of i, wins of j, ties. Battles in either
 * orientation count for the same pair. `weights[m]`: how often battle m counts (a bootstrap resample), default once.
 */
export interface PairCounts {
  systems: number;
  i: Int32Array;
  j: Int32Array;
  winsI: Float64Array;
  winsJ: Float64Array;
  ties: Float64Array;
}

/** Each battle's pair (an index into the PairCounts that `pairsOf` builds). */
export function pairsOf(battles: Battles): { pair: Int32Array; i: Int32Array; j: Int32Array } {
  const n = battles.systems.length;
  const ids = new Map<number, number>();
  const pair = new Int32Array(battles.a.length);
  const is: number[] = [];
  const js: number[] = [];
  for (let m = 0; m < battles.a.length; m++) {
    const x = Math.min(battles.a[m]!, battles.b[m]!);
    const y = Math.max(battles.a[m]!, battles.b[m]!);
    const key = x * n + y;
    let p = ids.get(key);
    if (p === undefined) {
      ids.set(key, (p = ids.size));
      is.push(x);
      js.push(y);
    }
    pair[m] = p;
  }
  return { pair, i: Int32Array.from(is), j: Int32Array.from(js) };
}

/** Counts per pair; `weights` (one per battle) for a resample, else every battle once. */
export function pairCounts(battles: Battles, pairs: ReturnType<typeof pairsOf>, weights?: ArrayLike<number>): PairCounts {
  const size = pairs.i.length;
  const winsI = new Float64Array(size);
  const winsJ = new Float64Array(size);
  const ties = new Float64Array(size);
  for (let m = 0; m < battles.a.length; m++) {
    const w = weights ? weights[m]! : 1;
    if (w === 0) continue;
    const p = pairs.pair[m]!;
    const o = battles.outcome[m]!;
    if (o === TIE) ties[p]! += w;
    // Orientation: the pair's i is the smaller system index.
    else if ((o === A_WINS) === (battles.a[m]! === pairs.i[p]!)) winsI[p]! += w;
    else winsJ[p]! += w;
  }
  return { systems: battles.systems.length, i: pairs.i, j: pairs.j, winsI, winsJ, ties };
}
