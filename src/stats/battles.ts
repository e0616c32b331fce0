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

/**
 * The counts with a hypothetical average system added as system 0 (the others shift up by one), which every real
 * system has beaten `prior` times and lost to `prior` times: the PlackettLuce package's pseudo-comparisons (Turner
 * et al. 2020). It links every system to every other both ways, so a maximum always exists, and pulls strengths
 * gently towards the average — a prior worth 2 × prior battles per system.
 */
export function withPseudoBattles(counts: PairCounts, prior: number): PairCounts {
  const n = counts.systems;
  const size = counts.i.length + n;
  const out: PairCounts = { systems: n + 1, i: new Int32Array(size), j: new Int32Array(size), winsI: new Float64Array(size), winsJ: new Float64Array(size), ties: new Float64Array(size) };
  for (let p = 0; p < counts.i.length; p++) {
    out.i[p] = counts.i[p]! + 1;
    out.j[p] = counts.j[p]! + 1;
    out.winsI[p] = counts.winsI[p]!;
    out.winsJ[p] = counts.winsJ[p]!;
    out.ties[p] = counts.ties[p]!;
  }
  for (let s = 0; s < n; s++) {
    const p = counts.i.length + s;
    out.i[p] = 0;
    out.j[p] = s + 1;
    out.winsI[p] = prior;
    out.winsJ[p] = prior;
  }
  return out;
}
